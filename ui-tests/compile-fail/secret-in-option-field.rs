// Key material wrapped in an `Option`.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeyResponse {
    id: u64,
    key: Option<KeyMaterial>,
}

fn main() {}
