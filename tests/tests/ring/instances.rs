//! Several key rings over one store, as several instances of a service
//! share a database: changes are compare-and-swap (a lost race retries, and
//! nothing is overwritten), and a change written by one ring is honoured by
//! the others within their cache lifetime. Also: the hot path makes no
//! store call while a cached key is fresh.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use crate::support::{name, scope};
use key_model::ring::{KeyStore, MemoryKeyStore, MemoryRootKey, Revision, StoreCall, StoredKey};
use key_model::testing::EditableKeyStore;
use key_model::{
    BackendError, BackendErrorKind, Error, KeyName, KeyRing, StateKind, TenantId, Timestamp,
};

/// Two rings over one store and one root key, the second with cache
/// lifetime `ttl`.
fn two_rings(ttl: Duration) -> (Arc<EditableKeyStore>, KeyRing, KeyRing) {
    let store = Arc::new(EditableKeyStore::new());
    let root = Arc::new(MemoryRootKey::generate().unwrap());
    let a = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
    let b = KeyRing::new(Arc::clone(&store), root).with_cache_ttl(ttl);
    (store, a, b)
}

fn refused(e: &Error, state: StateKind) -> bool {
    matches!(e, Error::Refused(r) if r.state() == state)
}

/// Seen failing before the fix: a ring kept what it loaded for ever, so B
/// decrypted with a version A had disabled.
#[test]
fn a_disable_elsewhere_is_honoured_within_the_cache_lifetime() {
    let ttl = Duration::from_millis(150);
    let (_, a, b) = two_rings(ttl);
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let v1 = a.create_key(&acme, &key).unwrap().key_ref().clone();
    let sealed = a.encrypt(&acme, &key, b"rows", b"").unwrap();
    a.rotate(&acme, &key).unwrap();
    assert_eq!(b.decrypt(&acme, &sealed, b"").unwrap().as_bytes(), b"rows");

    a.disable(&acme, &v1).unwrap();
    thread::sleep(ttl + Duration::from_millis(50));
    let e = b.decrypt(&acme, &sealed, b"").unwrap_err();
    assert!(refused(&e, StateKind::Disabled), "{e:?}");

    // Enabled again on A: B follows within the bound too.
    a.enable(&acme, &v1).unwrap();
    thread::sleep(ttl + Duration::from_millis(50));
    assert_eq!(b.decrypt(&acme, &sealed, b"").unwrap().as_bytes(), b"rows");
}

#[test]
fn a_zero_cache_lifetime_honours_every_change_at_once() {
    let (_, a, b) = two_rings(Duration::ZERO);
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let v1 = a.create_key(&acme, &key).unwrap().key_ref().clone();
    let sealed = a.encrypt(&acme, &key, b"rows", b"").unwrap();
    assert!(b.decrypt(&acme, &sealed, b"").is_ok());

    // A primary change: B's next encrypt uses the new primary.
    let v2 = a.rotate(&acme, &key).unwrap().key_ref().clone();
    assert_eq!(b.encrypt(&acme, &key, b"x", b"").unwrap().key_ref(), &v2);

    a.disable(&acme, &v1).unwrap();
    let e = b.decrypt(&acme, &sealed, b"").unwrap_err();
    assert!(refused(&e, StateKind::Disabled), "{e:?}");

    a.schedule_destruction(&acme, &v1, Timestamp::from_unix_seconds(1))
        .unwrap();
    a.destroy(&acme, &v1).unwrap();
    let e = b.decrypt(&acme, &sealed, b"").unwrap_err();
    assert!(refused(&e, StateKind::Destroyed), "{e:?}");
    // And B's own changes start from the record as A left it.
    assert!(matches!(b.enable(&acme, &v1), Err(Error::Transition(_))));
}

/// A change made through a ring takes effect at once in that ring, however
/// long its cache lifetime.
#[test]
fn an_own_change_takes_effect_at_once() {
    let (_, _, b) = two_rings(Duration::from_secs(3600));
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let v1 = b.create_key(&acme, &key).unwrap().key_ref().clone();
    let sealed = b.encrypt(&acme, &key, b"rows", b"").unwrap();
    b.rotate(&acme, &key).unwrap();
    b.disable(&acme, &v1).unwrap();
    let e = b.decrypt(&acme, &sealed, b"").unwrap_err();
    assert!(refused(&e, StateKind::Disabled), "{e:?}");
}

