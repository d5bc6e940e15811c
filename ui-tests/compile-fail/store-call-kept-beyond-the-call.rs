// A store receives a `StoreCall` for one call and cannot keep it to call
// the store later, behind the ring's back: it is lent, not given, and is
// neither `Clone` nor `Copy`.
use std::sync::Mutex;

use key_model::ring::{KeyStore, MemoryKeyStore, Revision, StoreCall, StoredKey};
use key_model::{BackendError, KeyName, TenantId};

struct Thief {
    inner: MemoryKeyStore,
    stash: Mutex<Option<&'static StoreCall>>,
}

impl KeyStore for Thief {
    fn load(&self, call: &StoreCall, name: &KeyName) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        *self.stash.lock().unwrap() = Some(call);
        self.inner.load(call, name)
    }
    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        self.inner.list(call, tenant)
    }
    fn save(&self, call: &StoreCall, key: &StoredKey, expected: Option<Revision>) -> Result<Revision, BackendError> {
        self.inner.save(call, key, expected)
    }
}

fn main() {}
