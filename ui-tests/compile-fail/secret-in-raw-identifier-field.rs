// Key material in a field with a raw identifier.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeyResponse {
    r#type: String,
    r#ref: KeyMaterial,
}

fn main() {}
