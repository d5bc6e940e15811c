//! The background refresher (`KeyRing::refresh_in_background`) over a store
//! that records which thread calls it and can hold, fail or panic on
//! demand: the hot path makes no store call while the refresher keeps up,
//! the caller checks on its own thread when it does not, a dead store still
//! fails closed within the lifetime, a disable on another ring is seen
//! within the lifetime, and dropping the ring ends the thread.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::{self, JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use key_model::ring::{KeyStore, MemoryKeyStore, MemoryRootKey, Revision, StoreCall, StoredKey};
use key_model::{BackendError, BackendErrorKind, Error, KeyName, KeyRing, StateKind, TenantId};

use crate::support::{name, scope};

/// A store over [`MemoryKeyStore`] that records the thread of every read,
/// and on demand holds the revision reads of every thread but one, fails
/// every call, or panics in the revision reads of every thread but one.
#[derive(Default)]
pub(crate) struct ProbeStore {
    inner: MemoryKeyStore,
    reads: Mutex<Vec<ThreadId>>,
    /// `Some(t)`: revision reads from any thread but `t` wait for `open`.
    hold_all_but: Mutex<Option<ThreadId>>,
    released: Condvar,
    held: AtomicUsize,
    down: AtomicBool,
    panic_all_but: Mutex<Option<ThreadId>>,
    panics: AtomicUsize,
    /// How long each revision read takes, in microseconds: a store across
    /// a network.
    delay_us: AtomicUsize,
}

impl ProbeStore {
    fn enter(&self) -> Result<(), BackendError> {
        self.reads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(thread::current().id());
        if self.down.load(Ordering::SeqCst) {
            return Err(BackendError::new(
                BackendErrorKind::Unavailable,
                "the test store is down",
            ));
        }
        Ok(())
    }

    /// Reads (loads and revision reads) made from `thread` since `clear`.
    pub(crate) fn reads_from(&self, thread: ThreadId) -> usize {
        let reads = self.reads.lock().unwrap_or_else(PoisonError::into_inner);
        reads.iter().filter(|t| **t == thread).count()
    }

    /// Reads made from any other thread since `clear`.
    pub(crate) fn reads_not_from(&self, thread: ThreadId) -> usize {
        let reads = self.reads.lock().unwrap_or_else(PoisonError::into_inner);
        reads.iter().filter(|t| **t != thread).count()
    }

    pub(crate) fn clear(&self) {
        self.reads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn hold_all_but(&self, thread: ThreadId) {
        *self
            .hold_all_but
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(thread);
    }

    fn open(&self) {
        *self
            .hold_all_but
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
        self.released.notify_all();
    }
}

impl KeyStore for ProbeStore {
    fn load(
        &self,
        call: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.enter()?;
        self.inner.load(call, name)
    }

    fn revision(&self, call: &StoreCall, name: &KeyName) -> Result<Option<Revision>, BackendError> {
        self.enter()?;
        let me = thread::current().id();
        let panic_here = self
            .panic_all_but
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some_and(|t| t != me);
        if panic_here {
            self.panics.fetch_add(1, Ordering::SeqCst);
            panic!("the test store panics on purpose");
        }
        let mut hold = self
            .hold_all_but
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if hold.is_some_and(|t| t != me) {
            self.held.fetch_add(1, Ordering::SeqCst);
            while hold.is_some_and(|t| t != me) {
                hold = self
                    .released
                    .wait(hold)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        drop(hold);
        let delay = self.delay_us.load(Ordering::SeqCst);
        if delay > 0 {
            thread::sleep(Duration::from_micros(delay as u64));
        }
        self.inner.revision(call, name)
    }

    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        self.enter()?;
        self.inner.list(call, tenant)
    }

    fn save(
        &self,
        call: &StoreCall,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        if self.down.load(Ordering::SeqCst) {
            return Err(BackendError::new(
                BackendErrorKind::Unavailable,
                "the test store is down",
            ));
        }
        self.inner.save(call, key, expected)
    }
}

/// A ring over `store` with cache lifetime `ttl` and a refresher.
fn refreshed(store: &Arc<ProbeStore>, ttl: Duration) -> (Arc<KeyRing>, JoinHandle<()>) {
    let ring = Arc::new(
        KeyRing::new(Arc::clone(store), MemoryRootKey::generate().unwrap()).with_cache_ttl(ttl),
    );
    let refresher = ring.refresh_in_background().unwrap();
    (ring, refresher)
}

/// Joins `handle`, failing the test if the thread is still running after
/// `within`.
pub(crate) fn joins_within(handle: JoinHandle<()>, within: Duration) {
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let joined = handle.join().is_ok();
        let _ = done.send(joined);
    });
    let joined = finished.recv_timeout(within).unwrap_or_else(|_| {
        panic!("the refresher thread was still running {within:?} after its ring was dropped")
    });
    assert!(joined, "the refresher thread panicked");
}

