// Key material in a fixed-size array.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeyPair {
    keys: [KeyMaterial; 2],
}

fn main() {}
