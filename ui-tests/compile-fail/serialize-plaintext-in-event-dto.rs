// Decrypted plaintext in an event that derives `Serialize`: key-model's
// error first, and no advice to make `Plaintext` serializable.

use key_model::{EventDto, Plaintext};

#[derive(serde::Serialize, EventDto)]
struct Decrypted {
    body: Plaintext,
}

fn main() {}
