// An unknown `#[redact(...)]` option is an error at the option, reported
// once even when several derives read it.
use key_model::{RedactedDebug, RedactedDisplay, RedactedSerialize};

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("{user}")]
struct Login {
    user: String,
    #[redact(hide)]
    password: String,
}

fn main() {}
