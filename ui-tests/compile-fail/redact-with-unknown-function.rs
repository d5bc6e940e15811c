// A `with` path that names no function is reported at the path.
use key_model::RedactedDebug;

#[derive(RedactedDebug)]
struct Card {
    #[redact(with = last_four)]
    number: String,
}

fn main() {}
