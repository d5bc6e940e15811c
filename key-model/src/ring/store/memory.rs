//! A [`KeyStore`] in process memory.

use std::collections::BTreeMap;
use std::sync::{PoisonError, RwLock};

use crate::model::id::{KeyName, TenantId};
use crate::ring::backend::BackendError;
use crate::ring::store::{KeyStore, StoredKey};

/// A [`KeyStore`] in process memory: the default, and the model for a
/// database-backed one. Records are kept as the ring saved them.
///
/// ```
/// use std::sync::Arc;
/// use key_model::ring::{KeyStore, MemoryKeyStore, MemoryRootKey};
/// use key_model::{KeyName, KeyRing, TenantScope};
///
/// let store = Arc::new(MemoryKeyStore::new());
/// let ring = KeyRing::new(Arc::clone(&store), MemoryRootKey::generate()?);
/// let scope = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// ring.create_key(&scope, &name)?;
/// assert_eq!(store.list(scope.tenant())?, vec![name]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryKeyStore {
    keys: RwLock<BTreeMap<KeyName, StoredKey>>,
}

impl MemoryKeyStore {
    /// An empty store.
    pub fn new() -> MemoryKeyStore {
        MemoryKeyStore::default()
    }
}

impl KeyStore for MemoryKeyStore {
    fn load(&self, name: &KeyName) -> Result<Option<StoredKey>, BackendError> {
        // A writer that panicked left either the old or the new record:
        // `insert` replaces a whole record. Reading on is safe.
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        Ok(keys.get(name).cloned())
    }

    fn list(&self, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        Ok(keys
            .keys()
            .filter(|name| name.tenant() == tenant)
            .cloned()
            .collect())
    }

    fn save(&self, key: &StoredKey) -> Result<(), BackendError> {
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        keys.insert(key.name.clone(), key.clone());
        Ok(())
    }
}
