// Key material as the value of a map.

use std::collections::HashMap;

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeysByPurpose {
    keys: HashMap<String, KeyMaterial>,
}

fn main() {}
