// A field written as is whose type has no `Debug`: reported at the field,
// as std's `#[derive(Debug)]` does, not at the derive line.

use key_model::RedactedDebug;

struct Opaque;

#[derive(RedactedDebug)]
struct Entry {
    id: u64,
    handle: Opaque,
}

fn main() {}
