// A host that holds the root key it gave the ring cannot unwrap a stored
// record itself: `unwrap` takes a `RingCall`, which only key-model makes.
use std::sync::Arc;

use key_model::ring::{KeyStore, MemoryKeyStore, MemoryRootKey, RootKey};
use key_model::{KeyName, KeyRing, TenantScope};

fn main() {
    let store = Arc::new(MemoryKeyStore::new());
    let root = Arc::new(MemoryRootKey::generate().unwrap());
    let ring = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
    let scope = TenantScope::authorized_by_host("acme".parse().unwrap());
    let name: KeyName = "tenants/acme/keys/audit-export".parse().unwrap();
    ring.create_key(&scope, &name).unwrap();
    let (record, _revision) = store.load(&name).unwrap().unwrap();
    let version = &record.versions()[0];
    let _raw = root.unwrap(version.metadata().key_ref(), version.wrapped().unwrap());
}
