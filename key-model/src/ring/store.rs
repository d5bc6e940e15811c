//! The plug points of the key ring: where wrapped key material is stored
//! ([`KeyStore`]) and the root key that wraps it ([`RootKey`]), with the
//! in-memory implementations used today.
//!
//! A database-backed store and a KMS- or HSM-backed root key implement the
//! same two traits; callers of [`KeyRing`](crate::KeyRing) do not change.

use core::fmt;
use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Key, Tag, XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox};

use crate::error::Error;
use crate::id::{KeyName, KeyRef, TenantId};
use crate::lifecycle::KeyMetadata;
use crate::material::KeyMaterial;

/// What went wrong in a plug point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BackendErrorKind {
    /// The store or the root key could not be reached.
    Unavailable,
    /// A stored record is malformed or inconsistent.
    Corrupt,
    /// The root key refused to unwrap key material: the wrapped bytes were
    /// altered, belong to another key version, or were wrapped by another
    /// root key.
    Unwrap,
}

/// An error from a [`KeyStore`] or a [`RootKey`].
///
/// It carries a kind and a fixed description, never data from the record:
/// a backend logs its own details where it can protect them.
///
/// ```
/// use key_model::ring::{BackendError, BackendErrorKind};
///
/// let e = BackendError::new(BackendErrorKind::Unavailable, "database connection refused");
/// assert_eq!(e.to_string(), "key backend unavailable: database connection refused");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BackendError {
    kind: BackendErrorKind,
    detail: &'static str,
}

impl BackendError {
    /// An error of `kind` with a fixed description.
    pub const fn new(kind: BackendErrorKind, detail: &'static str) -> BackendError {
        BackendError { kind, detail }
    }

    /// What went wrong.
    pub fn kind(&self) -> BackendErrorKind {
        self.kind
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            BackendErrorKind::Unavailable => "key backend unavailable",
            BackendErrorKind::Corrupt => "stored key record is corrupt",
            BackendErrorKind::Unwrap => "the root key could not unwrap key material",
        };
        write!(f, "{what}: {}", self.detail)
    }
}

impl core::error::Error for BackendError {}

impl From<BackendError> for Error {
    fn from(e: BackendError) -> Self {
        Error::Backend(e)
    }
}

/// Key material wrapped (encrypted) by a [`RootKey`]: safe to store, useless
/// without the root key. Serde writes it as unpadded base64url; `Debug`
/// shows only its length.
///
/// ```
/// use key_model::ring::WrappedKey;
///
/// let wrapped = WrappedKey::from_bytes(vec![1, 2, 3]);
/// assert_eq!(format!("{wrapped:?}"), "WrappedKey(3 bytes)");
/// assert_eq!(serde_json::to_string(&wrapped).unwrap(), r#""AQID""#);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct WrappedKey(Box<[u8]>);

impl WrappedKey {
    /// Wraps bytes produced by a root key.
    pub fn from_bytes(bytes: impl Into<Box<[u8]>>) -> WrappedKey {
        WrappedKey(bytes.into())
    }

    /// The wrapped bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for WrappedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WrappedKey({} bytes)", self.0.len())
    }
}

impl serde::Serialize for WrappedKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&base64::display::Base64Display::new(
            &self.0,
            &URL_SAFE_NO_PAD,
        ))
    }
}

impl<'de> serde::Deserialize<'de> for WrappedKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = WrappedKey;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("wrapped key material in unpadded base64url")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<WrappedKey, E> {
                URL_SAFE_NO_PAD
                    .decode(v)
                    .map(WrappedKey::from_bytes)
                    .map_err(|_| E::custom("wrapped key material is not unpadded base64url"))
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

/// One version of a key as stored: its metadata and its wrapped material
/// (`None` once destroyed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredKey {
    pub(crate) name: KeyName,
    pub(crate) versions: Vec<StoredVersion>,
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

/// Where keys are stored: metadata and wrapped material, one record per
/// key. Plug point for a database.
///
/// The key ring caches what it loads and writes every change through
/// [`KeyStore::save`] before it takes effect. It serializes its own writes;
/// several processes writing one store need the store to compare and swap
/// (later work, see `docs/key-model.md`).
pub trait KeyStore: Send + Sync {
    /// The record of `name`, if the key exists.
    fn load(&self, name: &KeyName) -> Result<Option<StoredKey>, BackendError>;

