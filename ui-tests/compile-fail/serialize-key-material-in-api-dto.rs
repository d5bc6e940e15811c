// A real DTO derives `Serialize`: the first error must be key-model's,
// not serde's advice to derive `Serialize` on `KeyMaterial`.

use key_model::{ApiDto, KeyMaterial};

#[derive(serde::Serialize, ApiDto)]
struct KeyResponse {
    name: String,
    key: KeyMaterial,
}

fn main() {}
