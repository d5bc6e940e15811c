// A function pointer that hands out key material when called.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeyResponse {
    id: u64,
    load: fn() -> KeyMaterial,
}

fn main() {}
