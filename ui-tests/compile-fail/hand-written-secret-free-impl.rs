// Claiming `SecretFree` by hand without `unsafe`: rejected (E0200).

use key_model::{KeyMaterial, SecretFree};

struct Vault {
    key: KeyMaterial,
}

impl SecretFree for Vault {}

fn main() {}
