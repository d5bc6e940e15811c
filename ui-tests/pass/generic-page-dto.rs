// A generic DTO is secret-free for secret-free parameters, and goes to a
// sink instantiated with one.

use key_model::{ApiDto, KeyMetadata, KeyRef, SecretFree};

#[derive(serde::Serialize, ApiDto)]
struct Page<T> {
    items: Vec<T>,
    next: Option<String>,
}

#[derive(serde::Serialize, SecretFree)]
struct KeySummary {
    key: KeyRef,
    enabled: bool,
}

fn main() {
    let page = Page {
        items: vec![KeySummary {
            key: "tenants/acme/keys/audit-export/versions/1".parse().unwrap(),
            enabled: true,
        }],
        next: None,
    };
    let json = key_model::sink::api_json(&page).unwrap();
    assert_eq!(
        json,
        br#"{"items":[{"key":"tenants/acme/keys/audit-export/versions/1","enabled":true}],"next":null}"#
    );
    fn assert_api<T: key_model::ApiDto>() {}
    assert_api::<Page<KeyMetadata>>();
    assert_api::<Page<Page<u8>>>();
}