/// Seen failing before the fix: each ring saved its own copy of the
/// record, so concurrent rotations overwrote each other's versions.
#[test]
fn concurrent_rotations_on_two_rings_lose_nothing() {
    const ROTATIONS: usize = 25;
    let (store, a, b) = two_rings(KeyRing::DEFAULT_CACHE_TTL);
    let (acme, key) = (scope("acme"), name("acme", "ssh-session-recording"));
    a.create_key(&acme, &key).unwrap();
    let rings = [Arc::new(a), Arc::new(b)];
    let barrier = Arc::new(Barrier::new(rings.len()));
    let workers: Vec<_> = rings
        .iter()
        .map(|ring| {
            let (ring, barrier, acme, key) = (
                Arc::clone(ring),
                Arc::clone(&barrier),
                acme.clone(),
                key.clone(),
            );
            thread::spawn(move || {
                barrier.wait();
                (0..ROTATIONS)
                    .map(|i| {
                        let v = ring.rotate(&acme, &key).unwrap().key_ref().version().get();
                        let context = format!("{v}-{i}");
                        let sealed = ring.encrypt(&acme, &key, b"rows", context.as_bytes());
                        (v, context, sealed.unwrap())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<_> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();

    let returned: BTreeSet<u32> = results.iter().map(|(v, _, _)| *v).collect();
    assert_eq!(returned.len(), 2 * ROTATIONS, "a version number was reused");
    let (record, _) = store.record(&key).unwrap().unwrap();
    let stored: Vec<u32> = record
        .versions()
        .iter()
        .map(|v| v.metadata().key_ref().version().get())
        .collect();
    let expected: Vec<u32> = (1..=u32::try_from(2 * ROTATIONS + 1).unwrap()).collect();
    assert_eq!(stored, expected, "a version was lost");
    let primaries = record
        .versions()
        .iter()
        .filter(|v| v.metadata().is_primary())
        .count();
    assert_eq!(primaries, 1);
    for ring in &rings {
        for (_, context, sealed) in &results {
            let opened = ring.decrypt(&acme, sealed, context.as_bytes()).unwrap();
            assert_eq!(opened.as_bytes(), b"rows");
        }
    }
}

/// Different changes race too: one ring rotates while the other disables
/// and re-enables version 1. Each change is computed on the record it
/// read and swapped in only over that revision, so none undoes another: a
/// rotation computed on a record from before a disable would otherwise
/// write version 1 back as enabled (and the next `enable` would then be
/// refused as a transition from enabled).
#[test]
fn a_rotation_racing_a_disable_on_another_ring_undoes_neither() {
    const ROUNDS: usize = 20;
    let (store, a, b) = two_rings(KeyRing::DEFAULT_CACHE_TTL);
    let (acme, key) = (scope("acme"), name("acme", "ssh-session-recording"));
    let v1 = a.create_key(&acme, &key).unwrap().key_ref().clone();
    // Version 1 is not the primary once a rotation has run: disable it
    // only from then on (disabling the primary is refused).
    a.rotate(&acme, &key).unwrap();
    let barrier = Arc::new(Barrier::new(2));
    let rotator = {
        let (barrier, acme, key) = (Arc::clone(&barrier), acme.clone(), key.clone());
        thread::spawn(move || {
            barrier.wait();
            for _ in 0..ROUNDS {
                a.rotate(&acme, &key).unwrap();
            }
        })
    };
    let toggler = {
        let (barrier, acme, v1) = (Arc::clone(&barrier), acme.clone(), v1.clone());
        thread::spawn(move || {
            barrier.wait();
            for _ in 0..ROUNDS {
                // Each must succeed: a lost disable makes `enable` a
                // refused transition, a lost enable the next `disable`.
                b.disable(&acme, &v1).unwrap();
                b.enable(&acme, &v1).unwrap();
            }
            b.disable(&acme, &v1).unwrap();
        })
    };
    rotator.join().unwrap();
    toggler.join().unwrap();
    let (record, _) = store.record(&key).unwrap().unwrap();
    assert_eq!(record.versions().len(), ROUNDS + 2, "a rotation was lost");
    assert_eq!(
        record.versions()[0].metadata().state().kind(),
        StateKind::Disabled,
        "the last disable was undone"
    );
}

#[test]
fn two_rings_creating_one_key_one_wins() {
    let (store, a, b) = two_rings(KeyRing::DEFAULT_CACHE_TTL);
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let made = a.create_key(&acme, &key).unwrap();
    assert_eq!(b.create_key(&acme, &key).unwrap_err(), Error::KeyExists);
    let (record, _) = store.record(&key).unwrap().unwrap();
    assert_eq!(record.versions().len(), 1);
    assert_eq!(record.versions()[0].metadata(), &made);
}

/// A store where another writer always wins the race.
struct AlwaysConflicting {
    inner: EditableKeyStore,
    saves: AtomicUsize,
    conflict: std::sync::atomic::AtomicBool,
}

impl KeyStore for AlwaysConflicting {
    fn load(
        &self,
        call: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.inner.load(call, name)
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
        if self.conflict.load(Ordering::SeqCst) {
            self.saves.fetch_add(1, Ordering::SeqCst);
            return Err(BackendError::new(
                BackendErrorKind::Conflict,
                "lost the race",
            ));
        }
        self.inner.save(call, key, expected)
    }
}

#[test]
fn a_change_that_keeps_losing_gives_a_typed_conflict_and_writes_nothing() {
    let store = Arc::new(AlwaysConflicting {
        inner: EditableKeyStore::new(),
        saves: AtomicUsize::new(0),
        conflict: false.into(),
    });
    let ring = KeyRing::new(Arc::clone(&store), MemoryRootKey::generate().unwrap());
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    ring.create_key(&acme, &key).unwrap();
    let before = store.inner.record(&key).unwrap();
    store.conflict.store(true, Ordering::SeqCst);

    let started = std::time::Instant::now();
    let e = ring.rotate(&acme, &key).unwrap_err();
    let waited = started.elapsed();
    assert!(
        matches!(e, Error::Backend(b) if b.kind() == BackendErrorKind::Conflict),
        "{e:?}"
    );
    let attempts = store.saves.load(Ordering::SeqCst);
    assert!(
        (2..=32).contains(&attempts),
        "{attempts} attempts: retried, but a bounded number of times"
    );
    // About a quarter of a second of capped waits (docs/key-model.md).
    assert!(
        waited < std::time::Duration::from_secs(2),
        "gave up after {waited:?}"
    );
    assert_eq!(store.inner.record(&key).unwrap(), before);
    // The ring still serves the key as stored.
    let sealed = ring.encrypt(&acme, &key, b"rows", b"").unwrap();
    assert_eq!(sealed.key_ref().version().get(), 1);
}

/// A store that counts the calls the ring makes.
#[derive(Default)]
struct Counting {
    inner: MemoryKeyStore,
    loads: AtomicUsize,
    revisions: AtomicUsize,
}

impl KeyStore for Counting {
    fn load(
        &self,
        call: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.loads.fetch_add(1, Ordering::SeqCst);
        self.inner.load(call, name)
    }

    fn revision(&self, call: &StoreCall, name: &KeyName) -> Result<Option<Revision>, BackendError> {
        self.revisions.fetch_add(1, Ordering::SeqCst);
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

impl Counting {
    fn calls(&self) -> (usize, usize) {
        (
            self.loads.swap(0, Ordering::SeqCst),
            self.revisions.swap(0, Ordering::SeqCst),
        )
    }
}

#[test]
fn a_fresh_cached_key_makes_no_store_call_and_a_stale_one_one_revision_read() {
    let store = Arc::new(Counting::default());
    let root = Arc::new(MemoryRootKey::generate().unwrap());
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let ring = KeyRing::new(Arc::clone(&store), Arc::clone(&root))
        .with_cache_ttl(Duration::from_secs(3600));
    ring.create_key(&acme, &key).unwrap();
    store.calls();
    for _ in 0..100 {
        let sealed = ring.encrypt(&acme, &key, b"rows", b"").unwrap();
        ring.decrypt(&acme, &sealed, b"").unwrap();
    }
    assert_eq!(store.calls(), (0, 0));

    // A new ring (a restart) loads once, then serves from the cache.
    let ring = KeyRing::new(Arc::clone(&store), Arc::clone(&root))
        .with_cache_ttl(Duration::from_secs(3600));
    for _ in 0..100 {
        ring.encrypt(&acme, &key, b"rows", b"").unwrap();
    }
    assert_eq!(store.calls(), (1, 0));

    // Checking on every operation: one revision read each, and no reload
    // while the key is unchanged.
    let strict = KeyRing::new(Arc::clone(&store), root).with_cache_ttl(Duration::ZERO);
    strict.encrypt(&acme, &key, b"rows", b"").unwrap();
    store.calls();
    for _ in 0..10 {
        strict.encrypt(&acme, &key, b"rows", b"").unwrap();
    }
    assert_eq!(store.calls(), (0, 10));
}
