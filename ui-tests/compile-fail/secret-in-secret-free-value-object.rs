// `#[derive(SecretFree)]` on a value type that holds key material.

use key_model::{KeyMaterial, SecretFree};

#[derive(SecretFree)]
struct Wrapped {
    label: String,
    key: KeyMaterial,
}

fn main() {}
