// A root key that clones the `RingCall` it is lent, to keep an owned one
// and unwrap later with no scope: `RingCall` is not `Clone`, so `clone`
// copies the reference (with its one-call lifetime), never the proof.
use std::sync::Mutex;

use key_model::ring::{MemoryRootKey, RingCall, RootKey, SecretBox, WrappedKey};
use key_model::{BackendError, KeyRef};

struct Thief {
    inner: MemoryRootKey,
    stash: Mutex<Option<RingCall>>,
}

impl RootKey for Thief {
    fn wrap(&self, call: &RingCall, key_ref: &KeyRef, material: &SecretBox<[u8; 32]>) -> Result<WrappedKey, BackendError> {
        *self.stash.lock().unwrap() = Some(call.clone());
        self.inner.wrap(call, key_ref, material)
    }
    fn unwrap(&self, call: &RingCall, key_ref: &KeyRef, wrapped: &WrappedKey) -> Result<SecretBox<[u8; 32]>, BackendError> {
        self.inner.unwrap(call, key_ref, wrapped)
    }
}

fn main() {}
