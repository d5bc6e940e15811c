//! The key ring's cache: the keys it has loaded, each with the store
//! revision it was read at, the moment the store last confirmed that
//! revision and (with a root re-check) the moment the root key last
//! unwrapped its material; the cache lifetime and the re-check interval
//! that bound how long a key is used without asking again.
//!
//! The hot path (a fresh, cached key) takes the map's read lock only to
//! clone an `Arc`, reads a few atomics and the monotonic clock, and makes
//! no store or root-key call. Entries are immutable but for those atomics:
//! a change or a reload builds a new entry and swaps it in.

use core::fmt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::model::id::{KeyPurpose, KeyRef, KeyVersion, TenantId};
use crate::model::material::KeyMaterial;
use crate::model::policy::Operation;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::store::{Revision, StoredKey, StoredVersion};

/// A key as the ring holds it: the stored record, its revision, and, index
/// for index, the unwrapped material of the versions whose state allows
/// loading it.
pub(crate) struct KeyEntry {
    pub(crate) record: StoredKey,
    pub(crate) revision: Revision,
    pub(crate) material: Vec<Option<Arc<KeyMaterial>>>,
    /// When the store last confirmed `revision`, in nanoseconds since the
    /// cache's epoch. Mutable, as the two fields below: a revision check
    /// that finds the key unchanged moves it forward instead of rebuilding
    /// the entry.
    checked: AtomicU64,
    /// When the root key last unwrapped this entry's material (or, for
    /// material reused from an older entry, when it did for that one): the
    /// clock of the root re-check.
    root_checked: AtomicU64,
    /// Whether an operation used the entry since the background refresher
    /// last renewed it: the refresher renews only keys in use, so an idle
    /// key costs no store or provider call.
    used: AtomicBool,
}

impl KeyEntry {
    pub(crate) fn version(&self, version: KeyVersion) -> Option<usize> {
        self.record
            .versions
            .iter()
            .position(|v| v.metadata.key_ref().version() == version)
    }

    pub(crate) fn primary(&self) -> Option<usize> {
        self.record
            .versions
            .iter()
            .position(|v| v.metadata.is_primary())
    }
}

impl fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Version<'a>(&'a StoredVersion, Option<&'a Arc<KeyMaterial>>);

        impl fmt::Debug for Version<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("Version")
                    .field("metadata", &self.0.metadata)
                    .field("wrapped", &self.0.wrapped)
                    .field("material", &self.1)
                    .finish()
            }
        }

        f.debug_struct("KeyEntry")
            .field("name", &self.record.name)
            .field("revision", &self.revision.get())
            .field(
                "versions",
                &self
                    .record
                    .versions
                    .iter()
                    .zip(&self.material)
                    .map(|(v, m)| Version(v, m.as_ref()))
                    .collect::<Vec<_>>(),
            )
            // When the store last confirmed it says nothing about the key.
            .finish_non_exhaustive()
    }
}

/// A lease on a version's material, cloned out of the cache (an `Arc`, not
/// the bytes) so the lock is released before the AEAD runs.
pub(crate) struct Lease {
    entry: Arc<KeyEntry>,
    index: usize,
    pub(crate) material: Arc<KeyMaterial>,
}

impl Lease {
    pub(crate) fn key_ref(&self) -> Result<&KeyRef, Error> {
        self.entry
            .record
            .versions
            .get(self.index)
            .map(|v| v.metadata.key_ref())
            .ok_or(Error::KeyNotFound)
    }
}

/// The material of version `index` of `entry` for `operation`, if the
/// policy allows it.
pub(crate) fn material_for(
    entry: Arc<KeyEntry>,
    index: usize,
    operation: Operation,
) -> Result<Lease, Error> {
    let version = entry.record.versions.get(index).ok_or(Error::KeyNotFound)?;
    version.metadata.check(operation)?;
    let material = entry
        .material
        .get(index)
        .and_then(Option::as_ref)
        .map(Arc::clone)
        .ok_or(Error::Backend(BackendError::new(
            BackendErrorKind::Corrupt,
            "usable key version has no material",
        )))?;
    Ok(Lease {
        entry,
        index,
        material,
    })
}

