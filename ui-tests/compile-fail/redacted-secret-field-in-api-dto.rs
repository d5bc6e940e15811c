// Redaction is for internal types: a `#[redact]` secret field still makes
// a type not secret-free, so it cannot be an API DTO.
use key_model::{ApiDto, RedactedSerialize};
use secrecy::SecretString;

#[derive(RedactedSerialize, ApiDto)]
struct Login {
    user: String,
    #[redact]
    password: SecretString,
}

fn main() {}
