// A generic DTO instantiated with a secret as a field of another DTO.

use key_model::{ApiDto, SecretFree};
use secrecy::SecretString;

#[derive(SecretFree)]
struct Page<T> {
    items: Vec<T>,
    next: Option<String>,
}

#[derive(ApiDto)]
struct TokensResponse {
    page: Page<SecretString>,
}

fn main() {}
