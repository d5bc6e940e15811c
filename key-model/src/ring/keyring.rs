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
//! by another instance is honoured within that bound.
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
use std::time::Duration;

use crate::error::Error;
use crate::model::id::{KeyName, KeyPurpose, KeyRef, KeyVersion, TenantId};
use crate::model::lifecycle::{KeyMetadata, KeyOrigin, KeyState, Transition};
use crate::model::material::KeyMaterial;
use crate::model::policy::Operation;
use crate::model::scope::TenantScope;
use crate::model::time::Timestamp;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::cache::{Cache, KeyEntry, Lease, material_for};
use crate::ring::envelope::Envelope;
use crate::ring::plaintext::Plaintext;
use crate::ring::root::memory::MemoryRootKey;
use crate::ring::root::{RingCall, RootKey};
use crate::ring::source::{MaterialSource, OsRandom};
use crate::ring::store::memory::MemoryKeyStore;
use crate::ring::store::{KeyStore, Revision, StoreCall, StoredKey, StoredVersion};

mod rotate;

/// How many times a change is computed again after losing a
/// compare-and-swap to another writer before the ring gives up with
/// [`BackendErrorKind::Conflict`].
const CHANGE_ATTEMPTS: usize = 8;

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
/// (`docs/key-model.md`, In a tokio service). Every operation
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
        }
    }

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

    /// A key ring held entirely in memory, with a fresh random root key.
    pub fn in_memory() -> Result<KeyRing, Error> {
        Ok(KeyRing::new(
            MemoryKeyStore::new(),
            MemoryRootKey::generate()?,
        ))
    }

    // ---- lifecycle -------------------------------------------------------

    /// Creates the key `name`: version 1, `Enabled`, primary.
    ///
    /// Fails with [`Error::KeyExists`] if the key exists (versions are never
    /// reused), and with [`Error::KeyNotFound`] for a name outside `scope`.
    pub fn create_key(&self, scope: &TenantScope, name: &KeyName) -> Result<KeyMetadata, Error> {
        if !scope.covers_name(name) {
            return Err(Error::KeyNotFound);
        }
        let _changes = self.changes.lock().unwrap_or_else(PoisonError::into_inner);
        if self.checked_entry(name)?.is_some() {
            return Err(Error::KeyExists);
        }
        let key_ref = name.at_version(KeyVersion::FIRST);
        let version = self.new_version(key_ref)?;
        let metadata = version.metadata.clone();
        let record = StoredKey {
            name: name.clone(),
            versions: vec![version],
        };
        match self.publish(record, None) {
            // Another writer created the key since the check above.
            Err(Error::Backend(e)) if e.kind() == BackendErrorKind::Conflict => {
                Err(Error::KeyExists)
            }
            published => published.map(|_| metadata),
        }
    }

    /// Adds a new version of `name` and makes it the primary. Earlier
    /// versions keep their state: enabled ones still decrypt.
    pub fn rotate(&self, scope: &TenantScope, name: &KeyName) -> Result<KeyMetadata, Error> {
        self.change(scope, name, |ring, record| {
            let last = record
                .versions
                .last()
                .map(|v| v.metadata.key_ref().version())
                .ok_or(Error::KeyNotFound)?;
            let next = last.next().ok_or(Error::VersionsExhausted)?;
            let version = ring.new_version(name.at_version(next))?;
            let metadata = version.metadata.clone();
            for v in &mut record.versions {
                v.metadata.set_primary(false)?;
            }
            record.versions.push(version);
            Ok(metadata)
        })
    }

    /// Makes `key_ref` the primary version of its key; it must be
    /// `Enabled`.
    pub fn set_primary(&self, scope: &TenantScope, key_ref: &KeyRef) -> Result<KeyMetadata, Error> {
        self.change(scope, &key_ref.name(), |_, record| {
            let target = position(record, key_ref)?;
            record.versions[target].metadata.set_primary(true)?;
            for (i, v) in record.versions.iter_mut().enumerate() {
                if i != target {
                    v.metadata.set_primary(false)?;
                }
            }
            Ok(record.versions[target].metadata.clone())
        })
    }

    /// `Enabled` -> `Disabled`. Not the primary. A disabled version refuses
    /// every operation, and its material is dropped from memory.
    ///
    /// ```
    /// use key_model::{KeyName, KeyRing, TenantScope};
    ///
    /// let ring = KeyRing::in_memory()?;
    /// let acme = TenantScope::authorized_by_host("acme".parse()?);
    /// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
    /// let v1 = ring.create_key(&acme, &name)?.key_ref().clone();
    /// let sealed = ring.encrypt(&acme, &name, b"rows", b"")?;
    /// ring.rotate(&acme, &name)?; // the primary cannot be disabled
    /// ring.disable(&acme, &v1)?;
    /// let refused = ring.decrypt(&acme, &sealed, b"").unwrap_err();
    /// assert_eq!(refused.to_string(), "decrypt refused: key version is disabled");
    /// ring.enable(&acme, &v1)?;
    /// assert_eq!(ring.decrypt(&acme, &sealed, b"")?.as_bytes(), b"rows");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn disable(&self, scope: &TenantScope, key_ref: &KeyRef) -> Result<KeyMetadata, Error> {
        self.transition(scope, key_ref, Transition::Disable)
    }

    /// `Disabled` -> `Enabled`.
    pub fn enable(&self, scope: &TenantScope, key_ref: &KeyRef) -> Result<KeyMetadata, Error> {
        self.transition(scope, key_ref, Transition::Enable)
    }

    /// `Disabled` -> `DestroyScheduled { at }`. The ring runs no timer:
    /// the host calls [`KeyRing::destroy`] when `at` is due, and may
    /// [`KeyRing::restore`] before.
    pub fn schedule_destruction(
        &self,
        scope: &TenantScope,
        key_ref: &KeyRef,
        at: Timestamp,
    ) -> Result<KeyMetadata, Error> {
        self.transition(scope, key_ref, Transition::ScheduleDestruction { at })
    }

    /// `DestroyScheduled` -> `Disabled`.
    pub fn restore(&self, scope: &TenantScope, key_ref: &KeyRef) -> Result<KeyMetadata, Error> {
        self.transition(scope, key_ref, Transition::Restore)
    }

    /// `DestroyScheduled` -> `Destroyed`, terminal: the wrapped material is
    /// removed from the store and the unwrapped material (already out of
    /// memory since the version was disabled) can never be loaded again.
    /// The metadata and the version number stay.
    ///
    /// ```
    /// use key_model::{KeyName, KeyRing, KeyState, TenantScope, Timestamp};
    ///
    /// let ring = KeyRing::in_memory()?;
    /// let acme = TenantScope::authorized_by_host("acme".parse()?);
    /// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
    /// let v1 = ring.create_key(&acme, &name)?.key_ref().clone();
    /// ring.rotate(&acme, &name)?;
    /// ring.disable(&acme, &v1)?;
    /// let at = Timestamp::from_unix_seconds(1_900_000_000);
    /// ring.schedule_destruction(&acme, &v1, at)?;
    /// ring.restore(&acme, &v1)?; // changed our mind
    /// ring.schedule_destruction(&acme, &v1, at)?;
    /// // ... and when `at` is due:
    /// assert_eq!(ring.destroy(&acme, &v1)?.state(), &KeyState::Destroyed);
    /// assert!(ring.enable(&acme, &v1).is_err()); // terminal
    /// // The number is never reused.
    /// assert_eq!(ring.rotate(&acme, &name)?.key_ref().version().get(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn destroy(&self, scope: &TenantScope, key_ref: &KeyRef) -> Result<KeyMetadata, Error> {
        self.transition(scope, key_ref, Transition::Destroy)
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
                .checked_entry(&key_ref.name())?
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
            Some((entry, true)) => Ok(Some(entry)),
            cached => {
                let name = KeyName::new(tenant.clone(), purpose.clone());
                self.refresh(&name, cached.map(|(entry, _)| entry))
            }
        }
    }

    /// The entry of a key as the store has it now, whatever the cache
    /// lifetime: what a change starts from.
    fn checked_entry(&self, name: &KeyName) -> Result<Option<Arc<KeyEntry>>, Error> {
        let cached = self.cache.get(name.tenant(), name.purpose());
        self.refresh(name, cached.map(|(entry, _)| entry))
    }

    /// Asks the store whether `cached` is still current: keeps it if its
    /// revision is, reloads the record if not, and loads it if nothing is
    /// cached.
    fn refresh(
        &self,
        name: &KeyName,
        cached: Option<Arc<KeyEntry>>,
    ) -> Result<Option<Arc<KeyEntry>>, Error> {
        if let Some(entry) = &cached {
            match self.store.revision(&StoreCall::new(), name)? {
                Some(revision) if revision == entry.revision => {
                    self.cache.confirm(entry);
                    return Ok(cached);
                }
                None => {
                    self.cache
                        .remove(name.tenant(), name.purpose(), entry.revision);
                    return Ok(None);
                }
                Some(_) => {}
            }
        }
        self.load(name, cached.as_deref())
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
        Ok(Some(
            self.cache
                .offer(self.cache.entry(record, revision, material)),
        ))
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
                let reused = previous.and_then(|p| {
                    let i = p.version(key_ref.version())?;
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

    fn transition(
        &self,
        scope: &TenantScope,
        key_ref: &KeyRef,
        transition: Transition,
    ) -> Result<KeyMetadata, Error> {
        self.change(scope, &key_ref.name(), |_, record| {
            let i = position(record, key_ref)?;
            let version = &mut record.versions[i];
            version.metadata.apply(transition)?;
            if transition == Transition::Destroy {
                version.wrapped = None;
            }
            Ok(version.metadata.clone())
        })
    }

    /// Applies `f` to a copy of the record of `name`, then stores it with
    /// a compare-and-swap on the revision it was read at, and publishes the
    /// result. If another writer changed the record meanwhile, reloads it
    /// and applies `f` again, at most [`CHANGE_ATTEMPTS`] times, then fails
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
        for _ in 0..CHANGE_ATTEMPTS {
            let current = entry.ok_or(Error::KeyNotFound)?;
            let mut record = current.record.clone();
            let out = f(self, &mut record)?;
            match self.publish(record, Some(&current)) {
                Ok(_) => return Ok(out),
                Err(Error::Backend(e)) if e.kind() == BackendErrorKind::Conflict => {
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
        self.cache
            .offer(self.cache.entry(record, revision, material));
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
