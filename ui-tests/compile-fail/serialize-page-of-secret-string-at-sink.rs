// A generic page instantiated with a secret at the API sink: the message
// says the real requirement (the item type must be secret-free), with no
// invitation to implement `ApiDto` by hand.

use key_model::ApiDto;
use secrecy::SecretString;

#[derive(serde::Serialize, ApiDto)]
struct Page<T> {
    items: Vec<T>,
    next: Option<String>,
}

fn send(page: &Page<SecretString>) {
    let _ = key_model::sink::api_json(page);
}

fn main() {}