    /// The names of every key of `tenant`.
    fn list(&self, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError>;

    /// Creates or replaces the record of `key.name()`, atomically.
    fn save(&self, key: &StoredKey) -> Result<(), BackendError>;
}

/// The root key that wraps key material at rest. Plug point for a KMS or an
/// HSM.
///
/// Implementing it is the one place where raw key material leaves
/// key-model's own cryptography: `wrap` sees the bytes it must protect, and
/// `unwrap` returns them. The root key is, by definition, trusted; the
/// workspace's audit, `cargo run -p key-model-audit -- .`, lists every
/// implementation (`root-key-impl`) and every import that renames the trait
/// (`rename`: after it, an `impl` need not name `RootKey`).
pub trait RootKey: Send + Sync {
    /// Wraps `material`, binding it to `key_ref` so that the wrapped bytes
    /// cannot be swapped with another version's.
    fn wrap(
        &self,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError>;

    /// Unwraps what [`RootKey::wrap`] produced for the same `key_ref`.
    fn unwrap(
        &self,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError>;
}

impl<T: KeyStore + ?Sized> KeyStore for Arc<T> {
    fn load(&self, name: &KeyName) -> Result<Option<StoredKey>, BackendError> {
        (**self).load(name)
    }

    fn list(&self, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        (**self).list(tenant)
    }

    fn save(&self, key: &StoredKey) -> Result<(), BackendError> {
        (**self).save(key)
    }
}

impl<T: RootKey + ?Sized> RootKey for Arc<T> {
    fn wrap(
        &self,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        (**self).wrap(key_ref, material)
    }

    fn unwrap(
        &self,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        (**self).unwrap(key_ref, wrapped)
    }
}

/// A [`KeyStore`] in process memory: the default, and the model for a
/// database-backed one. Records are kept as the ring saved them.
///
/// ```
/// use std::sync::Arc;
/// use key_model::ring::{KeyStore, MemoryKeyStore, MemoryRootKey};
/// use key_model::{KeyName, KeyRing, TenantScope};
///
/// let store = Arc::new(MemoryKeyStore::new());
/// let ring = KeyRing::new(Arc::clone(&store), MemoryRootKey::generate()?);
/// let scope = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// ring.create_key(&scope, &name)?;
/// assert_eq!(store.list(scope.tenant())?, vec![name]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryKeyStore {
    keys: RwLock<BTreeMap<KeyName, StoredKey>>,
}

impl MemoryKeyStore {
    /// An empty store.
    pub fn new() -> MemoryKeyStore {
        MemoryKeyStore::default()
    }
}

impl KeyStore for MemoryKeyStore {
    fn load(&self, name: &KeyName) -> Result<Option<StoredKey>, BackendError> {
        // A writer that panicked left either the old or the new record:
        // `insert` replaces a whole record. Reading on is safe.
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        Ok(keys.get(name).cloned())
    }

    fn list(&self, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        Ok(keys
            .keys()
            .filter(|name| name.tenant() == tenant)
            .cloned()
            .collect())
    }

