//! The key ring's cache: the keys it has loaded, each with the store
//! revision it was read at and the moment the store last confirmed that
//! revision, and the cache lifetime that bounds how long a key is used
//! without asking the store again.
//!
//! The hot path (a fresh, cached key) takes the map's read lock only to
//! clone an `Arc`, reads one atomic and the monotonic clock, and makes no
//! store call. Entries are immutable but for that one atomic: a change or a
//! reload builds a new entry and swaps it in.

use core::fmt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// cache's epoch. The one mutable part: a revision check that finds the
    /// key unchanged moves it forward instead of rebuilding the entry.
    checked: AtomicU64,
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

/// The cache and its lifetime.
pub(crate) struct Cache {
    keys: RwLock<Map>,
    epoch: Instant,
    /// How long an entry is used after the store last confirmed it; zero:
    /// ask the store before every use.
    ttl: Duration,
}

impl Cache {
    pub(crate) fn new(ttl: Duration) -> Cache {
        Cache {
            keys: RwLock::new(HashMap::new()),
            epoch: Instant::now(),
            ttl,
        }
    }

    pub(crate) fn ttl(&self) -> Duration {
        self.ttl
    }

    pub(crate) fn set_ttl(&mut self, ttl: Duration) {
        self.ttl = ttl;
    }

    fn now(&self) -> u64 {
        // A process would have to run for 584 years to saturate this.
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// A new entry, confirmed by the store now.
    pub(crate) fn entry(
        &self,
        record: StoredKey,
        revision: Revision,
        material: Vec<Option<Arc<KeyMaterial>>>,
    ) -> KeyEntry {
        KeyEntry {
            record,
            revision,
            material,
            checked: AtomicU64::new(self.now()),
        }
    }

    /// The cached entry of a key, with whether it is within its lifetime.
    pub(crate) fn get(
        &self,
        tenant: &TenantId,
        purpose: &KeyPurpose,
    ) -> Option<(Arc<KeyEntry>, bool)> {
        let entry = self
            .keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(tenant)
            .and_then(|keys| keys.get(purpose))
            .cloned()?;
        let fresh = self.is_fresh(&entry);
        Some((entry, fresh))
    }

    fn is_fresh(&self, entry: &KeyEntry) -> bool {
        if self.ttl.is_zero() {
            return false;
        }
        let age = self
            .now()
            .saturating_sub(entry.checked.load(Ordering::Relaxed));
        u128::from(age) < self.ttl.as_nanos()
    }

    /// The store has just confirmed that `entry` is current.
    pub(crate) fn confirm(&self, entry: &KeyEntry) {
        entry.checked.fetch_max(self.now(), Ordering::Relaxed);
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