/// Tenant, then purpose, so a lookup borrows the reference's parts instead
/// of building a `KeyName`.
type Map = HashMap<TenantId, HashMap<KeyPurpose, Arc<KeyEntry>>>;

/// What an entry needs before it may be used: a store check (its cache
/// lifetime is over), a root re-check (its interval is over), or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Due {
    pub(crate) store: bool,
    pub(crate) root: bool,
}

impl Due {
    /// Neither: the entry may be used as it is.
    pub(crate) fn none(self) -> bool {
        !self.store && !self.root
    }
}

/// The cache, its lifetime and the root re-check interval.
pub(crate) struct Cache {
    keys: RwLock<Map>,
    epoch: Instant,
    /// How long an entry is used after the store last confirmed it; zero:
    /// ask the store before every use.
    ttl: Duration,
    /// How long an entry's material is used after the root key last
    /// unwrapped it; `None`: never re-checked (the material stays until the
    /// entry is replaced), zero: re-checked before every use.
    root_recheck: Option<Duration>,
}

impl Cache {
    pub(crate) fn new(ttl: Duration) -> Cache {
        Cache {
            keys: RwLock::new(HashMap::new()),
            epoch: Instant::now(),
            ttl,
            root_recheck: None,
        }
    }

    pub(crate) fn ttl(&self) -> Duration {
        self.ttl
    }

    pub(crate) fn set_ttl(&mut self, ttl: Duration) {
        self.ttl = ttl;
    }

    pub(crate) fn root_recheck(&self) -> Option<Duration> {
        self.root_recheck
    }

    pub(crate) fn set_root_recheck(&mut self, interval: Option<Duration>) {
        self.root_recheck = interval;
    }

