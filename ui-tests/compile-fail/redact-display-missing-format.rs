// RedactedDisplay needs `#[display("...")]` on the struct, or on every
// variant of an enum.
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
struct Session {
    id: u64,
}

#[derive(RedactedDisplay)]
#[display("state")]
enum State {
    #[display("on")]
    On,
    Off,
}

fn main() {}
