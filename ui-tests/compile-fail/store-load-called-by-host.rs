// Nor can it read a record through the store: the host asks the ring
// (`KeyRing::list`, `KeyRing::versions`: metadata of one tenant's keys).
use key_model::ring::{KeyStore, MemoryKeyStore};
use key_model::KeyName;

fn main() {
    let store = MemoryKeyStore::new();
    let name: KeyName = "tenants/acme/keys/audit-export".parse().unwrap();
    let _ = store.load(&name);
}
