// A struct with named fields is displayed by name: `{}` and `{0}` name no
// field there.
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("{} {0}")]
struct Session {
    id: u64,
}

fn main() {}
