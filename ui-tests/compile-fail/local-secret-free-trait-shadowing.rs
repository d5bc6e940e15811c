// A local trait named `SecretFree`, implemented for key material, does not
// stand in for key-model's: the derive names `::key_model::SecretFree`.
use key_model::{ApiDto, KeyMaterial};

trait SecretFree {}

impl SecretFree for KeyMaterial {}

#[derive(ApiDto)]
struct Body {
    key: KeyMaterial,
}

fn main() {}