    fn save(&self, key: &StoredKey) -> Result<(), BackendError> {
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        keys.insert(key.name.clone(), key.clone());
        Ok(())
    }
}

/// The format byte of material wrapped by [`MemoryRootKey`].
const WRAP_FORMAT_V1: u8 = 0x01;
/// Wrapped layout: format, 24-byte nonce, 32 bytes of ciphertext, 16-byte tag.
const WRAPPED_LEN: usize = 1 + 24 + 32 + 16;
/// Domain separation: wrapping associated data can never equal an
/// envelope's, whose first byte is a format byte.
const WRAP_DOMAIN: &[u8] = b"key-model root-key wrap v1\0";

/// A [`RootKey`] held in process memory: 32 random bytes that wrap key
/// material with XChaCha20-Poly1305, the key reference's canonical text as
/// associated data.
///
/// It lives as long as the process: material wrapped by one instance cannot
/// be unwrapped by another. A KMS or an HSM takes its place in production.
///
/// ```
/// use key_model::ring::MemoryRootKey;
///
/// let root = MemoryRootKey::generate()?;
/// assert_eq!(format!("{root:?}"), "MemoryRootKey { key: KeyMaterial([REDACTED]) }");
/// # Ok::<(), key_model::Error>(())
/// ```
#[derive(Debug)]
pub struct MemoryRootKey {
    key: KeyMaterial,
}

impl MemoryRootKey {
    /// A root key from the operating system's random source.
    pub fn generate() -> Result<MemoryRootKey, Error> {
        Ok(MemoryRootKey {
            key: KeyMaterial::generate()?,
        })
    }

    /// A root key with exactly this material (canaries for leak tests).
    #[cfg(feature = "testing")]
    pub(crate) fn from_material(key: KeyMaterial) -> MemoryRootKey {
        MemoryRootKey { key }
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(<&Key>::from(self.key.expose()))
    }
}

fn wrap_aad(key_ref: &KeyRef) -> Vec<u8> {
    let mut aad = WRAP_DOMAIN.to_vec();
    aad.extend_from_slice(key_ref.to_string().as_bytes());
    aad
}

impl RootKey for MemoryRootKey {
    fn wrap(
        &self,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|_| {
            BackendError::new(BackendErrorKind::Unavailable, "random source failed")
        })?;
        let mut out = Vec::with_capacity(WRAPPED_LEN);
        out.push(WRAP_FORMAT_V1);
        out.extend_from_slice(&nonce);
        // The material is copied straight into the output and encrypted
        // there; the only plaintext copy is the caller's secret box.
        out.extend_from_slice(material.expose_secret());
        let (_, body) = out.split_at_mut(1 + 24);
        let tag = self
            .cipher()
            .encrypt_inout_detached(&XNonce::from(nonce), &wrap_aad(key_ref), body.into())
            .map_err(|_| BackendError::new(BackendErrorKind::Corrupt, "wrapping failed"))?;
        out.extend_from_slice(&tag);
        Ok(WrappedKey::from_bytes(out))
    }

    fn unwrap(
        &self,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        let refused = || {
            BackendError::new(
                BackendErrorKind::Unwrap,
                "wrapped material failed authentication",
            )
        };
        let bytes: &[u8; WRAPPED_LEN] = wrapped.as_bytes().try_into().map_err(|_| refused())?;
        let (format, rest) = bytes.split_first().ok_or_else(refused)?;
        if *format != WRAP_FORMAT_V1 {
            return Err(refused());
        }
        let (nonce, rest) = rest.split_first_chunk::<24>().ok_or_else(refused)?;
        let (ciphertext, tag) = rest.split_last_chunk::<16>().ok_or_else(refused)?;
        let ciphertext: &[u8; 32] = ciphertext.try_into().map_err(|_| refused())?;
        // Decrypted inside the secret box: on failure the box is dropped,
        // and zeroized, before the error is returned.
        let mut secret = SecretBox::<[u8; 32]>::default();
        let buffer = secret.expose_secret_mut();
        buffer.copy_from_slice(ciphertext);
        self.cipher()
            .decrypt_inout_detached(
                <&XNonce>::from(nonce),
                &wrap_aad(key_ref),
                buffer.as_mut_slice().into(),
                <&Tag>::from(tag),
            )
            .map_err(|_| refused())?;
        Ok(secret)
    }
}
