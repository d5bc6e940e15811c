//! The embedded key ring: per-tenant keys, their lifecycle, and envelope
//! encryption bound to the key reference (G5, G6, G7).
//!
//! A [`KeyRing`] keeps every key it has loaded in a cache (`cache.rs`) of
//! immutable entries behind one `RwLock`. Reads (encrypt, decrypt,
//! re-encrypt) hold the lock only to clone an `Arc` of the key version's
//! material; the AEAD runs after the lock is released. Changes (create,
//! rotate, set primary, the lifecycle transitions) are serialized by a
//! separate mutex, computed on a copy of the key's record, written to the
//! [`KeyStore`] with a compare-and-swap on the revision they read, and then
//! published by replacing the whole entry: a reader sees the key before or
//! after a change, never half of one. A change that loses the swap to
//! another process reloads the record and is computed again.
//!
//! A cached key is used for at most the cache lifetime after the store
//! last confirmed its revision; then the next operation asks the store for
//! the revision (and reloads the record if it moved), so a change written
//! by another instance is honoured within that bound. Two opt-ins
//! (`keyring/freshness.rs`): a root re-check bounds how long unwrapped
//! material is used after the root key last unwrapped it, and a background
//! refresher does both checks ahead of the callers, off their threads.
//!
//! Poisoned locks: the cache lock's critical sections call no code but the
//! ring's own and leave nothing half-updated (each write replaces one
//! `Arc`). The change mutex is held across the plug points (the store's
//! `save`, the root key), which may panic; but a change is computed on a
//! copy and published only after `save` returns, so a panic there leaves
//! the state as it was before the change. Either way a poisoned lock guards
//! consistent state, and the ring recovers the guard
//! (`PoisonError::into_inner`) instead of panicking or refusing service.

use core::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::Thread;
use std::time::Duration;

use crate::error::Error;
use crate::model::id::{KeyName, KeyPurpose, KeyRef, TenantId};
use crate::model::lifecycle::{KeyMetadata, KeyOrigin, KeyState};
use crate::model::material::KeyMaterial;
use crate::model::policy::Operation;
use crate::model::scope::TenantScope;
use crate::model::time::Timestamp;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::cache::{Cache, Due, KeyEntry, Lease, material_for};
use crate::ring::envelope::Envelope;
use crate::ring::plaintext::Plaintext;
use crate::ring::root::memory::MemoryRootKey;
use crate::ring::root::{RingCall, RootKey};
use crate::ring::source::{MaterialSource, OsRandom};
use crate::ring::store::memory::MemoryKeyStore;
use crate::ring::store::{KeyStore, Revision, StoreCall, StoredKey, StoredVersion};

mod freshness;
mod lifecycle;
mod rotate;

/// How many times a change is computed again after losing a
/// compare-and-swap to another writer before the ring gives up with
/// [`BackendErrorKind::Conflict`]: with [`conflict_wait`], about a quarter
/// of a second of losing without a break.
const CHANGE_ATTEMPTS: u32 = 32;

/// How long a change waits, at most, after its first lost compare-and-swap
/// before reloading; doubled after each further loss up to
/// [`CONFLICT_BACKOFF_CAP`], and each wait is drawn at random between half
/// of that and all of it. A writer that just won needs no store read for
/// its next change, so in a tight loop it keeps winning; the loser must
/// outlast the winner's burst (8 fixed attempts, 5 ms in all, ran out in
/// `instances::concurrent_rotations_on_two_rings_lose_nothing` under CI
/// load), and the random half keeps two losers from waking together.
const CONFLICT_BACKOFF: Duration = Duration::from_micros(20);

/// The longest single wait between two attempts of a change.
const CONFLICT_BACKOFF_CAP: Duration = Duration::from_millis(10);

/// The wait after the `attempt`-th lost compare-and-swap: in
/// `[max / 2, max]` for `max = min(CONFLICT_BACKOFF * 2^attempt, cap)`.
/// Not a secret and not security-relevant; a failed random source waits
/// the whole `max`.
fn conflict_wait(attempt: u32) -> Duration {
    let max = CONFLICT_BACKOFF
        .saturating_mul(1 << attempt.min(20))
        .min(CONFLICT_BACKOFF_CAP);
    let fraction = f64::from(getrandom::u32().unwrap_or(u32::MAX)) / f64::from(u32::MAX);
    max / 2 + (max / 2).mul_f64(fraction)
}

