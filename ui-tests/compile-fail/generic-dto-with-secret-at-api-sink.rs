// A generic page is fine; instantiated with a secret and sent to the API
// sink, it is not.

use key_model::{ApiDto, KeyMaterial};

#[derive(serde::Serialize, ApiDto)]
struct Page<T> {
    items: Vec<T>,
    next: Option<String>,
}

fn send(page: &Page<KeyMaterial>) {
    let _ = key_model::sink::api_json(page);
}

fn main() {}
