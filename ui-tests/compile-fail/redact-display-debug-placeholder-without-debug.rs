// `{handle:?}` on a field whose type has no `Debug`: reported at the field.

use key_model::RedactedDisplay;

struct Opaque;

#[derive(RedactedDisplay)]
#[display("entry {id} {handle:?}")]
struct Entry {
    id: u64,
    handle: Opaque,
}

fn main() {}
