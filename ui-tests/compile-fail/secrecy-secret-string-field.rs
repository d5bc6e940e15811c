// secrecy's `SecretString` as a field.

use key_model::ApiDto;
use secrecy::SecretString;

#[derive(ApiDto)]
struct TokenResponse {
    token: SecretString,
}

fn main() {}
