//! The root re-check (`KeyRing::with_root_recheck`) over a memory root key
//! that can be switched off, as a provider disables its key: without the
//! re-check cached material outlives the refusal (the documented bound);
//! with it the refusal is honoured within the interval, on the caller's
//! thread or, with the refresher, off it; service comes back when the key
//! does.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use key_model::ring::{MemoryKeyStore, MemoryRootKey, RingCall, RootKey, SecretBox, WrappedKey};
use key_model::{BackendError, BackendErrorKind, Error, KeyName, KeyRef, KeyRing};

use crate::refresh::joins_within;
use crate::support::{name, scope};

/// A memory root key whose provider can refuse, recording the thread of
/// every unwrap.
struct SwitchRoot {
    inner: MemoryRootKey,
    refusing: AtomicBool,
    unwraps: Mutex<Vec<ThreadId>>,
}

impl SwitchRoot {
    fn new() -> Arc<SwitchRoot> {
        Arc::new(SwitchRoot {
            inner: MemoryRootKey::generate().unwrap(),
            refusing: AtomicBool::new(false),
            unwraps: Mutex::new(Vec::new()),
        })
    }

    fn refuse(&self, refusing: bool) {
        self.refusing.store(refusing, Ordering::SeqCst);
    }

    fn refused(&self) -> Result<(), BackendError> {
        if self.refusing.load(Ordering::SeqCst) {
            return Err(BackendError::new(
                BackendErrorKind::Refused,
                "the test provider disabled its key",
            ));
        }
        Ok(())
    }

    /// Unwraps from `thread`, and from any other thread, since the last call.
    fn take_unwraps(&self, thread: ThreadId) -> (usize, usize) {
        let unwraps =
            std::mem::take(&mut *self.unwraps.lock().unwrap_or_else(PoisonError::into_inner));
        let here = unwraps.iter().filter(|t| **t == thread).count();
        (here, unwraps.len() - here)
    }
}

impl RootKey for SwitchRoot {
    fn wrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        self.refused()?;
        self.inner.wrap(call, key_ref, material)
    }

    fn unwrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        self.unwraps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(thread::current().id());
        self.refused()?;
        self.inner.unwrap(call, key_ref, wrapped)
    }
}

fn refused_by_provider<T>(result: &Result<T, Error>) -> bool {
    matches!(result, Err(Error::Backend(e)) if e.kind() == BackendErrorKind::Refused)
}

/// Encrypts with `key` every millisecond until the provider's refusal comes
/// back, and returns how long after `since` it did.
fn time_to_refusal(ring: &KeyRing, key: &KeyName, since: Instant, limit: Duration) -> Duration {
    let acme = scope("acme");
    loop {
        let result = ring.encrypt(&acme, key, b"row", b"");
        if refused_by_provider(&result) {
            return since.elapsed();
        }
        assert!(result.is_ok(), "{result:?}");
        assert!(
            since.elapsed() < limit,
            "the refusal was not honoured within {limit:?}"
        );
        thread::sleep(Duration::from_millis(1));
    }
}

const INTERVAL: Duration = Duration::from_millis(150);

