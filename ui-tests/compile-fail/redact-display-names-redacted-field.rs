// A `#[display]` string that names a `#[redact]` field does not compile.
use key_model::{KeyRef, RedactedDisplay};

#[derive(RedactedDisplay)]
#[display("session {id} under {encryption_key_ref} with token {token}")]
struct Session {
    id: u64,
    encryption_key_ref: KeyRef,
    #[redact]
    token: String,
}

fn main() {}
