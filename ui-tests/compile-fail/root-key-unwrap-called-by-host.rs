// A host that holds the root key it gave the ring cannot unwrap a stored
// record itself (a row it read from its own database): `unwrap` takes a
// `RingCall`, which only key-model makes.
use key_model::ring::{MemoryRootKey, RootKey, StoredKey};

const ROW: &str = r#"{"name":"tenants/acme/keys/audit-export","versions":[{"metadata":{
    "key_ref":"tenants/acme/keys/audit-export/versions/1","state":"disabled",
    "origin":"platform_managed","created_at":1764400000,"primary":true},"wrapped":"AQID"}]}"#;

fn main() {
    let root = MemoryRootKey::generate().unwrap();
    let record: StoredKey = serde_json::from_str(ROW).unwrap();
    let version = &record.versions()[0];
    let _raw = root.unwrap(version.metadata().key_ref(), version.wrapped().unwrap());
}