/// Encrypts and decrypts with `name` every millisecond for `run`, asserting
/// each succeeds.
fn use_for(ring: &KeyRing, key: &KeyName, run: Duration) -> usize {
    let acme = scope("acme");
    let (start, mut ops) = (Instant::now(), 0);
    while start.elapsed() < run {
        let sealed = ring.encrypt(&acme, key, b"row", b"ctx").unwrap();
        assert_eq!(
            ring.decrypt(&acme, &sealed, b"ctx").unwrap().as_bytes(),
            b"row"
        );
        ops += 1;
        thread::sleep(Duration::from_millis(1));
    }
    ops
}

const TTL: Duration = Duration::from_millis(200);

#[test]
fn with_the_refresher_the_hot_path_makes_no_store_call() {
    let store = Arc::new(ProbeStore::default());
    let (ring, refresher) = refreshed(&store, TTL);
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &key).unwrap();
    store.clear();

    // Four lifetimes of steady use: every check is the refresher's.
    let ops = use_for(&ring, &key, 4 * TTL);
    let me = thread::current().id();
    assert_eq!(store.reads_from(me), 0, "{ops} operations");
    assert!(
        store.reads_not_from(me) >= 3,
        "the refresher renewed the key only {} times in four lifetimes",
        store.reads_not_from(me)
    );
    drop(ring);
    joins_within(refresher, Duration::from_secs(2));
}

#[test]
fn a_refresher_that_falls_behind_leaves_the_check_to_the_caller() {
    let store = Arc::new(ProbeStore::default());
    let (ring, refresher) = refreshed(&store, TTL);
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &key).unwrap();
    store.clear();

    // The refresher's revision read hangs; the key still never goes
    // unchecked past its lifetime: the caller asks the store itself.
    let me = thread::current().id();
    store.hold_all_but(me);
    use_for(&ring, &key, 3 * TTL);
    assert!(
        store.held.load(Ordering::SeqCst) >= 1,
        "the refresher was never held"
    );
    assert!(
        store.reads_from(me) >= 2,
        "the caller checked {} times in three lifetimes",
        store.reads_from(me)
    );
    store.open();
    drop(ring);
    joins_within(refresher, Duration::from_secs(2));
}

#[test]
fn an_unreachable_store_still_fails_closed_within_the_lifetime() {
    let store = Arc::new(ProbeStore::default());
    let (ring, refresher) = refreshed(&store, TTL);
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &key).unwrap();
    use_for(&ring, &key, TTL);

    store.down.store(true, Ordering::SeqCst);
    let down = Instant::now();
    let mut last_ok = None;
    let first_refusal = loop {
        match ring.encrypt(&acme, &key, b"row", b"") {
            Ok(_) => last_ok = Some(down.elapsed()),
            Err(Error::Backend(e)) if e.kind() == BackendErrorKind::Unavailable => {
                break down.elapsed();
            }
            Err(other) => panic!("expected the store's error, got {other:?}"),
        }
        assert!(
            down.elapsed() < 5 * TTL,
            "the cached key outlived a dead store"
        );
        thread::sleep(Duration::from_millis(1));
    };
    // A renewal in flight when the store went down may have confirmed the
    // key a moment after; nothing is used past that plus the lifetime.
    let slack = Duration::from_millis(50);
    assert!(last_ok.is_none_or(|t| t < TTL + slack), "{last_ok:?}");
    assert!(first_refusal < TTL + slack, "{first_refusal:?}");
    // And it stays refused while the store is down.
    thread::sleep(TTL / 4);
    assert!(ring.encrypt(&acme, &key, b"row", b"").is_err());
    store.down.store(false, Ordering::SeqCst);
    assert!(ring.encrypt(&acme, &key, b"row", b"").is_ok());
    drop(ring);
    joins_within(refresher, Duration::from_secs(2));
}

#[test]
fn a_disable_on_another_ring_is_seen_within_the_lifetime_off_the_hot_path() {
    let store = Arc::new(ProbeStore::default());
    let root = Arc::new(MemoryRootKey::generate().unwrap());
    let a = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
    let b = Arc::new(KeyRing::new(Arc::clone(&store), root).with_cache_ttl(TTL));
    let refresher = b.refresh_in_background().unwrap();
    let acme = scope("acme");
    let mut worst = Duration::ZERO;
    for round in 0..3u32 {
        let key = name("acme", &format!("k{round}"));
        let v1 = a.create_key(&acme, &key).unwrap().key_ref().clone();
        let sealed = a.encrypt(&acme, &key, b"row", b"").unwrap();
        a.rotate(&acme, &key).unwrap(); // the primary cannot be disabled
        // B decrypts on a thread of its own, so the store tells its reads
        // from A's (this thread) and the refresher's.
        let (ready, loaded) = mpsc::channel();
        let b2 = Arc::clone(&b);
        let prober = thread::spawn(move || {
            let acme = scope("acme");
            let start = Instant::now();
            let mut first = true;
            loop {
                match b2.decrypt(&acme, &sealed, b"") {
                    Ok(_) => {}
                    Err(Error::Refused(r)) if r.state() == StateKind::Disabled => {
                        return (Instant::now(), thread::current().id());
                    }
                    Err(other) => panic!("expected a refusal, got {other:?}"),
                }
                if first {
                    ready.send(()).unwrap();
                    first = false;
                }
                assert!(start.elapsed() < 10 * TTL, "B never saw the disable");
                thread::sleep(Duration::from_millis(1));
            }
        });
        loaded.recv().unwrap();
        // The disable lands at a different point of B's renewal cycle in
        // each round.
        thread::sleep(TTL / 2 + TTL * round / 3);
        a.disable(&acme, &v1).unwrap();
        let disabled = Instant::now();
        let (refused, prober_thread) = prober.join().unwrap();
        // One read: B's first load of the key; every check after it was
        // the refresher's.
        assert_eq!(
            store.reads_from(prober_thread),
            1,
            "B's caller asked the store"
        );
        let seen = refused.saturating_duration_since(disabled);
        assert!(
            seen < TTL + Duration::from_millis(50),
            "round {round}: {seen:?}"
        );
        worst = worst.max(seen);
    }
    println!(
        "B refused a disable made on A at most {worst:?} after it returned \
         (lifetime {TTL:?}, refresher on, 3 rounds)"
    );
    drop(b);
    joins_within(refresher, Duration::from_secs(2));
}

