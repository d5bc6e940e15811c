// Unions are refused by every redacting derive, with one error each and no
// cascade.
use key_model::{RedactedDebug, RedactedDisplay, RedactedSerialize};

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {
    // The stub impls keep uses of the type from failing too.
    let bits = Bits { int: 1 };
    let _ = format!("{bits:?} {bits}");
}
