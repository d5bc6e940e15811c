//! How long the ring trusts what it holds: the cache lifetime (the store's
//! revision), the root re-check (the root key's provider), and the
//! background refresher that does both ahead of the callers.
//!
//! The refresher is a std thread that holds only a `Weak` of the ring: it
//! wakes every tick, upgrades, renews the entries in use that are past
//! half their lifetime or interval, and lets go. It only ever does what an
//! operation would do on its own thread (the same store and root-key
//! calls, the same confirmations), so the bounds stay those of the caller
//! path: an entry whose check the refresher could not make in time expires
//! and the next operation checks it itself, or fails closed. No lock is
//! held across a store or root-key call (the cache lock is taken only to
//! clone the entries' `Arc`s, then to swap one in). It ends when the ring
//! is dropped: the ring's `Drop` wakes it and the upgrade fails.
//!
//! Why before expiry and not after: the refresh-after-write of general
//! caches (Caffeine, moka, cache2k's refresh-ahead) keeps serving the old
//! value while a reload runs. Here the old value may be a key disabled
//! elsewhere, so an entry is renewed while it is still within its
//! lifetime, and past it nothing is served until a check succeeds.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, PoisonError, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::error::Error;
use crate::model::material::KeyMaterial;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::cache::{Cache, KeyEntry};
use crate::ring::keyring::KeyRing;
use crate::ring::root::RingCall;

/// The refresher's longest sleep, whatever the lifetime: it bounds how
/// late the thread notices that its ring is gone should the wake-up from
/// `Drop` be lost (`park_timeout` also allows early wake-ups; both are
/// harmless).
const MAX_TICK: Duration = Duration::from_millis(100);

/// Its shortest: a tiny lifetime must not make it spin.
const MIN_TICK: Duration = Duration::from_millis(1);

impl KeyRing {
    /// The cache lifetime of a new ring: one second.
    pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(1);

    /// The same ring with cache lifetime `ttl`: how long it uses a key's
    /// cached metadata and material after the store last confirmed them.
    /// After that, the next operation on the key asks the store for the
    /// key's revision (one cheap read) and reloads the record if another
    /// process changed it, so a `disable`, `destroy` or primary change
    /// written by another instance sharing the store is honoured at most
    /// `ttl` (plus the time of one operation) after it returned there.
    /// Changes made through this ring take effect at once, whatever `ttl`.
    ///
    /// [`Duration::ZERO`] asks the store before every operation: the
    /// strictest bound, at the price of a store read per encrypt or
    /// decrypt. A ring over a store only it writes may use a long `ttl`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use key_model::KeyRing;
    ///
    /// let ring = KeyRing::in_memory()?;
    /// assert_eq!(ring.cache_ttl(), KeyRing::DEFAULT_CACHE_TTL);
    /// let strict = KeyRing::in_memory()?.with_cache_ttl(Duration::ZERO);
    /// assert_eq!(strict.cache_ttl(), Duration::ZERO);
    /// # Ok::<(), key_model::Error>(())
    /// ```
    #[must_use]
    pub fn with_cache_ttl(mut self, ttl: Duration) -> KeyRing {
        self.cache.set_ttl(ttl);
        self
    }

    /// The cache lifetime (see [`KeyRing::with_cache_ttl`]).
    pub fn cache_ttl(&self) -> Duration {
        self.cache.ttl()
    }

