//! A [`RootKey`] in process memory.

use secrecy::SecretBox;

use crate::error::Error;
use crate::model::id::KeyRef;
use crate::model::material::KeyMaterial;
use crate::ring::backend::BackendError;
use crate::ring::root::xchacha;
use crate::ring::root::{RingCall, RootKey, WrappedKey};

/// A [`RootKey`] held in process memory: 32 random bytes that wrap key
/// material with XChaCha20-Poly1305, the key reference's canonical text as
/// associated data (the format [`FileRootKey`](crate::ring::FileRootKey)
/// shares).
///
/// It lives as long as the process: material wrapped by one instance cannot
/// be unwrapped by another. A KMS or an HSM takes its place in production.
///
/// ```
/// use key_model::ring::MemoryRootKey;
///
/// let root = MemoryRootKey::generate()?;
/// assert_eq!(format!("{root:?}"), "MemoryRootKey { key: KeyMaterial([REDACTED]) }");
/// # Ok::<(), key_model::Error>(())
/// ```
#[derive(Debug)]
pub struct MemoryRootKey {
    key: KeyMaterial,
}

impl MemoryRootKey {
    /// A root key from the operating system's random source.
    pub fn generate() -> Result<MemoryRootKey, Error> {
        Ok(MemoryRootKey::from_material(KeyMaterial::generate()?))
    }

    /// A root key with exactly this material (random, or a leak test's
    /// canary).
    pub(crate) fn from_material(key: KeyMaterial) -> MemoryRootKey {
        MemoryRootKey { key }
    }
}

impl RootKey for MemoryRootKey {
    fn wrap(
        &self,
        _: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        xchacha::wrap(&self.key, key_ref, material)
    }

    fn unwrap(
        &self,
        _: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        xchacha::unwrap(&self.key, key_ref, wrapped)
    }
}
