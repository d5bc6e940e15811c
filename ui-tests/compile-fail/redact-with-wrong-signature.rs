// A `with` function must be `fn(&T, &mut Formatter<'_>) -> fmt::Result`:
// one that takes the value by value (or returns a String it formatted
// first) is reported at the path.
use key_model::RedactedDebug;

fn last_four(number: String) -> String {
    number[number.len() - 4..].to_owned()
}

#[derive(RedactedDebug)]
struct Card {
    #[redact(with = last_four)]
    number: String,
}

fn main() {}
