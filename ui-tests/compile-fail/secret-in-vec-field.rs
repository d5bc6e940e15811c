// Key material in a `Vec`.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeysResponse {
    keys: Vec<KeyMaterial>,
}

fn main() {}
