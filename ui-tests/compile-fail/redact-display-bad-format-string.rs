// A malformed format string is reported at the string.
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("session {id")]
struct Session {
    id: u64,
}

#[derive(RedactedDisplay)]
#[display("session {id:q}")]
struct Other {
    id: u64,
}

fn main() {}
