// A type parameter whose default is a secret: `Page` (that is,
// `Page<KeyMaterial>`) is not an API DTO, even with the field skipped by
// serde.
use key_model::{ApiDto, KeyMaterial};

#[derive(serde::Serialize, ApiDto)]
struct Page<T = KeyMaterial> {
    #[serde(skip)]
    items: Vec<T>,
}

fn main() {
    let page: Page = Page { items: Vec::new() };
    key_model::sink::api_json(&page).unwrap();
}
