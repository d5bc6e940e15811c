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
