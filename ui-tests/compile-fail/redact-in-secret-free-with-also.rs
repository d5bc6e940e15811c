// `#[redact]` in tuple and named variants of an enum deriving SecretFree
// with `also(AuditDto)`, and no redacting derive: every one is refused, and
// the message names every kind the derive implements.

use key_model::SecretFree;

#[derive(serde::Serialize, SecretFree)]
#[key_model(also(AuditDto))]
enum Credential {
    Token(#[redact] String),
    Password {
        user: String,
        #[redact]
        password: String,
    },
}

fn main() {}
