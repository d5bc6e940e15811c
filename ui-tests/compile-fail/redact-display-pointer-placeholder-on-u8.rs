// `{byte:p}` on a `u8`, which is no pointer: reported at the field.

use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("{byte:p}")]
struct Entry {
    byte: u8,
}

fn main() {}