    /// Nanoseconds since the cache's epoch, on the monotonic clock.
    pub(crate) fn now(&self) -> u64 {
        // A process would have to run for 584 years to saturate this.
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// A new entry, confirmed by the store now. `root_checked` is when the
    /// root key last unwrapped material the entry reuses from an older one
    /// (`None`: all of it was unwrapped, or wrapped, just now).
    pub(crate) fn entry(
        &self,
        record: StoredKey,
        revision: Revision,
        material: Vec<Option<Arc<KeyMaterial>>>,
        root_checked: Option<u64>,
    ) -> KeyEntry {
        let now = self.now();
        KeyEntry {
            record,
            revision,
            material,
            checked: AtomicU64::new(now),
            root_checked: AtomicU64::new(root_checked.unwrap_or(now).min(now)),
            used: AtomicBool::new(false),
        }
    }

    /// The cached entry of a key, with what it needs before use. Marks the
    /// entry used, for the background refresher.
    pub(crate) fn get(
        &self,
        tenant: &TenantId,
        purpose: &KeyPurpose,
    ) -> Option<(Arc<KeyEntry>, Due)> {
        let entry = self
            .keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(tenant)
            .and_then(|keys| keys.get(purpose))
            .cloned()?;
        // Read before writing, so a key in steady use is written once per
        // renewal, not once per operation (no cache line bouncing between
        // the cores that use it).
        if !entry.used.load(Ordering::Relaxed) {
            entry.used.store(true, Ordering::Relaxed);
        }
        let due = self.due(&entry, self.now());
        Some((entry, due))
    }

    /// What `entry` needs at `now`.
    pub(crate) fn due(&self, entry: &KeyEntry, now: u64) -> Due {
        Due {
            store: expired(entry.checked.load(Ordering::Relaxed), now, self.ttl),
            root: self.root_recheck.is_some_and(|interval| {
                expired(entry.root_checked.load(Ordering::Relaxed), now, interval)
            }),
        }
    }

    /// What `entry` will need within half its lifetime and half its
    /// re-check interval: what the background refresher renews ahead of
    /// the callers. A zero lifetime or interval is never ahead (every
    /// operation checks on its own thread anyway).
    pub(crate) fn due_soon(&self, entry: &KeyEntry, now: u64) -> Due {
        let half = |d: Duration| (!d.is_zero()).then(|| d / 2);
        Due {
            store: half(self.ttl)
                .is_some_and(|h| expired(entry.checked.load(Ordering::Relaxed), now, h)),
            root: self
                .root_recheck
                .and_then(half)
                .is_some_and(|h| expired(entry.root_checked.load(Ordering::Relaxed), now, h)),
        }
    }

    /// Clears the entry's used mark and returns whether it was set.
    pub(crate) fn take_used(entry: &KeyEntry) -> bool {
        entry.used.swap(false, Ordering::Relaxed)
    }

    /// The store has just confirmed that `entry` is current.
    pub(crate) fn confirm(&self, entry: &KeyEntry) {
        entry.checked.fetch_max(self.now(), Ordering::Relaxed);
    }

    /// The root key unwrapped all of `entry`'s material again, in a check
    /// that started at `started`.
    pub(crate) fn confirm_root(entry: &KeyEntry, started: u64) {
        entry.root_checked.fetch_max(started, Ordering::Relaxed);
    }

    /// When the root key last unwrapped `entry`'s material: what a reload
    /// that reuses it inherits.
    pub(crate) fn root_checked(entry: &KeyEntry) -> u64 {
        entry.root_checked.load(Ordering::Relaxed)
    }

    /// Puts `entry` in the cache unless the cache holds a newer revision of
    /// the key (another thread read or wrote it meanwhile), and returns the
    /// entry the cache holds afterwards.
    pub(crate) fn offer(&self, entry: KeyEntry) -> Arc<KeyEntry> {
        let (tenant, purpose) = (
            entry.record.name.tenant().clone(),
            entry.record.name.purpose().clone(),
        );
        let entry = Arc::new(entry);
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        let slot = keys.entry(tenant).or_default();
        let replaced = match slot.get(&purpose) {
            Some(held) if held.revision > entry.revision => return Arc::clone(held),
            _ => slot.insert(purpose, Arc::clone(&entry)),
        };
        drop(keys);
        // The replaced entry is dropped after the lock is released; its
        // material is zeroized once in-flight operations holding it finish.
        drop(replaced);
        entry
    }

    /// Forgets the key if the cache still holds `revision` of it: the store
    /// no longer has the key.
    pub(crate) fn remove(&self, tenant: &TenantId, purpose: &KeyPurpose, revision: Revision) {
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        let removed = keys.get_mut(tenant).and_then(|keys| {
            if keys.get(purpose)?.revision == revision {
                keys.remove(purpose)
            } else {
                None
            }
        });
        drop(keys);
        drop(removed);
    }

    /// Every cached entry, in no order (for the background refresher).
    pub(crate) fn snapshot(&self) -> Vec<Arc<KeyEntry>> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        keys.values().flat_map(HashMap::values).cloned().collect()
    }

    /// Every cached entry, ordered by key name (for `Debug`).
    pub(crate) fn entries(&self) -> Vec<Arc<KeyEntry>> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        let mut entries: Vec<Arc<KeyEntry>> =
            keys.values().flat_map(HashMap::values).cloned().collect();
        drop(keys);
        entries.sort_by(|a, b| a.record.name.cmp(&b.record.name));
        entries
    }
}

/// Whether a check made at `checked` is older than `lifetime` at `now`; a
/// zero lifetime is always over.
fn expired(checked: u64, now: u64, lifetime: Duration) -> bool {
    u128::from(now.saturating_sub(checked)) >= lifetime.as_nanos()
}
