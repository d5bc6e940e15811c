//! Where the key ring gets the material of a new key version. The ring
//! always holds a source: the operating system's random source unless a
//! crate-internal constructor gives it another (the leak-canary kit does).
//! Crate-private, so the kit's source is the only other one, and the ring
//! does not depend on the kit.

use crate::error::Error;
use crate::model::id::KeyRef;
use crate::model::material::KeyMaterial;

/// A source of material for new key versions.
pub(crate) trait MaterialSource: Send + Sync {
    /// The material of the new version `key_ref`.
    fn material_for(&self, key_ref: &KeyRef) -> Result<KeyMaterial, Error>;
}

/// The operating system's random source: the ring's default.
pub(crate) struct OsRandom;

impl MaterialSource for OsRandom {
    fn material_for(&self, _key_ref: &KeyRef) -> Result<KeyMaterial, Error> {
        // Random material does not depend on the reference.
        KeyMaterial::generate()
    }
}
