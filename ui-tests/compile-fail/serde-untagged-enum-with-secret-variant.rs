// serde's enum representations change nothing: every variant's fields are
// checked, skipped or not.
use key_model::EventDto;
use secrecy::SecretString;

#[derive(serde::Serialize, EventDto)]
#[serde(untagged)]
enum Payload {
    Id(u64),
    Token(#[serde(skip)] SecretString),
}

fn main() {}
