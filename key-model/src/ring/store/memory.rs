//! A [`KeyStore`] in process memory.

use std::collections::BTreeMap;
use std::sync::{PoisonError, RwLock};

use crate::model::id::{KeyName, TenantId};
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::store::{KeyStore, Revision, StoreCall, StoredKey};

/// A [`KeyStore`] in process memory: the default, and the model for a
/// database-backed one. Records are kept as the ring saved them.
///
/// ```
/// use key_model::ring::{MemoryKeyStore, MemoryRootKey};
/// use key_model::{KeyName, KeyRing, TenantScope};
///
/// let ring = KeyRing::new(MemoryKeyStore::new(), MemoryRootKey::generate()?);
/// let scope = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// ring.create_key(&scope, &name)?;
/// // The host asks the ring (metadata only), never the store.
/// let listed = ring.list(&scope)?;
/// assert_eq!(listed[0].key_ref().name(), name);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryKeyStore {
    keys: RwLock<BTreeMap<KeyName, (StoredKey, Revision)>>,
}

impl MemoryKeyStore {
    /// An empty store.
    pub fn new() -> MemoryKeyStore {
        MemoryKeyStore::default()
    }
}

impl KeyStore for MemoryKeyStore {
    fn load(
        &self,
        _: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        // A writer that panicked left either the old or the new record:
        // `insert` replaces a whole record. Reading on is safe.
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        Ok(keys.get(name).cloned())
    }

    fn revision(&self, _: &StoreCall, name: &KeyName) -> Result<Option<Revision>, BackendError> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        Ok(keys.get(name).map(|(_, revision)| *revision))
    }

    fn list(&self, _: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        Ok(keys
            .keys()
            .filter(|name| name.tenant() == tenant)
            .cloned()
            .collect())
    }

    fn save(
        &self,
        _: &StoreCall,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        let conflict = |detail| Err(BackendError::new(BackendErrorKind::Conflict, detail));
        // The comparison and the write under one write lock: the swap is
        // atomic for every thread of the process.
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        let current = keys.get(&key.name).map(|(_, revision)| *revision);
        if current != expected {
            return match current {
                Some(_) if expected.is_none() => conflict("the key exists already"),
                _ => conflict("the record changed since it was read"),
            };
        }
        let next = Revision::new(current.map_or(1, |r| r.get().saturating_add(1)));
        keys.insert(key.name.clone(), (key.clone(), next));
        Ok(next)
    }
}
