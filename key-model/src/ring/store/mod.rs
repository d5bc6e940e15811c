//! The key store plug point: where keys are stored, one record per key.
//! One file per backend beside this one (`memory.rs`; `sqlite.rs` with
//! feature `store-sqlite`).
//!
//! A database-backed store implements [`KeyStore`]; callers of
//! [`KeyRing`](crate::KeyRing) do not change.

use std::sync::Arc;

use crate::model::de::{Present, field, guard};
use crate::model::id::{KeyName, TenantId};
use crate::model::lifecycle::KeyMetadata;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::root::WrappedKey;

pub(crate) mod memory;
#[cfg(feature = "store-postgres")]
pub(crate) mod postgres;
#[cfg(feature = "store-sqlite")]
pub(crate) mod sqlite;

/// One version of a key as stored: its metadata and its wrapped material
/// (`None` once destroyed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredVersion {
    pub(crate) metadata: KeyMetadata,
    pub(crate) wrapped: Option<WrappedKey>,
}

impl StoredVersion {
    /// The version's metadata.
    pub fn metadata(&self) -> &KeyMetadata {
        &self.metadata
    }

    /// Its wrapped material; `None` once destroyed.
    pub fn wrapped(&self) -> Option<&WrappedKey> {
        self.wrapped.as_ref()
    }
}

/// A key as stored: its name and every version, in ascending order, exactly
/// one of them the primary. The unit a [`KeyStore`] reads and writes, so a
/// rotation (new version, primary moved) is one write.
///
/// Serde gives a backend a ready format (JSON, say); a state written by a
/// newer version of key-model loads as
/// [`KeyState::Unrecognized`](crate::KeyState::Unrecognized) and fails
/// closed.
///
/// ```
/// use key_model::ring::StoredKey;
/// use key_model::KeyState;
///
/// let row = r#"{
///   "name": "tenants/acme/keys/audit-export",
///   "versions": [{
///     "metadata": {
///       "key_ref": "tenants/acme/keys/audit-export/versions/1",
///       "state": "quarantined",
///       "origin": "platform_managed",
///       "created_at": 1764400000,
///       "primary": true
///     },
///     "wrapped": null
///   }]
/// }"#;
/// let key: StoredKey = serde_json::from_str(row)?;
/// let state = key.versions()[0].metadata().state();
/// assert!(matches!(state, KeyState::Unrecognized(_)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredKey {
    pub(crate) name: KeyName,
    pub(crate) versions: Vec<StoredVersion>,
}

/// What serde's derive accepted for the two records (maps, unknown members
/// ignored, or sequences; `wrapped` may be missing), kept as it was. The
/// public impls only replace serde's errors, which quote the input (G8): a
/// stored record is exactly what a host's database hands back.
#[derive(serde::Deserialize)]
#[serde(rename = "StoredVersion")]
struct VersionForm {
    #[serde(default)]
    metadata: Present<KeyMetadata>,
    #[serde(default, deserialize_with = "wrapped")]
    wrapped: Option<WrappedKey>,
}

#[derive(serde::Deserialize)]
#[serde(rename = "StoredKey")]
struct KeyForm {
    #[serde(default)]
    name: Present<KeyName>,
    #[serde(default, deserialize_with = "versions")]
    versions: Present<Vec<StoredVersion>>,
}

fn wrapped<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<WrappedKey>, D::Error> {
    let wrapped: Present<Option<WrappedKey>> = field(
        d,
        "invalid stored version: `wrapped` must be null or wrapped key material in unpadded base64url",
    )?;
    Ok(wrapped.into_inner().flatten())
}

fn versions<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Present<Vec<StoredVersion>>, D::Error> {
    field(
        d,
        "invalid stored key: `versions` must be a list of stored versions",
    )
}

impl<'de> serde::Deserialize<'de> for StoredVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let VersionForm { metadata, wrapped } = guard(
            deserializer,
            "invalid stored version: expected a map of `metadata` and `wrapped`, each once",
            VersionForm::deserialize,
        )?;
        Ok(StoredVersion {
            metadata: metadata.get("invalid stored version: missing field `metadata`")?,
            wrapped,
        })
    }
}

