// `.*` takes the next positional field as the precision: here a
// `#[redact(with = ...)]` field, whose raw value would show as the number
// of digits printed. Refused.
use core::fmt;

use key_model::RedactedDisplay;

fn hidden(_: &usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str("[hidden]")
}

#[derive(RedactedDisplay)]
#[display("{:.*}")]
struct Reading(#[redact(with = hidden)] usize, f64);

fn main() {}
