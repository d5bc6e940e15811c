// The escape hatch in a crate that forbids unsafe code: rejected, while the
// derives keep working there (see `pass/forbid-unsafe-code-crate-derives.rs`).
#![forbid(unsafe_code)]

use key_model::{KeyMaterial, SecretFree};

struct Vault {
    key: KeyMaterial,
}

unsafe impl SecretFree for Vault {}

fn main() {}
