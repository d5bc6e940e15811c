// `{t:?}` on a 13-element tuple, past the tuples std implements `Debug`
// for: reported at the field.

use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("{t:?}")]
struct Entry {
    t: (u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8),
}

fn main() {}
