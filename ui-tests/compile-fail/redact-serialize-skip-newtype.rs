// serde always writes the only field of a newtype; skipping it would change
// the data model, so it is refused in favour of `#[redact]`.
use key_model::RedactedSerialize;

#[derive(RedactedSerialize)]
struct Token(#[redact(skip)] String);

fn main() {}
