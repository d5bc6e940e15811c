// A field behind a `#[cfg]` that is on is checked like any other.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeyResponse {
    id: u64,
    #[cfg(all())]
    key: KeyMaterial,
}

fn main() {}
