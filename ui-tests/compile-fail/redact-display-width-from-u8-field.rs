// `{name:>width$}` with `width: u8`: a width must be a `usize`; reported at
// the field that is not one.

use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("{name:>width$}")]
struct Entry {
    name: String,
    width: u8,
}

fn main() {}
