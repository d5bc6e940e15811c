//! A store whose revisions went backwards: a database restored from a
//! backup (or rebuilt) restarts its per-key revision counters lower than
//! the ones a running ring cached. The store is what every other ring
//! reads, so a ring follows it: a change made after the restore is
//! honoured within the cache lifetime, as any other change is
//! (`instances.rs`), never ignored because the cached revision is higher.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::support::{name, scope};
use key_model::ring::{KeyStore, MemoryKeyStore, MemoryRootKey, Revision, StoreCall, StoredKey};
use key_model::{BackendError, BackendErrorKind, Error, KeyName, KeyRing, StateKind, TenantId};

/// The in-memory store with its revisions shifted up by `offset`; a
/// restore sets the offset to zero, so every revision drops by what it
/// was and the records stay.
struct Restorable {
    inner: MemoryKeyStore,
    offset: AtomicU64,
}

impl Restorable {
    fn new() -> Restorable {
        Restorable {
            inner: MemoryKeyStore::new(),
            offset: AtomicU64::new(100),
        }
    }

    fn restore(&self) {
        self.offset.store(0, Ordering::SeqCst);
    }

    fn shown(&self, r: Revision) -> Revision {
        Revision::new(r.get() + self.offset.load(Ordering::SeqCst))
    }
}

impl KeyStore for Restorable {
    fn load(
        &self,
        call: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        Ok(self
            .inner
            .load(call, name)?
            .map(|(key, r)| (key, self.shown(r))))
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
        let offset = self.offset.load(Ordering::SeqCst);
        let expected = match expected.map(|r| r.get().checked_sub(offset)) {
            None => None,
            Some(Some(r)) => Some(Revision::new(r)),
            Some(None) => return Err(BackendError::new(BackendErrorKind::Conflict, "stale")),
        };
        Ok(self.shown(self.inner.save(call, key, expected)?))
    }
}

/// Seen failing before the fix: ring A, which asks the store before every
/// use, kept its cached record (revision 102, version 1 enabled) over the
/// store's (revision 3, version 1 disabled by ring B after the restore),
/// and decrypted with the disabled version for as long as the store's
/// revision stayed below 102.
#[test]
fn a_disable_after_a_restore_is_honoured_by_a_ring_that_cached_a_higher_revision() {
    let store = Arc::new(Restorable::new());
    let root = Arc::new(MemoryRootKey::generate().unwrap());
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let a = KeyRing::new(Arc::clone(&store), Arc::clone(&root)).with_cache_ttl(Duration::ZERO);
    let v1 = a.create_key(&acme, &key).unwrap().key_ref().clone();
    let sealed = a.encrypt(&acme, &key, b"rows", b"").unwrap();
    a.rotate(&acme, &key).unwrap();
    assert_eq!(a.decrypt(&acme, &sealed, b"").unwrap().as_bytes(), b"rows");

    store.restore();
    let b = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
    b.disable(&acme, &v1).unwrap();

    let e = a.decrypt(&acme, &sealed, b"").unwrap_err();
    assert!(
        matches!(&e, Error::Refused(r) if r.state() == StateKind::Disabled),
        "{e:?}"
    );
    assert_eq!(
        a.versions(&acme, &key).unwrap()[0].state().kind(),
        StateKind::Disabled
    );
    // And A writes again: its next change starts from the store's record,
    // which a ring started now reads.
    a.enable(&acme, &v1).unwrap();
    assert_eq!(a.decrypt(&acme, &sealed, b"").unwrap().as_bytes(), b"rows");
    let restarted = KeyRing::new(Arc::clone(&store), root);
    assert_eq!(
        restarted.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"rows"
    );
}

/// A store that breaks the `save` contract: it writes, but answers a
/// revision that did not increase (always 1).
struct Unmoving(MemoryKeyStore);

impl KeyStore for Unmoving {
    fn load(
        &self,
        call: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.0.load(call, name)
    }

    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        self.0.list(call, tenant)
    }

    fn save(
        &self,
        call: &StoreCall,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        self.0.save(call, key, expected)?;
        Ok(Revision::new(1))
    }
}

/// Seen failing before the fix: the ring's own disable was saved, but the
/// store answered revision 1, lower than the revision the ring had cached
/// on its reload after a conflict, so the cache kept the record from
/// before the disable and version 1 kept decrypting for a whole cache
/// lifetime. The ring now forgets the key and reads the store again.
#[test]
fn a_change_whose_saved_revision_did_not_increase_is_not_served_stale() {
    let root = Arc::new(MemoryRootKey::generate().unwrap());
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let ring = KeyRing::new(Unmoving(MemoryKeyStore::new()), root)
        .with_cache_ttl(Duration::from_secs(3600));
    let v1 = ring.create_key(&acme, &key).unwrap().key_ref().clone();
    let sealed = ring.encrypt(&acme, &key, b"rows", b"").unwrap();
    ring.rotate(&acme, &key).unwrap();
    ring.disable(&acme, &v1).unwrap();
    let e = ring.decrypt(&acme, &sealed, b"").unwrap_err();
    assert!(
        matches!(&e, Error::Refused(r) if r.state() == StateKind::Disabled),
        "{e:?}"
    );
}

/// A store that can be switched to another one: a database restored from
/// another cluster's backup, where a key of the same name has other
/// material under the same version numbers.
struct Switchable {
    stores: [MemoryKeyStore; 2],
    current: AtomicU64,
}

impl Switchable {
    fn now(&self) -> &MemoryKeyStore {
        &self.stores[usize::from(self.current.load(Ordering::SeqCst) != 0)]
    }
}

impl KeyStore for Switchable {
    fn load(
        &self,
        call: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.now().load(call, name)
    }

    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        self.now().list(call, tenant)
    }

    fn save(
        &self,
        call: &StoreCall,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        self.now().save(call, key, expected)
    }
}

/// Seen failing before the fix (`DecryptionFailed`): after the switch the
/// ring reloaded the record but reused the material it held for version 1
/// by its number, though the store's version 1 wraps other material, so
/// an envelope sealed by a ring over the new store did not decrypt (and
/// the ring would have sealed new envelopes under material no store
/// holds). Material is reused only for the same wrapped bytes.
#[test]
fn material_is_not_reused_for_a_version_whose_wrapped_key_changed() {
    let root = Arc::new(MemoryRootKey::generate().unwrap());
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let store = Arc::new(Switchable {
        stores: [MemoryKeyStore::new(), MemoryKeyStore::new()],
        current: AtomicU64::new(0),
    });
    let ring = KeyRing::new(Arc::clone(&store), Arc::clone(&root)).with_cache_ttl(Duration::ZERO);
    ring.create_key(&acme, &key).unwrap();
    let old = ring.encrypt(&acme, &key, b"old", b"").unwrap();

    // The other store: the same key name, version 1 with other material
    // (an envelope sealed under it), then rotated, so its revision is
    // higher than the one the ring cached; written by a ring of its own.
    store.current.store(1, Ordering::SeqCst);
    let other = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
    other.create_key(&acme, &key).unwrap();
    let sealed = other.encrypt(&acme, &key, b"new", b"").unwrap();
    other.rotate(&acme, &key).unwrap();

    assert_eq!(
        ring.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"new"
    );
    // And the envelope sealed under the material the store no longer
    // holds does not decrypt: it never was the store's.
    assert!(ring.decrypt(&acme, &old, b"").is_err());
}
