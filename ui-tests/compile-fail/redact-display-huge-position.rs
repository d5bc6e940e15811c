// A position past what std reads (`u16`) is refused quoting the digits as
// written, not a number the derive made of them.

#[derive(key_model::RedactedDisplay)]
#[display("{99999999999999999999999}")]
struct Entry(u64);

fn main() {}
