// A field removed by `#[cfg]` is not checked (it does not exist); raw
// identifiers work as field names.

use key_model::{ApiDto, KeyRef};

#[derive(serde::Serialize, ApiDto)]
struct KeyResponse {
    r#type: String,
    r#ref: KeyRef,
    #[cfg(any())]
    material: key_model::KeyMaterial,
    #[cfg(all())]
    enabled: bool,
}

fn main() {
    let r = KeyResponse {
        r#type: "aead".into(),
        r#ref: "tenants/acme/keys/audit-export/versions/1".parse().unwrap(),
        enabled: true,
    };
    assert_eq!(
        key_model::sink::api_json(&r).unwrap(),
        br#"{"type":"aead","ref":"tenants/acme/keys/audit-export/versions/1","enabled":true}"#
    );
}
