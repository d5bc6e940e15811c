// secrecy's `SecretBox` as a field.

use key_model::ApiDto;
use secrecy::SecretBox;

#[derive(ApiDto)]
struct SeedResponse {
    seed: SecretBox<[u8; 32]>,
}

fn main() {}
