// Anyone can implement a root key (a KMS, an HSM), and forward the ring's
// `RingCall` to a root key it wraps; the ring then uses it as any other.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use key_model::ring::{MemoryKeyStore, MemoryRootKey, RingCall, RootKey, SecretBox, WrappedKey};
use key_model::{BackendError, KeyName, KeyRef, KeyRing, TenantScope};

struct Counting {
    inner: MemoryRootKey,
    calls: AtomicUsize,
}

impl RootKey for Counting {
    fn wrap(&self, call: &RingCall, key_ref: &KeyRef, material: &SecretBox<[u8; 32]>) -> Result<WrappedKey, BackendError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.inner.wrap(call, key_ref, material)
    }
    fn unwrap(&self, call: &RingCall, key_ref: &KeyRef, wrapped: &WrappedKey) -> Result<SecretBox<[u8; 32]>, BackendError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.inner.unwrap(call, key_ref, wrapped)
    }
}

fn main() {
    let root = Arc::new(Counting { inner: MemoryRootKey::generate().unwrap(), calls: AtomicUsize::new(0) });
    let ring = KeyRing::new(MemoryKeyStore::new(), Arc::clone(&root));
    let scope = TenantScope::authorized_by_host("acme".parse().unwrap());
    let name: KeyName = "tenants/acme/keys/audit-export".parse().unwrap();
    ring.create_key(&scope, &name).unwrap();
    let sealed = ring.encrypt(&scope, &name, b"rows", b"").unwrap();
    assert_eq!(ring.decrypt(&scope, &sealed, b"").unwrap().as_bytes(), b"rows");
    assert!(root.calls.load(Ordering::Relaxed) >= 1);
}
