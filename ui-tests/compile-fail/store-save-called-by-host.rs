// A host that holds the store it gave the ring cannot write a record
// itself: writing back a copy taken before a disable would undo it (G6).
// `save` takes a `StoreCall`, which only key-model makes.
use std::sync::Arc;

use key_model::ring::{KeyStore, MemoryKeyStore, MemoryRootKey, StoredKey};
use key_model::{KeyRing, TenantScope};

// The record as it was while version 1 was enabled (a backup, say).
const BEFORE: &str = r#"{"name":"tenants/acme/keys/audit-export","versions":[{"metadata":{
    "key_ref":"tenants/acme/keys/audit-export/versions/1","state":"enabled",
    "origin":"platform_managed","created_at":1764400000,"primary":true},"wrapped":"AQID"}]}"#;

fn main() {
    let store = Arc::new(MemoryKeyStore::new());
    let ring = KeyRing::new(Arc::clone(&store), MemoryRootKey::generate().unwrap());
    let scope = TenantScope::authorized_by_host("acme".parse().unwrap());
    ring.create_key(&scope, &"tenants/acme/keys/audit-export".parse().unwrap()).unwrap();
    let before: StoredKey = serde_json::from_str(BEFORE).unwrap();
    let _ = store.save(&before, None);
}