    /// The same ring with a root re-check every `interval`: the material of
    /// a cached key is used for at most `interval` after the root key last
    /// unwrapped it. After that the ring unwraps the stored form again (the
    /// next operation on the key, or the background refresher ahead of it)
    /// and, if the root key fails (its provider disabled, deleted or
    /// retired the key, or cannot be reached), drops the key from the cache
    /// and returns the error: every operation on the key then fails until
    /// the provider serves it again. So a disable at the provider is
    /// honoured within `interval` (plus one provider call).
    ///
    /// Off by default: without it, material a ring has unwrapped stays
    /// usable in that ring until the entry is replaced or the ring is
    /// dropped, whatever the provider says (the cache lifetime asks the
    /// store, not the provider). Each re-check is one unwrap per loaded
    /// version, a round trip to a KMS or an HSM; [`Duration::ZERO`]
    /// re-checks before every operation.
    ///
    /// ```
    /// use std::time::Duration;
    /// use key_model::KeyRing;
    ///
    /// let ring = KeyRing::in_memory()?;
    /// assert_eq!(ring.root_recheck(), None);
    /// let ring = ring.with_root_recheck(Duration::from_secs(30));
    /// assert_eq!(ring.root_recheck(), Some(Duration::from_secs(30)));
    /// # Ok::<(), key_model::Error>(())
    /// ```
    #[must_use]
    pub fn with_root_recheck(mut self, interval: Duration) -> KeyRing {
        self.cache.set_root_recheck(Some(interval));
        self
    }

    /// The root re-check interval, if on (see [`KeyRing::with_root_recheck`]).
    pub fn root_recheck(&self) -> Option<Duration> {
        self.cache.root_recheck()
    }

