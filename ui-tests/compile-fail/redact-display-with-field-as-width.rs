// A `#[redact(with = ...)]` field used as a width: only its function may
// write it, but as a count its raw `usize` would set the padding, so a PIN
// of 4711 would print 4710 spaces. Refused.
use core::fmt;

use key_model::RedactedDisplay;

fn last_digit(pin: &usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "*{}", pin % 10)
}

#[derive(RedactedDisplay)]
#[display("user {user:>pin$} (pin {pin})")]
struct Login {
    user: String,
    #[redact(with = last_digit)]
    pin: usize,
}

fn main() {}
