// A key's material as a field of an API response.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeyResponse {
    id: u64,
    key: KeyMaterial,
}

fn main() {}
