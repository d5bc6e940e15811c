// A host's own store is no way in to the ring's store either: calling a
// store needs a `StoreCall`, and a host cannot make one.
use key_model::ring::{KeyStore, MemoryKeyStore, Revision, StoreCall, StoredKey};
use key_model::{BackendError, KeyName, TenantId};

struct Mine(MemoryKeyStore);

impl KeyStore for Mine {
    fn load(&self, call: &StoreCall, name: &KeyName) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.0.load(call, name)
    }
    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        self.0.list(call, tenant)
    }
    fn save(&self, call: &StoreCall, key: &StoredKey, expected: Option<Revision>) -> Result<Revision, BackendError> {
        self.0.save(call, key, expected)
    }
}

fn main() {
    let name: KeyName = "tenants/acme/keys/audit-export".parse().unwrap();
    let call = StoreCall::new();
    let _ = Mine(MemoryKeyStore::new()).load(&call, &name);
}