impl<'de> serde::Deserialize<'de> for StoredKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let KeyForm { name, versions } = guard(
            deserializer,
            "invalid stored key: expected a map of `name` and `versions`, each once",
            KeyForm::deserialize,
        )?;
        Ok(StoredKey {
            name: name.get("invalid stored key: missing field `name`")?,
            versions: versions.get("invalid stored key: missing field `versions`")?,
        })
    }
}

impl StoredKey {
    /// The key's name.
    pub fn name(&self) -> &KeyName {
        &self.name
    }

    /// Its versions, oldest first.
    pub fn versions(&self) -> &[StoredVersion] {
        &self.versions
    }

    /// Checks what the key ring relies on: at least one version, versions
    /// strictly ascending and all of this key, exactly one primary.
    pub(crate) fn validate(&self, name: &KeyName) -> Result<(), BackendError> {
        let corrupt = |detail| Err(BackendError::new(BackendErrorKind::Corrupt, detail));
        if &self.name != name {
            return corrupt("record loaded under another key's name");
        }
        if self.versions.is_empty() {
            return corrupt("key record has no versions");
        }
        let mut previous = None;
        for v in &self.versions {
            let r = v.metadata.key_ref();
            if r.tenant() != name.tenant() || r.purpose() != name.purpose() {
                return corrupt("version belongs to another key");
            }
            if previous.is_some_and(|p| p >= r.version()) {
                return corrupt("versions are not strictly ascending");
            }
            previous = Some(r.version());
        }
        if self
            .versions
            .iter()
            .filter(|v| v.metadata.is_primary())
            .count()
            != 1
        {
            return corrupt("key record does not have exactly one primary version");
        }
        Ok(())
    }
}

/// The store's revision of a key's record: a number the store assigns at
/// every successful [`KeyStore::save`] of that key, strictly greater than the
/// one before. It is what a compare-and-swap compares: a writer names the
/// revision it read, and the store refuses the write if the record has moved
/// on since.
///
/// Revisions of different keys are unrelated; only their order per key
/// matters (the key ring never replaces a cached record with one read at an
/// older revision, unless the store itself answers a revision lower than
/// the cached one: then its counters went back, as after a restored backup,
/// and the ring loads what the store holds).
///
/// ```
/// use key_model::ring::Revision;
///
/// let first = Revision::new(1);
/// assert!(Revision::new(2) > first);
/// assert_eq!(first.get(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Revision(u64);

impl Revision {
    /// The revision numbered `n` (a store's own counter, or a column).
    pub const fn new(n: u64) -> Revision {
        Revision(n)
    }

    /// Its number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

/// Proof that key-model's key ring is making the call: every [`KeyStore`]
/// method takes one, and only key-model can create one.
///
/// A store holds every tenant's records, their states included, so its
/// methods must not be callable by the host that holds it: a host that kept
/// an `Arc<SqliteKeyStore>` it also gave the ring could otherwise `save` a
/// record it read before a disable or a destruction and so undo it (G6),
/// with no [`TenantScope`](crate::TenantScope) and no policy check. With
/// this parameter, implementing `KeyStore` outside key-model works as
/// before; calling it does not compile:
///
/// ```compile_fail,E0061
/// use key_model::ring::{KeyStore, MemoryKeyStore};
///
/// let store = MemoryKeyStore::new();
/// store.load(&"tenants/acme/keys/audit-export".parse()?)?; // no StoreCall to pass
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```compile_fail,E0423
/// let call = key_model::ring::StoreCall; // no public constructor
/// ```
///
/// It is a type of its own, not the [`RingCall`](crate::ring::RingCall)
/// root keys take: a store never sees unwrapped material, and a store
/// implementation that also held the root key could otherwise unwrap with
/// the proof it was handed. An implementation receives a `&StoreCall` for
/// the duration of one call and may pass it on to a store it wraps, as the
/// `Arc<T>` impl does; it is neither `Clone` nor `Copy`, so the borrow ends
/// with the call. The audit lists every implementation (`key-store-impl`),
/// see `docs/guarantees.md` (G6, G9). What a database's own credentials
/// allow is outside the type system: see the same section.
pub struct StoreCall {
    _private: (),
}

impl StoreCall {
    /// Only the key ring (and the testing kit's conformance suite and
    /// editable store) calls a store.
    pub(crate) const fn new() -> StoreCall {
        StoreCall { _private: () }
    }
}

impl core::fmt::Debug for StoreCall {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("StoreCall")
    }
}

