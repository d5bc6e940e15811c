// `x: _` is refused by the compiler (E0121) at the field; every derive
// adds nothing after it (no "type annotations needed" naming a generated
// item).

use key_model::{ApiDto, RedactedDebug, RedactedDisplay, RedactedSerialize};

#[derive(serde::Serialize, ApiDto)]
struct Dto {
    x: _,
}

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("{x}")]
struct Internal {
    x: _,
    #[redact]
    secret: String,
}

fn main() {}
