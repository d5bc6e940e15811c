// `with` takes a path; anything else is reported at the value.
use key_model::RedactedDebug;

#[derive(RedactedDebug)]
struct Card {
    #[redact(with = 42)]
    number: String,
    #[redact(with)]
    cvv: String,
}

fn main() {}
