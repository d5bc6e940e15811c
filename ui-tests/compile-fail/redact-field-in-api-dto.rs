// A plain `#[redact]` field in a named struct that derives ApiDto beside
// RedactedDebug: the author said the field is a secret, so the API body
// must not carry it (issue 11 item 1's example).

use key_model::{ApiDto, RedactedDebug};

#[derive(serde::Serialize, ApiDto, RedactedDebug)]
struct Login {
    name: String,
    #[redact]
    password: String,
}

fn main() {}
