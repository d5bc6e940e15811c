// Displaying an unmarked secret does not compile: the message names the
// field and says to add `#[redact]`.
use key_model::{KeyMaterial, RedactedDisplay};

#[derive(RedactedDisplay)]
#[display("entry {tenant}: {key}")]
struct Entry {
    tenant: String,
    key: KeyMaterial,
}

fn main() {}
