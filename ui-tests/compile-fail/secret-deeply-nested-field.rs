// Key material several containers deep.

use std::collections::BTreeMap;

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeyResponse {
    keys: Option<Vec<BTreeMap<String, Box<(u32, KeyMaterial)>>>>,
}

fn main() {}