/// Where keys are stored: metadata and wrapped material, one record per
/// key, each with a [`Revision`]. Plug point for a database.
///
/// **Compare and swap.** Several key rings (in several processes, or
/// instances of a service) may share one store. Each writes a change as
/// "replace the record I read at revision `r`": [`KeyStore::save`] with
/// `Some(r)` must refuse, with [`BackendErrorKind::Conflict`] and without
/// writing, when the stored revision is no longer `r`; with `None` it must
/// create the record only if the key does not exist. So a rotation on one
/// instance and one on another at the same moment cannot overwrite each
/// other: the loser's ring reloads the record and retries its change (a
/// bounded number of times), and never writes over what it did not read.
/// Before this contract the trait had a plain "create or replace" `save`,
/// which was correct for one process only.
///
/// **Revision reads.** [`KeyStore::revision`] is the cheap question "has
/// this key changed?": the ring asks it when a cached key is older than its
/// cache lifetime, and reloads the record only when the answer differs
/// from what it holds. The default implementation loads the whole record; a
/// database store reads one column.
///
/// **Only the ring calls a store.** Every method takes a [`StoreCall`],
/// which only key-model can create: anyone can implement a store, only the
/// key ring can call one. A host lists keys through
/// [`KeyRing::list`](crate::KeyRing::list) (metadata, scoped to one tenant),
/// never through the store it plugged in.
///
/// A store keeps records exactly: what [`KeyStore::load`] returns is equal
/// to what was saved, a state it does not know included. It never sees
/// unwrapped material. `key_model::testing::run_store_conformance` (feature
/// `testing`) checks all of this against any store.
///
/// A store that wraps another (here, counting the writes of the in-memory
/// store) passes each call on, the [`StoreCall`] and revisions included:
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// use key_model::ring::{KeyStore, MemoryKeyStore, MemoryRootKey, Revision, StoreCall, StoredKey};
/// use key_model::{BackendError, KeyName, KeyRing, TenantId, TenantScope};
///
/// struct Counting {
///     inner: MemoryKeyStore,
///     saves: AtomicUsize,
/// }
///
/// impl KeyStore for Counting {
///     fn load(
///         &self,
///         call: &StoreCall,
///         name: &KeyName,
///     ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
///         self.inner.load(call, name)
///     }
///
///     fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
///         self.inner.list(call, tenant)
///     }
///
///     fn save(
///         &self,
///         call: &StoreCall,
///         key: &StoredKey,
///         expected: Option<Revision>,
///     ) -> Result<Revision, BackendError> {
///         self.saves.fetch_add(1, Ordering::Relaxed);
///         self.inner.save(call, key, expected)
///     }
/// }
///
/// let store = std::sync::Arc::new(Counting { inner: MemoryKeyStore::new(), saves: AtomicUsize::new(0) });
/// let ring = KeyRing::new(store.clone(), MemoryRootKey::generate()?);
/// let scope = TenantScope::authorized_by_host("acme".parse()?);
/// ring.create_key(&scope, &"tenants/acme/keys/billing".parse()?)?;
/// assert_eq!(store.saves.load(Ordering::Relaxed), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait KeyStore: Send + Sync {
    /// The record of `name` and its revision, if the key exists.
    fn load(
        &self,
        call: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError>;

    /// The revision of the record of `name`, if the key exists: what
    /// [`KeyStore::load`] would return with it, without the record.
    fn revision(&self, call: &StoreCall, name: &KeyName) -> Result<Option<Revision>, BackendError> {
        Ok(self.load(call, name)?.map(|(_, revision)| revision))
    }

    /// The names of every key of `tenant`, in any order.
    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError>;

    /// Writes the record of `key.name()`, atomically, if the stored
    /// revision is `expected` (`None`: only if the key does not exist), and
    /// returns the record's new revision. Otherwise writes nothing and
    /// fails with [`BackendErrorKind::Conflict`].
    fn save(
        &self,
        call: &StoreCall,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError>;
}

impl<T: KeyStore + ?Sized> KeyStore for Arc<T> {
    fn load(
        &self,
        call: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        (**self).load(call, name)
    }

    fn revision(&self, call: &StoreCall, name: &KeyName) -> Result<Option<Revision>, BackendError> {
        (**self).revision(call, name)
    }

    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        (**self).list(call, tenant)
    }

    fn save(
        &self,
        call: &StoreCall,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        (**self).save(call, key, expected)
    }
}
