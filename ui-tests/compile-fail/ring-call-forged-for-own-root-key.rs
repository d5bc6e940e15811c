// A host's own root key is no way in either: calling it needs a `RingCall`,
// and a host cannot make one.
use key_model::ring::{RingCall, RootKey, SecretBox, WrappedKey};
use key_model::{BackendError, KeyRef};

struct Mine;

impl RootKey for Mine {
    fn wrap(&self, _: &RingCall, _: &KeyRef, _: &SecretBox<[u8; 32]>) -> Result<WrappedKey, BackendError> {
        Ok(WrappedKey::from_bytes(vec![0; 73]))
    }
    fn unwrap(&self, _: &RingCall, _: &KeyRef, _: &WrappedKey) -> Result<SecretBox<[u8; 32]>, BackendError> {
        Ok(SecretBox::new(Box::new([0; 32])))
    }
}

fn main() {
    let key_ref: KeyRef = "tenants/acme/keys/audit-export/versions/1".parse().unwrap();
    let call = RingCall::new();
    let _ = Mine.unwrap(&call, &key_ref, &WrappedKey::from_bytes(vec![0; 73]));
}