/// The embedded key ring: per-tenant keys in numbered versions, their
/// lifecycle, and envelope encryption bound to the key reference.
///
/// `Send + Sync`: share it between threads with an `Arc`. In a tokio
/// service, keep an `Arc<KeyRing>` in the application state; encrypt and
/// decrypt of a cached key within its cache lifetime
/// ([`KeyRing::with_cache_ttl`]) make no store call and take a read lock
/// only to clone an `Arc`, while key management (create, rotate, the
/// transitions, list) and cache misses call the [`KeyStore`], which
/// blocks: run those through `tokio::task::spawn_blocking`
/// (`docs/key-model.md`, In a tokio service). With
/// [`KeyRing::refresh_in_background`] the checks that follow a lifetime
/// run on a thread of the ring's, so the hot path does not block on the
/// store while that thread keeps up. Every operation
/// that touches a tenant's keys takes a [`TenantScope`]; a key of another
/// tenant is reported exactly as a missing key ([`Error::KeyNotFound`]), so
/// a scope cannot probe which keys exist elsewhere. Every operation asks
/// [`policy::check`](crate::policy::check), and fails closed.
///
/// ```
/// use key_model::{Error, KeyName, KeyRing, TenantScope};
///
/// let ring = KeyRing::in_memory()?;
/// let acme = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/ssh-session-recording".parse()?;
/// ring.create_key(&acme, &name)?;
///
/// let envelope = ring.encrypt(&acme, &name, b"$ ls -la", b"session-42")?;
/// assert_eq!(ring.decrypt(&acme, &envelope, b"session-42")?.as_bytes(), b"$ ls -la");
///
/// // Rotation: version 2 encrypts; version 1 still decrypts.
/// let v2 = ring.rotate(&acme, &name)?;
/// let moved = ring.reencrypt(&acme, &envelope, b"session-42")?;
/// assert_eq!(moved.key_ref(), v2.key_ref());
///
/// // Another tenant's scope sees nothing.
/// let globex = TenantScope::authorized_by_host("globex".parse()?);
/// assert_eq!(ring.decrypt(&globex, &envelope, b"session-42").unwrap_err(), Error::KeyNotFound);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct KeyRing {
    cache: Cache,
    /// Serializes changes, so each is computed from the latest record.
    changes: Mutex<()>,
    store: Box<dyn KeyStore>,
    root: Box<dyn RootKey>,
    /// Where new versions get their material: the operating system's
    /// random source, or a leak test's canaries.
    source: Box<dyn MaterialSource>,
    /// The background refresher's thread, if started: woken when the ring
    /// is dropped so that it ends at once.
    refresher: Mutex<Option<Thread>>,
}

impl KeyRing {
    /// A key ring over `store`, wrapping material with `root`.
    pub fn new(store: impl KeyStore + 'static, root: impl RootKey + 'static) -> KeyRing {
        KeyRing::with_source(store, root, OsRandom)
    }

    /// A key ring whose new versions get their material from `source`. The
    /// one way to replace the random source, crate-private: the leak-canary
    /// kit uses it.
    pub(crate) fn with_source(
        store: impl KeyStore + 'static,
        root: impl RootKey + 'static,
        source: impl MaterialSource + 'static,
    ) -> KeyRing {
        KeyRing {
            cache: Cache::new(KeyRing::DEFAULT_CACHE_TTL),
            changes: Mutex::new(()),
            store: Box::new(store),
            root: Box::new(root),
            source: Box::new(source),
            refresher: Mutex::new(None),
        }
    }

    /// A key ring held entirely in memory, with a fresh random root key.
    pub fn in_memory() -> Result<KeyRing, Error> {
        Ok(KeyRing::new(
            MemoryKeyStore::new(),
            MemoryRootKey::generate()?,
        ))
    }

