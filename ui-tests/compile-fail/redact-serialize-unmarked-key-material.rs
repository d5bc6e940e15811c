// Serializing an unmarked `KeyMaterial` does not compile: the message names
// the field and says to add `#[redact]`.
use key_model::{KeyMaterial, RedactedSerialize};

#[derive(RedactedSerialize)]
struct Entry {
    tenant: String,
    key: KeyMaterial,
}

fn main() {}
