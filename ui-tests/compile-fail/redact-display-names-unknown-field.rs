// A `#[display]` string that names a field the type does not have does not
// compile, and the message lists what can be displayed.
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("session {session_id}")]
struct Session {
    id: u64,
    #[redact]
    token: String,
}

fn main() {}
