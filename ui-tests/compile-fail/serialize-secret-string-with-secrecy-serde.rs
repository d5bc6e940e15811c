// secrecy's `serde` feature is on (the UI crate enables it, as a service
// that deserializes secrets does): `SecretString` in a DTO that derives
// `Serialize` gets key-model's error first.

use key_model::ApiDto;
use secrecy::SecretString;

#[derive(serde::Serialize, ApiDto)]
struct TokenResponse {
    token: SecretString,
}

fn main() {}
