// A `#[redact(skip)]` field cannot be displayed either, by name or position.
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("{0} {1}")]
struct Pair(u8, #[redact(skip)] String);

fn main() {}