#[test]
fn dropping_the_ring_ends_the_refresher_and_only_that() {
    let store = Arc::new(ProbeStore::default());
    let (ring, refresher) = refreshed(&store, Duration::from_secs(3600));
    // One refresher per ring.
    match ring.refresh_in_background() {
        Err(Error::Backend(e)) => assert_eq!(e.kind(), BackendErrorKind::Conflict),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // A clone of the Arc keeps the ring, and with it the thread.
    let clone = Arc::clone(&ring);
    drop(ring);
    thread::sleep(Duration::from_millis(150));
    assert!(
        !refresher.is_finished(),
        "the refresher ended while its ring lived"
    );
    // The hour-long tick is capped, and the drop wakes the thread anyway:
    // it ends well within one capped tick.
    let dropped = Instant::now();
    drop(clone);
    joins_within(refresher, Duration::from_secs(2));
    println!(
        "the refresher ended {:?} after its ring was dropped",
        dropped.elapsed()
    );
}

#[test]
fn a_store_that_panics_does_not_end_the_refresher() {
    let store = Arc::new(ProbeStore::default());
    let ttl = Duration::from_millis(40);
    let (ring, refresher) = refreshed(&store, ttl);
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &key).unwrap();
    let me = thread::current().id();
    *store
        .panic_all_but
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(me);
    let start = Instant::now();
    while store.panics.load(Ordering::SeqCst) < 2 {
        ring.encrypt(&acme, &key, b"row", b"").unwrap();
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "the refresher never called the store"
        );
        thread::sleep(Duration::from_millis(1));
    }
    *store
        .panic_all_but
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = None;
    store.clear();
    use_for(&ring, &key, 3 * ttl);
    assert!(!refresher.is_finished());
    assert!(
        store.reads_not_from(me) >= 1,
        "the refresher stopped renewing after a panic"
    );
    drop(ring);
    joins_within(refresher, Duration::from_secs(2));
}

#[test]
fn a_slow_store_blocks_the_caller_only_without_the_refresher() {
    // A revision read of 5 ms (a database across a network), five
    // lifetimes of use: without the refresher about one operation per
    // lifetime waits the 5 ms; with it none calls the store.
    let (delay, ttl) = (Duration::from_millis(5), TTL);
    let mut report = Vec::new();
    for refresher_on in [false, true] {
        let store = Arc::new(ProbeStore::default());
        let ring = Arc::new(
            KeyRing::new(Arc::clone(&store), MemoryRootKey::generate().unwrap())
                .with_cache_ttl(ttl),
        );
        let refresher = refresher_on.then(|| ring.refresh_in_background().unwrap());
        let (acme, key) = (scope("acme"), name("acme", "orders"));
        ring.create_key(&acme, &key).unwrap();
        store.delay_us.store(5_000, Ordering::SeqCst);
        store.clear();
        let (start, mut slow, mut worst, mut ops) = (Instant::now(), 0, Duration::ZERO, 0);
        while start.elapsed() < 5 * ttl {
            let op = Instant::now();
            ring.encrypt(&acme, &key, &[0; 4096], b"").unwrap();
            let took = op.elapsed();
            slow += usize::from(took >= delay);
            worst = worst.max(took);
            ops += 1;
            thread::sleep(Duration::from_millis(1));
        }
        let me = thread::current().id();
        if refresher_on {
            assert_eq!(store.reads_from(me), 0, "the caller waited on the store");
        } else {
            assert!(slow >= 3, "only {slow} operations waited on the store");
            assert!(store.reads_from(me) >= 3);
        }
        report.push(format!(
            "refresher {}: {ops} encrypts of 4 KiB, {slow} took >= {delay:?}, slowest {worst:?}",
            if refresher_on { "on" } else { "off" }
        ));
        drop(ring);
        if let Some(refresher) = refresher {
            joins_within(refresher, Duration::from_secs(2));
        }
    }
    println!("{}", report.join("\n"));
}
