// A store that clones the `StoreCall` it is lent, to keep an owned one and
// call the store later behind the ring's back: `StoreCall` is not `Clone`,
// so `clone` copies the reference (with its one-call lifetime), never the
// proof.
use std::sync::Mutex;

use key_model::ring::{KeyStore, MemoryKeyStore, Revision, StoreCall, StoredKey};
use key_model::{BackendError, KeyName, TenantId};

struct Thief {
    inner: MemoryKeyStore,
    stash: Mutex<Option<StoreCall>>,
}

impl KeyStore for Thief {
    fn load(&self, call: &StoreCall, name: &KeyName) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        *self.stash.lock().unwrap() = Some(call.clone());
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