    /// Starts the background refresher: a thread that, for every cached key
    /// in use, asks the store for its revision once half its cache lifetime
    /// has passed (reloading the record if it moved), and re-checks its
    /// material through the root key once half the re-check interval has
    /// passed. An operation on the hot path then finds its key fresh and
    /// makes no store or root-key call, as long as the refresher keeps up.
    ///
    /// The bounds do not change: an entry is never used past its lifetime
    /// (or interval) unchecked. If the refresher falls behind, or the store
    /// or the provider does not answer it, the entry expires and the next
    /// operation checks on its own thread, as without the refresher, or
    /// fails closed. A key not used since its last renewal is left to
    /// expire, so idle keys cost nothing. A zero lifetime or interval is
    /// not renewed ahead (every operation checks anyway).
    ///
    /// The thread holds only a `Weak` of the ring, holds no lock across a
    /// store or root-key call, survives a plug point that panics, and ends
    /// when the ring is dropped: the returned handle joins then. It is a
    /// std thread, so it works with any async runtime or none. Fails with
    /// [`BackendErrorKind::Conflict`] if the ring already has a refresher,
    /// and [`BackendErrorKind::Unavailable`] if the thread cannot be
    /// started.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use key_model::{KeyName, KeyRing, TenantScope};
    ///
    /// let ring = Arc::new(KeyRing::in_memory()?.with_cache_ttl(Duration::from_millis(50)));
    /// let refresher = ring.refresh_in_background()?;
    /// let acme = TenantScope::authorized_by_host("acme".parse()?);
    /// let name: KeyName = "tenants/acme/keys/orders".parse()?;
    /// ring.create_key(&acme, &name)?;
    /// ring.encrypt(&acme, &name, b"row", b"")?;
    /// assert!(ring.refresh_in_background().is_err()); // one per ring
    /// drop(ring);
    /// refresher.join().expect("the refresher ends with its ring");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn refresh_in_background(self: &Arc<KeyRing>) -> Result<JoinHandle<()>, Error> {
        let mut slot = self
            .refresher
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.is_some() {
            return Err(Error::Backend(BackendError::new(
                BackendErrorKind::Conflict,
                "the key ring already has a background refresher",
            )));
        }
        let ring = Arc::downgrade(self);
        let tick = self.tick();
        let handle = std::thread::Builder::new()
            .name("key-model-refresh".into())
            .spawn(move || run(&ring, tick))
            .map_err(|_| {
                Error::Backend(BackendError::new(
                    BackendErrorKind::Unavailable,
                    "the background refresher's thread could not be started",
                ))
            })?;
        *slot = Some(handle.thread().clone());
        Ok(handle)
    }

    /// How often the refresher wakes: an eighth of the shorter of the
    /// lifetime and the interval (so an entry in use is renewed between a
    /// half and five eighths of it, leaving three eighths for the check and
    /// a late wake-up), within [`MIN_TICK`] and [`MAX_TICK`].
    fn tick(&self) -> Duration {
        [Some(self.cache.ttl()), self.cache.root_recheck()]
            .into_iter()
            .flatten()
            .filter(|d| !d.is_zero())
            .min()
            .map_or(MAX_TICK, |d| d / 8)
            .clamp(MIN_TICK, MAX_TICK)
    }

    /// One pass of the refresher over the cache. Errors are left to the
    /// caller path: an entry not confirmed expires, and one whose root
    /// re-check failed is already out of the cache.
    fn refresh_due(&self) {
        let now = self.cache.now();
        for entry in self.cache.snapshot() {
            let soon = self.cache.due_soon(&entry, now);
            if soon.none() || !Cache::take_used(&entry) {
                continue;
            }
            let entry = if soon.store {
                let name = entry.record.name.clone();
                match self.check_store(&name, entry) {
                    Ok(Some(entry)) => entry,
                    Ok(None) | Err(_) => continue,
                }
            } else {
                entry
            };
            if soon.root || self.cache.due(&entry, self.cache.now()).root {
                // A failure has evicted the entry: nothing more to do here.
                let _ = self.recheck_root(&entry);
            }
        }
    }

    /// Unwraps each loaded version of `entry` again through the root key
    /// and checks it gives the material held. On success the entry's
    /// re-check clock moves to when this check started; on any failure the
    /// entry leaves the cache (fail closed) and the error is returned.
    pub(super) fn recheck_root(&self, entry: &KeyEntry) -> Result<(), Error> {
        let started = self.cache.now();
        match self.unwrap_again(entry) {
            Ok(()) => {
                Cache::confirm_root(entry, started);
                Ok(())
            }
            Err(e) => {
                let name = &entry.record.name;
                self.cache
                    .remove(name.tenant(), name.purpose(), entry.revision);
                Err(e)
            }
        }
    }

    fn unwrap_again(&self, entry: &KeyEntry) -> Result<(), Error> {
        for (version, material) in entry.record.versions.iter().zip(&entry.material) {
            let Some(material) = material else { continue };
            let wrapped = version.wrapped.as_ref().ok_or(BackendError::new(
                BackendErrorKind::Corrupt,
                "usable key version has no wrapped material",
            ))?;
            let key_ref = version.metadata.key_ref();
            let again =
                KeyMaterial::from_secret(self.root.unwrap(&RingCall::new(), key_ref, wrapped)?);
            // Both copies are this process's own; no input an attacker
            // times reaches this comparison, so it need not be constant
            // time.
            if again.expose() != material.expose() {
                return Err(Error::Backend(BackendError::new(
                    BackendErrorKind::Unwrap,
                    "the root key unwrapped other material than the ring holds",
                )));
            }
        }
        Ok(())
    }
}

impl Drop for KeyRing {
    /// Wakes the background refresher, if any, so that it sees the ring
    /// gone and ends now rather than at its next tick.
    fn drop(&mut self) {
        let refresher = self
            .refresher
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(thread) = refresher.take() {
            thread.unpark();
        }
    }
}

/// The refresher's loop: sleep a tick, renew what is due if the ring still
/// exists, end when it does not.
fn run(ring: &Weak<KeyRing>, tick: Duration) {
    loop {
        std::thread::park_timeout(tick);
        let Some(ring) = ring.upgrade() else { return };
        // A plug point that panics must not end the refresher: the pass is
        // abandoned, the entries it did not renew expire, and the next tick
        // tries again. The cache is consistent after a panic (see the
        // module's note on poisoned locks).
        let _ = catch_unwind(AssertUnwindSafe(|| ring.refresh_due()));
        // Dropped here, not across the sleep: only callers keep the ring.
        drop(ring);
    }
}
