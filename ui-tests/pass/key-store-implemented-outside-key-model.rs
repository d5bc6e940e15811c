// Anyone can implement a store (a database), and forward the ring's
// `StoreCall` to a store it wraps; the ring then uses it as any other, and
// the host reads through the ring (metadata only).
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use key_model::ring::{KeyStore, MemoryKeyStore, MemoryRootKey, Revision, StoreCall, StoredKey};
use key_model::{BackendError, KeyName, KeyRing, StateKind, TenantId, TenantScope};

struct Counting {
    inner: MemoryKeyStore,
    saves: AtomicUsize,
}

impl KeyStore for Counting {
    fn load(&self, call: &StoreCall, name: &KeyName) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.inner.load(call, name)
    }
    fn revision(&self, call: &StoreCall, name: &KeyName) -> Result<Option<Revision>, BackendError> {
        self.inner.revision(call, name)
    }
    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        self.inner.list(call, tenant)
    }
    fn save(&self, call: &StoreCall, key: &StoredKey, expected: Option<Revision>) -> Result<Revision, BackendError> {
        self.saves.fetch_add(1, Ordering::Relaxed);
        self.inner.save(call, key, expected)
    }
}

fn main() {
    let store = Arc::new(Counting { inner: MemoryKeyStore::new(), saves: AtomicUsize::new(0) });
    let ring = KeyRing::new(Arc::clone(&store), MemoryRootKey::generate().unwrap());
    let scope = TenantScope::authorized_by_host("acme".parse().unwrap());
    let name: KeyName = "tenants/acme/keys/audit-export".parse().unwrap();
    let v1 = ring.create_key(&scope, &name).unwrap().key_ref().clone();
    ring.rotate(&scope, &name).unwrap();
    ring.disable(&scope, &v1).unwrap();
    assert_eq!(store.saves.load(Ordering::Relaxed), 3);
    let listed = ring.list(&scope).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].state().kind(), StateKind::Disabled);
}
