// secrecy's secret types are caught the same way, in a tuple struct and an
// enum too.
use key_model::RedactedSerialize;
use secrecy::{SecretBox, SecretString};

#[derive(RedactedSerialize)]
struct Login(String, SecretString);

#[derive(RedactedSerialize)]
enum Credential {
    Password { user: String, password: SecretBox<String> },
    Token(SecretString),
}

fn main() {}
