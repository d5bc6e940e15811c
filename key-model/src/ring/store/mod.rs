//! The key store plug point: where keys are stored, one record per key.
//! One file per backend beside this one (`memory.rs` today; SQL databases
//! next).
//!
//! A database-backed store implements [`KeyStore`]; callers of
//! [`KeyRing`](crate::KeyRing) do not change.

use std::sync::Arc;

use crate::model::id::{KeyName, TenantId};
use crate::model::lifecycle::KeyMetadata;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::root::WrappedKey;

pub(crate) mod memory;
#[cfg(feature = "store-postgres")]
pub(crate) mod postgres;

/// One version of a key as stored: its metadata and its wrapped material
/// (`None` once destroyed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredVersion {
    pub(crate) metadata: KeyMetadata,
    pub(crate) wrapped: Option<WrappedKey>,
}

impl StoredVersion {
    /// The version's metadata.
    pub fn metadata(&self) -> &KeyMetadata {
        &self.metadata
    }

    /// Its wrapped material; `None` once destroyed.
    pub fn wrapped(&self) -> Option<&WrappedKey> {
        self.wrapped.as_ref()
    }
}

/// A key as stored: its name and every version, in ascending order, exactly
/// one of them the primary. The unit a [`KeyStore`] reads and writes, so a
/// rotation (new version, primary moved) is one write.
///
/// Serde gives a backend a ready format (JSON, say); a state written by a
/// newer version of key-model loads as
/// [`KeyState::Unrecognized`](crate::KeyState::Unrecognized) and fails
/// closed.
///
/// ```
/// use key_model::ring::StoredKey;
/// use key_model::KeyState;
///
/// let row = r#"{
///   "name": "tenants/acme/keys/audit-export",
///   "versions": [{
///     "metadata": {
///       "key_ref": "tenants/acme/keys/audit-export/versions/1",
///       "state": "quarantined",
///       "origin": "platform_managed",
///       "created_at": 1764400000,
///       "primary": true
///     },
///     "wrapped": null
///   }]
/// }"#;
/// let key: StoredKey = serde_json::from_str(row)?;
/// let state = key.versions()[0].metadata().state();
/// assert!(matches!(state, KeyState::Unrecognized(_)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredKey {
    pub(crate) name: KeyName,
    pub(crate) versions: Vec<StoredVersion>,
}

impl StoredKey {
    /// The key's name.
    pub fn name(&self) -> &KeyName {
        &self.name
    }

    /// Its versions, oldest first.
    pub fn versions(&self) -> &[StoredVersion] {
        &self.versions
    }

    /// Checks what the key ring relies on: at least one version, versions
    /// strictly ascending and all of this key, exactly one primary.
    pub(crate) fn validate(&self, name: &KeyName) -> Result<(), BackendError> {
        let corrupt = |detail| Err(BackendError::new(BackendErrorKind::Corrupt, detail));
        if &self.name != name {
            return corrupt("record loaded under another key's name");
        }
        if self.versions.is_empty() {
            return corrupt("key record has no versions");
        }
        let mut previous = None;
        for v in &self.versions {
            let r = v.metadata.key_ref();
            if r.tenant() != name.tenant() || r.purpose() != name.purpose() {
                return corrupt("version belongs to another key");
            }
            if previous.is_some_and(|p| p >= r.version()) {
                return corrupt("versions are not strictly ascending");
            }
            previous = Some(r.version());
        }
        if self
            .versions
            .iter()
            .filter(|v| v.metadata.is_primary())
            .count()
            != 1
        {
            return corrupt("key record does not have exactly one primary version");
        }
        Ok(())
    }
}

/// Where keys are stored: metadata and wrapped material, one record per
/// key. Plug point for a database.
///
/// The key ring caches what it loads and writes every change through
/// [`KeyStore::save`] before it takes effect. It serializes its own writes;
/// several processes writing one store need the store to compare and swap
/// (later work, see `docs/key-model.md`).
pub trait KeyStore: Send + Sync {
    /// The record of `name`, if the key exists.
    fn load(&self, name: &KeyName) -> Result<Option<StoredKey>, BackendError>;

    /// The names of every key of `tenant`.
    fn list(&self, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError>;

    /// Creates or replaces the record of `key.name()`, atomically.
    fn save(&self, key: &StoredKey) -> Result<(), BackendError>;
}

impl<T: KeyStore + ?Sized> KeyStore for Arc<T> {
    fn load(&self, name: &KeyName) -> Result<Option<StoredKey>, BackendError> {
        (**self).load(name)
    }

    fn list(&self, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        (**self).list(tenant)
    }

    fn save(&self, key: &StoredKey) -> Result<(), BackendError> {
        (**self).save(key)
    }
}
