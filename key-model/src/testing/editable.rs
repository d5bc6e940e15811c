//! [`EditableKeyStore`]: a store whose records a test may read and write
//! directly, as whoever holds a database's credentials can.

use crate::model::id::{KeyName, TenantId};
use crate::ring::backend::BackendError;
use crate::ring::store::memory::MemoryKeyStore;
use crate::ring::store::{KeyStore, Revision, StoreCall, StoredKey};

/// A store in process memory whose records the host may read and write
/// without the key ring: the attacker of a test, who edits the database
/// behind the ring's back (rolls a record back, swaps wrapped keys, writes
/// a state from the future), or the reader who checks what is at rest.
///
/// No other store allows this: a [`KeyStore`]'s methods take a
/// [`StoreCall`] that only key-model creates (G6). This one opens its own
/// records on purpose, as the one thing the type system cannot close: a
/// database can be edited by whoever has its credentials. It is for tests
/// (feature `testing`): never give it to a ring that holds real keys.
///
/// ```
/// use std::sync::Arc;
/// use key_model::testing::EditableKeyStore;
/// use key_model::{KeyName, KeyRing, StateKind, TenantScope};
///
/// let store = Arc::new(EditableKeyStore::new());
/// let root = Arc::new(key_model::ring::MemoryRootKey::generate()?);
/// let ring = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
/// let acme = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// let v1 = ring.create_key(&acme, &name)?.key_ref().clone();
/// ring.rotate(&acme, &name)?;
/// let (before, _) = store.record(&name)?.unwrap();
/// ring.disable(&acme, &v1)?;
///
/// // Roll the record back behind the ring's back: what a stolen database
/// // password allows, and what a host holding any other store cannot do.
/// let (_, now) = store.record(&name)?.unwrap();
/// store.write(&before, Some(now))?;
/// let restarted = KeyRing::new(Arc::clone(&store), root);
/// assert_eq!(restarted.versions(&acme, &name)?[0].state().kind(), StateKind::Enabled);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct EditableKeyStore {
    inner: MemoryKeyStore,
}

impl EditableKeyStore {
    /// An empty store.
    pub fn new() -> EditableKeyStore {
        EditableKeyStore::default()
    }

    /// The record of `name` and its revision, as last written.
    pub fn record(&self, name: &KeyName) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.inner.load(&StoreCall::new(), name)
    }

    /// The names of every key of `tenant`.
    pub fn names(&self, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        self.inner.list(&StoreCall::new(), tenant)
    }

    /// Writes `key` if the stored revision is `expected` (`None`: only if
    /// the key does not exist), as [`KeyStore::save`] does, but called by
    /// the test instead of the ring.
    pub fn write(
        &self,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        self.inner.save(&StoreCall::new(), key, expected)
    }
}

impl KeyStore for EditableKeyStore {
    fn load(
        &self,
        call: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.inner.load(call, name)
    }

    fn revision(&self, call: &StoreCall, name: &KeyName) -> Result<Option<Revision>, BackendError> {
        self.inner.revision(call, name)
    }

    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        self.inner.list(call, tenant)
    }

    fn save(
        &self,
        call: &StoreCall,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        self.inner.save(call, key, expected)
    }
}
