// Key material behind a type alias with a harmless-looking name.

use key_model::{ApiDto, KeyMaterial};

type Fingerprint = KeyMaterial;

#[derive(ApiDto)]
struct KeyResponse {
    id: u64,
    fingerprint: Fingerprint,
}

fn main() {}
