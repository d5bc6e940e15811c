// A `#[redact]` field formatted with another trait (`{token:?}`,
// `{token:#x}`) is still a redacted field in the format string: refused.
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("session {id} {token:?} {token:#x}")]
struct Session {
    id: u64,
    #[redact]
    token: u128,
}

fn main() {}
