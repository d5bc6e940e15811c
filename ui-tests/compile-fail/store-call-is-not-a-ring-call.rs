// A store that also holds the root key cannot unwrap with the proof the
// ring lent it: a `StoreCall` is not a `RingCall`. A store sees wrapped
// material only.
use key_model::ring::{KeyStore, MemoryKeyStore, MemoryRootKey, Revision, RootKey, StoreCall, StoredKey};
use key_model::{BackendError, KeyName, TenantId};

struct Peeking {
    inner: MemoryKeyStore,
    root: MemoryRootKey,
}

impl KeyStore for Peeking {
    fn load(&self, call: &StoreCall, name: &KeyName) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.inner.load(call, name)
    }
    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        self.inner.list(call, tenant)
    }
    fn save(&self, call: &StoreCall, key: &StoredKey, expected: Option<Revision>) -> Result<Revision, BackendError> {
        let version = &key.versions()[0];
        let _raw = self.root.unwrap(call, version.metadata().key_ref(), version.wrapped().unwrap());
        self.inner.save(call, key, expected)
    }
}

fn main() {}
