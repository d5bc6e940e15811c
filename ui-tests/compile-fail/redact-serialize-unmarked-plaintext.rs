// Decrypted plaintext in a field not marked `#[redact]`: `Plaintext` has no
// `Serialize`, so the redacting `Serialize` refuses the field.
use key_model::{Plaintext, RedactedSerialize};

#[derive(RedactedSerialize)]
struct Decrypted {
    id: u64,
    data: Plaintext,
}

fn main() {}
