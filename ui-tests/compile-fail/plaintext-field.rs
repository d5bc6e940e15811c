// Decrypted plaintext is not secret-free: a DTO cannot hold the buffer
// `KeyRing::decrypt` returns.
use key_model::{ApiDto, Plaintext};

#[derive(ApiDto)]
struct RecordingResponse {
    id: u64,
    data: Plaintext,
}

fn main() {}
