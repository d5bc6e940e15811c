// `{name:x}` on a `String`, which has no `LowerHex`: reported at the field.

use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("{name:x}")]
struct Entry {
    name: String,
}

fn main() {}
