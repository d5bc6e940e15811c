// Nor can it wrap material of its choosing to plant it in the store.
use key_model::ring::{MemoryRootKey, RootKey, SecretBox};
use key_model::KeyRef;

fn main() {
    let root = MemoryRootKey::generate().unwrap();
    let key_ref: KeyRef = "tenants/acme/keys/audit-export/versions/1".parse().unwrap();
    let chosen = SecretBox::new(Box::new([7u8; 32]));
    let _planted = root.wrap(&key_ref, &chosen);
}
