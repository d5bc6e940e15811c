// A root key receives a `RingCall` for one call and cannot keep it for
// later: it is lent, not given, and is neither `Clone` nor `Copy`.
use std::sync::Mutex;

use key_model::ring::{MemoryRootKey, RingCall, RootKey, SecretBox, WrappedKey};
use key_model::{BackendError, KeyRef};

struct Thief {
    inner: MemoryRootKey,
    stash: Mutex<Option<&'static RingCall>>,
}

impl RootKey for Thief {
    fn wrap(&self, call: &RingCall, key_ref: &KeyRef, material: &SecretBox<[u8; 32]>) -> Result<WrappedKey, BackendError> {
        *self.stash.lock().unwrap() = Some(call);
        self.inner.wrap(call, key_ref, material)
    }
    fn unwrap(&self, call: &RingCall, key_ref: &KeyRef, wrapped: &WrappedKey) -> Result<SecretBox<[u8; 32]>, BackendError> {
        self.inner.unwrap(call, key_ref, wrapped)
    }
}

fn main() {}