#[test]
fn without_the_recheck_cached_material_outlives_a_provider_refusal() {
    let root = SwitchRoot::new();
    let ring = KeyRing::new(MemoryKeyStore::new(), Arc::clone(&root))
        .with_cache_ttl(Duration::from_millis(10));
    assert_eq!(ring.root_recheck(), None);
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &key).unwrap();
    root.refuse(true);
    // Many cache lifetimes later, the key still encrypts: the lifetime asks
    // the store, not the provider.
    let start = Instant::now();
    while start.elapsed() < 3 * INTERVAL {
        ring.encrypt(&acme, &key, b"row", b"").unwrap();
        thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn the_recheck_honours_a_provider_refusal_within_the_interval_and_recovers() {
    let root = SwitchRoot::new();
    let ring = KeyRing::new(MemoryKeyStore::new(), Arc::clone(&root)).with_root_recheck(INTERVAL);
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &key).unwrap();
    let me = thread::current().id();

    // Within an interval the material is used as it is: no unwrap per
    // operation, one re-check per interval.
    root.take_unwraps(me);
    let start = Instant::now();
    while start.elapsed() < 3 * INTERVAL {
        ring.encrypt(&acme, &key, b"row", b"").unwrap();
        thread::sleep(Duration::from_millis(1));
    }
    let (here, _) = root.take_unwraps(me);
    assert!(
        (2..=4).contains(&here),
        "{here} re-checks in three intervals"
    );

    root.refuse(true);
    let seen = time_to_refusal(&ring, &key, Instant::now(), 4 * INTERVAL);
    assert!(seen <= INTERVAL + Duration::from_millis(50), "{seen:?}");
    // The entry is gone: every operation asks the provider, and fails.
    assert!(refused_by_provider(&ring.encrypt(&acme, &key, b"row", b"")));
    // The provider serves the key again: the next operation loads it.
    root.refuse(false);
    ring.encrypt(&acme, &key, b"row", b"").unwrap();
}

#[test]
fn a_zero_interval_rechecks_before_every_operation() {
    let root = SwitchRoot::new();
    let ring =
        KeyRing::new(MemoryKeyStore::new(), Arc::clone(&root)).with_root_recheck(Duration::ZERO);
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &key).unwrap();
    let me = thread::current().id();
    root.take_unwraps(me);
    for _ in 0..10 {
        ring.encrypt(&acme, &key, b"row", b"").unwrap();
    }
    assert_eq!(root.take_unwraps(me), (10, 0));
    root.refuse(true);
    assert!(refused_by_provider(&ring.encrypt(&acme, &key, b"row", b"")));
}

#[test]
fn with_the_refresher_the_recheck_runs_off_the_hot_path() {
    let root = SwitchRoot::new();
    let ring = Arc::new(
        KeyRing::new(MemoryKeyStore::new(), Arc::clone(&root))
            .with_cache_ttl(Duration::from_secs(3600))
            .with_root_recheck(INTERVAL),
    );
    let refresher = ring.refresh_in_background().unwrap();
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &key).unwrap();
    let me = thread::current().id();
    root.take_unwraps(me);
    let start = Instant::now();
    while start.elapsed() < 4 * INTERVAL {
        ring.encrypt(&acme, &key, b"row", b"").unwrap();
        thread::sleep(Duration::from_millis(1));
    }
    let (here, elsewhere) = root.take_unwraps(me);
    assert_eq!(here, 0, "the caller re-checked on its own thread");
    assert!(
        elsewhere >= 3,
        "the refresher re-checked {elsewhere} times in four intervals"
    );

    // A refusal evicts the key within the interval; the caller's next
    // operation must load it, and fails closed.
    root.refuse(true);
    let seen = time_to_refusal(&ring, &key, Instant::now(), 4 * INTERVAL);
    assert!(seen <= INTERVAL + Duration::from_millis(50), "{seen:?}");
    println!(
        "a provider refusal was honoured {seen:?} after it (re-check every {INTERVAL:?}, refresher on)"
    );
    root.refuse(false);
    ring.encrypt(&acme, &key, b"row", b"").unwrap();
    drop(ring);
    joins_within(refresher, Duration::from_secs(2));
}

#[test]
fn a_change_does_not_wait_on_the_provider() {
    // A disable through this ring while the provider refuses and the
    // re-check is due: the change reads the store only, and succeeds.
    let root = SwitchRoot::new();
    let ring =
        KeyRing::new(MemoryKeyStore::new(), Arc::clone(&root)).with_root_recheck(Duration::ZERO);
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    let v1 = ring.create_key(&acme, &key).unwrap().key_ref().clone();
    ring.rotate(&acme, &key).unwrap();
    root.refuse(true);
    ring.disable(&acme, &v1).unwrap();
}