    /// The metadata of every version of every key of the scope's tenant,
    /// ordered by key name and version.
    ///
    /// ```
    /// use key_model::{KeyName, KeyRing, TenantScope};
    ///
    /// let ring = KeyRing::in_memory()?;
    /// let acme = TenantScope::authorized_by_host("acme".parse()?);
    /// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
    /// ring.create_key(&acme, &name)?;
    /// ring.rotate(&acme, &name)?;
    /// let refs: Vec<String> = ring.list(&acme)?.iter().map(|m| m.key_ref().to_string()).collect();
    /// assert_eq!(refs, [
    ///     "tenants/acme/keys/audit-export/versions/1",
    ///     "tenants/acme/keys/audit-export/versions/2",
    /// ]);
    /// let globex = TenantScope::authorized_by_host("globex".parse()?);
    /// assert!(ring.list(&globex)?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list(&self, scope: &TenantScope) -> Result<Vec<KeyMetadata>, Error> {
        let mut names = self.store.list(&StoreCall::new(), scope.tenant())?;
        names.sort();
        let mut out = Vec::new();
        for name in names.iter().filter(|n| scope.covers_name(n)) {
            if let Some(entry) = self.entry(name)? {
                out.extend(entry.record.versions.iter().map(|v| v.metadata.clone()));
            }
        }
        Ok(out)
    }

    /// The metadata of every version of `name`, oldest first.
    pub fn versions(&self, scope: &TenantScope, name: &KeyName) -> Result<Vec<KeyMetadata>, Error> {
        if !scope.covers_name(name) {
            return Err(Error::KeyNotFound);
        }
        let entry = self.entry(name)?.ok_or(Error::KeyNotFound)?;
        Ok(entry
            .record
            .versions
            .iter()
            .map(|v| v.metadata.clone())
            .collect())
    }

    // ---- envelope encryption ---------------------------------------------

    /// Encrypts `plaintext` under the primary version of `name`, binding
    /// `context` (a record id, say: the same bytes must be given to
    /// decrypt).
    pub fn encrypt(
        &self,
        scope: &TenantScope,
        name: &KeyName,
        plaintext: &[u8],
        context: &[u8],
    ) -> Result<Envelope, Error> {
        let primary = self.primary_material(scope, name, Operation::Encrypt)?;
        Envelope::seal(primary.key_ref()?, &primary.material, plaintext, context)
    }

    /// Encrypts under exactly `key_ref`, which must be the key's `Enabled`
    /// primary version: for a caller that has recorded the version it
    /// expects and wants a refusal, not a silently newer version, when the
    /// primary has moved.
    ///
    /// ```
    /// use key_model::{Error, KeyName, KeyRing, TenantScope};
    ///
    /// let ring = KeyRing::in_memory()?;
    /// let acme = TenantScope::authorized_by_host("acme".parse()?);
    /// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
    /// let v1 = ring.create_key(&acme, &name)?.key_ref().clone();
    /// assert!(ring.encrypt_under(&acme, &v1, b"rows", b"").is_ok());
    /// ring.rotate(&acme, &name)?;
    /// let refused = ring.encrypt_under(&acme, &v1, b"rows", b"").unwrap_err();
    /// assert_eq!(refused.to_string(), "encrypt refused: key version is not the primary");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn encrypt_under(
        &self,
        scope: &TenantScope,
        key_ref: &KeyRef,
        plaintext: &[u8],
        context: &[u8],
    ) -> Result<Envelope, Error> {
        let version = self.version_material(scope, key_ref, Operation::Encrypt)?;
        Envelope::seal(version.key_ref()?, &version.material, plaintext, context)
    }

    /// Decrypts `envelope` with exactly the version its header names, if
    /// that version is `Enabled` and `context` is the one it was sealed
    /// with. The plaintext comes back in a [`Plaintext`], zeroized on drop.
    pub fn decrypt(
        &self,
        scope: &TenantScope,
        envelope: &Envelope,
        context: &[u8],
    ) -> Result<Plaintext, Error> {
        let source = self.version_material(scope, envelope.key_ref(), Operation::Decrypt)?;
        envelope.open(&source.material, context)
    }

    /// Re-encrypts `envelope` under the current primary version of its key,
    /// keeping `context`, without handing the plaintext to the caller.
    pub fn reencrypt(
        &self,
        scope: &TenantScope,
        envelope: &Envelope,
        context: &[u8],
    ) -> Result<Envelope, Error> {
        let source = self.version_material(scope, envelope.key_ref(), Operation::ReEncrypt)?;
        let primary =
            self.primary_material(scope, &envelope.key_ref().name(), Operation::Encrypt)?;
        let plaintext = envelope.open(&source.material, context)?;
        Envelope::seal(
            primary.key_ref()?,
            &primary.material,
            plaintext.as_bytes(),
            context,
        )
    }

    // ---- internals -------------------------------------------------------

    fn primary_material(
        &self,
        scope: &TenantScope,
        name: &KeyName,
        operation: Operation,
    ) -> Result<Lease, Error> {
        if !scope.covers_name(name) {
            return Err(Error::KeyNotFound);
        }
        let entry = self.entry(name)?.ok_or(Error::KeyNotFound)?;
        let index = entry.primary().ok_or(Error::KeyNotFound)?;
        material_for(entry, index, operation)
    }

    fn version_material(
        &self,
        scope: &TenantScope,
        key_ref: &KeyRef,
        operation: Operation,
    ) -> Result<Lease, Error> {
        if !scope.covers(key_ref) {
            return Err(Error::KeyNotFound);
        }
        let mut entry = self
            .entry_of(key_ref.tenant(), key_ref.purpose())?
            .ok_or(Error::KeyNotFound)?;
        if entry.version(key_ref.version()).is_none() {
            // A version this ring has not seen may have been added by
            // another instance since the cache last asked: ask once more
            // (one revision read) before calling it missing.
            entry = self
                .current_entry(&key_ref.name())?
                .ok_or(Error::KeyNotFound)?;
        }
        let index = entry.version(key_ref.version()).ok_or(Error::KeyNotFound)?;
        material_for(entry, index, operation)
    }

    /// The entry of a key: the cached one while it is within the cache
    /// lifetime, else what the store says now.
    fn entry(&self, name: &KeyName) -> Result<Option<Arc<KeyEntry>>, Error> {
        self.entry_of(name.tenant(), name.purpose())
    }

    /// [`KeyRing::entry`] by the parts of a name: the hot path (decrypt)
    /// builds no `KeyName` unless it must ask the store.
    fn entry_of(
        &self,
        tenant: &TenantId,
        purpose: &KeyPurpose,
    ) -> Result<Option<Arc<KeyEntry>>, Error> {
        match self.cache.get(tenant, purpose) {
            Some((entry, due)) if due.none() => Ok(Some(entry)),
            cached => {
                let name = KeyName::new(tenant.clone(), purpose.clone());
                self.renew(&name, cached)
            }
        }
    }

    /// The entry of a key as the store has it now, whatever the cache
    /// lifetime: what a change starts from.
    ///
    /// No root re-check: a change (a disable, a destroy) must not wait on
    /// the provider, and the material it may unwrap is checked then.
    fn checked_entry(&self, name: &KeyName) -> Result<Option<Arc<KeyEntry>>, Error> {
        match self.cache.get(name.tenant(), name.purpose()) {
            Some((entry, _)) => self.check_store(name, entry),
            None => self.load(name, None),
        }
    }

    /// [`KeyRing::checked_entry`] for an operation that uses the material:
    /// with the root re-check if it is due.
    fn current_entry(&self, name: &KeyName) -> Result<Option<Arc<KeyEntry>>, Error> {
        let cached = self.cache.get(name.tenant(), name.purpose());
        let store = cached.map(|(entry, due)| (entry, Due { store: true, ..due }));
        self.renew(name, store)
    }

    /// Does what `cached` is due for: asks the store whether it is still
    /// current (keeps it if its revision is, reloads the record if not),
    /// then re-checks its material through the root key; loads the key if
    /// nothing is cached.
    fn renew(
        &self,
        name: &KeyName,
        cached: Option<(Arc<KeyEntry>, Due)>,
    ) -> Result<Option<Arc<KeyEntry>>, Error> {
        let Some((entry, due)) = cached else {
            return self.load(name, None);
        };
        let entry = if due.store {
            match self.check_store(name, entry)? {
                Some(entry) => entry,
                None => return Ok(None),
            }
        } else {
            entry
        };
        // A reload reuses material and inherits its re-check clock, so it
        // may still be due.
        if self.cache.due(&entry, self.cache.now()).root {
            self.recheck_root(&entry)?;
        }
        Ok(Some(entry))
    }

    /// Asks the store whether `entry` is still current: confirms it if its
    /// revision is, reloads the record if not, forgets it if the key is
    /// gone.
    fn check_store(
        &self,
        name: &KeyName,
        entry: Arc<KeyEntry>,
    ) -> Result<Option<Arc<KeyEntry>>, Error> {
        match self.store.revision(&StoreCall::new(), name)? {
            Some(revision) if revision == entry.revision => {
                self.cache.confirm(&entry);
                Ok(Some(entry))
            }
            None => {
                self.cache
                    .remove(name.tenant(), name.purpose(), entry.revision);
                Ok(None)
            }
            Some(revision) if revision < entry.revision => {
                // A store never answers less than a revision it gave,
                // unless its counters went back (restored from a
                // backup, rebuilt). What it holds is what every other
                // ring reads: load that, from scratch, rather than keep
                // the cached record (the cache keeps the higher
                // revision) and ignore every change made since.
                self.cache
                    .remove(name.tenant(), name.purpose(), entry.revision);
                self.load(name, None)
            }
            Some(_) => self.load(name, Some(&entry)),
        }
    }

    /// Loads, validates and unwraps the record of `name` (reusing the
    /// material of `previous`), and caches it unless a newer revision is
    /// cached meanwhile. An invalid record is an error and is not cached,
    /// so every operation on that key fails until it is repaired.
    fn load(
        &self,
        name: &KeyName,
        previous: Option<&KeyEntry>,
    ) -> Result<Option<Arc<KeyEntry>>, Error> {
        let Some((record, revision)) = self.store.load(&StoreCall::new(), name)? else {
            if let Some(previous) = previous {
                self.cache
                    .remove(name.tenant(), name.purpose(), previous.revision);
            }
            return Ok(None);
        };
        record.validate(name)?;
        let material = self.materialize(&record, previous)?;
        let root_checked = previous.map(Cache::root_checked);
        Ok(Some(self.cache.offer(self.cache.entry(
            record,
            revision,
            material,
            root_checked,
        ))))
    }

    /// The material of each version of `record` whose state allows loading
    /// it: reused from `previous` where it is there, unwrapped otherwise.
    fn materialize(
        &self,
        record: &StoredKey,
        previous: Option<&KeyEntry>,
    ) -> Result<Vec<Option<Arc<KeyMaterial>>>, Error> {
        record
            .versions
            .iter()
            .map(|v| {
                if v.metadata.check(Operation::LoadMaterial).is_err() {
                    return Ok(None);
                }
                let key_ref = v.metadata.key_ref();
                // Reused only for the same wrapped bytes: a store restored
                // from another cluster can hold the same version number
                // over other material, and sealing under the old one would
                // write envelopes no store can open. A rewrap changes the
                // bytes too and costs one unwrap more, which is the safe
                // side.
                let reused = previous.and_then(|p| {
                    let i = p.version(key_ref.version())?;
                    if p.record.versions.get(i)?.wrapped != v.wrapped {
                        return None;
                    }
                    p.material.get(i)?.clone()
                });
                if let Some(material) = reused {
                    return Ok(Some(material));
                }
                let wrapped = v.wrapped.as_ref().ok_or(BackendError::new(
                    BackendErrorKind::Corrupt,
                    "usable key version has no wrapped material",
                ))?;
                let secret = self.root.unwrap(&RingCall::new(), key_ref, wrapped)?;
                Ok(Some(Arc::new(KeyMaterial::from_secret(secret))))
            })
            .collect()
    }

    /// Fresh material for `key_ref`, wrapped: an `Enabled` primary version.
    fn new_version(&self, key_ref: KeyRef) -> Result<StoredVersion, Error> {
        let material = self.generate(&key_ref)?;
        let wrapped = self
            .root
            .wrap(&RingCall::new(), &key_ref, material.secret())?;
        Ok(StoredVersion {
            metadata: KeyMetadata::new(
                key_ref,
                KeyState::Enabled,
                KeyOrigin::PlatformManaged,
                Timestamp::now(),
                true,
            ),
            wrapped: Some(wrapped),
        })
    }

    /// Fresh material for the new version `key_ref`. The one place the
    /// ring makes key material, so that a leak test's canaries replace the
    /// random source here and nowhere else.
    fn generate(&self, key_ref: &KeyRef) -> Result<KeyMaterial, Error> {
        self.source.material_for(key_ref)
    }

    /// Applies `f` to a copy of the record of `name`, then stores it with
    /// a compare-and-swap on the revision it was read at, and publishes the
    /// result. If another writer changed the record meanwhile, reloads it
    /// and applies `f` again after a backoff ([`CONFLICT_BACKOFF`]), at most
    /// [`CHANGE_ATTEMPTS`] times, then fails
    /// with [`BackendErrorKind::Conflict`]. Nothing changes if `f` or the
    /// store fails.
    fn change<T>(
        &self,
        scope: &TenantScope,
        name: &KeyName,
        mut f: impl FnMut(&KeyRing, &mut StoredKey) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if !scope.covers_name(name) {
            return Err(Error::KeyNotFound);
        }
        let _changes = self.changes.lock().unwrap_or_else(PoisonError::into_inner);
        let mut entry = self.checked_entry(name)?;
        for attempt in 0..CHANGE_ATTEMPTS {
            let current = entry.ok_or(Error::KeyNotFound)?;
            let mut record = current.record.clone();
            let out = f(self, &mut record)?;
            match self.publish(record, Some(&current)) {
                Ok(_) => return Ok(out),
                Err(Error::Backend(e)) if e.kind() == BackendErrorKind::Conflict => {
                    std::thread::sleep(conflict_wait(attempt));
                    entry = self.load(name, Some(&current))?;
                }
                Err(e) => return Err(e),
            }
        }
        Err(Error::Backend(BackendError::new(
            BackendErrorKind::Conflict,
            "the key kept changing under concurrent writers; nothing was written",
        )))
    }

    /// Unwraps what the new record needs, saves it if the stored record is
    /// still `previous` (or absent, for a new key), then swaps it in.
    /// Called with `changes` held.
    fn publish(&self, record: StoredKey, previous: Option<&KeyEntry>) -> Result<Revision, Error> {
        let material = self.materialize(&record, previous)?;
        let revision = self
            .store
            .save(&StoreCall::new(), &record, previous.map(|p| p.revision))?;
        if let Some(p) = previous.filter(|p| revision <= p.revision) {
            // The store broke its contract (a save must answer a revision
            // higher than the one it replaced; this one did not), so the
            // cache, which keeps
            // the higher revision, would serve the record from before this
            // change. The change is saved: forget the key, and the next
            // use reads it from the store.
            self.cache
                .remove(record.name.tenant(), record.name.purpose(), p.revision);
            return Ok(revision);
        }
        let root_checked = previous.map(Cache::root_checked);
        self.cache
            .offer(self.cache.entry(record, revision, material, root_checked));
        Ok(revision)
    }
}

/// The index of `key_ref` in its key's record, or `KeyNotFound`.
fn position(record: &StoredKey, key_ref: &KeyRef) -> Result<usize, Error> {
    record
        .versions
        .iter()
        .position(|v| v.metadata.key_ref() == key_ref)
        .ok_or(Error::KeyNotFound)
}

impl fmt::Debug for KeyRing {
    /// The cached key entries: metadata, wrapped material by length, and
    /// unwrapped material as `KeyMaterial([REDACTED])`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.cache.entries();
        f.debug_struct("KeyRing")
            .field("keys", &entries)
            .finish_non_exhaustive()
    }
}
