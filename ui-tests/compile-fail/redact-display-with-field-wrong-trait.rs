// A `with` field is written by its function: `{}` and `{:?}` apply, a
// numeric format trait does not.
use key_model::RedactedDisplay;

fn stars(_: &u32, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    f.write_str("****")
}

#[derive(RedactedDisplay)]
#[display("pin {pin:x}")]
struct Pin {
    #[redact(with = stars)]
    pin: u32,
}

fn main() {}
