// Key material in a `Box`.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeyResponse {
    key: Box<KeyMaterial>,
}

fn main() {}
