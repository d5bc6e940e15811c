//! The root key plug point: what wraps key material at rest. One file per
//! backend beside this one (`memory.rs`, `file.rs`; a KMS or an HSM next),
//! and the wrapping the two local ones share (`xchacha.rs`).

use core::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::SecretBox;

use crate::model::de::{guard, own};
use crate::model::id::KeyRef;
use crate::ring::backend::BackendError;

#[cfg(feature = "root-aws-kms")]
pub(crate) mod aws_kms;
// Unix only: the file's mode is what keeps the key private, and only Unix
// lets the crate check it.
#[cfg(unix)]
pub(crate) mod file;
#[cfg(any(feature = "root-transit", feature = "root-aws-kms"))]
pub(crate) mod http;
pub(crate) mod memory;
#[cfg(feature = "root-pkcs11")]
pub(crate) mod pkcs11;
#[cfg(feature = "root-transit")]
pub(crate) mod transit;
mod xchacha;

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
                    .map_err(|_| own("wrapped key material is not unpadded base64url"))
            }
        }

        guard(
            deserializer,
            "invalid wrapped key: expected a string of unpadded base64url",
            |d| d.deserialize_str(Visitor),
        )
    }
}

/// Proof that key-model's key ring is making the call: every [`RootKey`]
/// method takes one, and only key-model can create one.
///
/// A root key sees raw key material by design, so its methods must not be
/// callable by the host that holds it: a host that kept an
/// `Arc<MemoryRootKey>` it also gave the ring could otherwise unwrap any
/// tenant's record from the store (a disabled version too, with no
/// [`TenantScope`](crate::TenantScope) and no policy check), or wrap
/// material of its choosing and plant it. With this parameter, implementing
/// `RootKey` outside key-model works as before; calling it does not
/// compile:
///
/// ```compile_fail,E0061
/// use key_model::ring::{MemoryRootKey, RootKey, WrappedKey};
///
/// let root = MemoryRootKey::generate()?;
/// let key_ref = "tenants/acme/keys/audit-export/versions/1".parse()?;
/// root.unwrap(&key_ref, &WrappedKey::from_bytes(vec![0; 73]))?; // no RingCall to pass
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```compile_fail,E0423
/// let call = key_model::ring::RingCall; // no public constructor
/// ```
///
/// An implementation receives a `&RingCall` for the duration of one call
/// and may pass it on to a root key it wraps, as the `Arc<T>` impl does; it
/// is neither `Clone` nor `Copy`, so the borrow ends with the call. An
/// implementation is trusted code (it sees the material): the audit lists
/// every one (`root-key-impl`), see `docs/guarantees.md` (G1, G9).
pub struct RingCall {
    _private: (),
}

impl RingCall {
    /// Only the key ring (and the canary kit's conformance suite) calls a
    /// root key.
    pub(crate) const fn new() -> RingCall {
        RingCall { _private: () }
    }
}

impl fmt::Debug for RingCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RingCall")
    }
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
///
/// Every method takes a [`RingCall`], which only key-model can create:
/// anyone can implement a root key, only the key ring can call one. An
/// implementation that wraps another root key passes the `RingCall` on:
///
/// ```
/// use key_model::ring::{MemoryRootKey, RingCall, RootKey, SecretBox, WrappedKey};
/// use key_model::{BackendError, KeyRef};
///
/// /// Counts unwraps, and leaves the cryptography to the root key it wraps.
/// struct Counting {
///     inner: MemoryRootKey,
///     unwraps: std::sync::atomic::AtomicUsize,
/// }
///
/// impl RootKey for Counting {
///     fn wrap(
///         &self,
///         call: &RingCall,
///         key_ref: &KeyRef,
///         material: &SecretBox<[u8; 32]>,
///     ) -> Result<WrappedKey, BackendError> {
///         self.inner.wrap(call, key_ref, material)
///     }
///
///     fn unwrap(
///         &self,
///         call: &RingCall,
///         key_ref: &KeyRef,
///         wrapped: &WrappedKey,
///     ) -> Result<SecretBox<[u8; 32]>, BackendError> {
///         self.unwraps.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
///         self.inner.unwrap(call, key_ref, wrapped)
///     }
/// }
///
/// let root = Counting { inner: MemoryRootKey::generate()?, unwraps: Default::default() };
/// let ring = key_model::KeyRing::new(key_model::ring::MemoryKeyStore::new(), root);
/// # Ok::<(), key_model::Error>(())
/// ```
pub trait RootKey: Send + Sync {
    /// Wraps `material`, binding it to `key_ref` so that the wrapped bytes
    /// cannot be swapped with another version's.
    fn wrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError>;

    /// Unwraps what [`RootKey::wrap`] produced for the same `key_ref`.
    fn unwrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError>;

    /// Re-wraps `wrapped` (wrapped for `key_ref` by this root key, perhaps
    /// by an older version of it) under the root key's current version:
    /// rotation of the root key ([`KeyRing::rewrap_all`](crate::KeyRing::rewrap_all)).
    ///
    /// The default unwraps and wraps again, so the material passes through
    /// this process. A provider that can re-wrap inside itself (transit
    /// `rewrap`, KMS `ReEncrypt`, an HSM's unwrap-and-wrap) overrides it so
    /// that the material never leaves the provider.
    fn rewrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<WrappedKey, BackendError> {
        let material = self.unwrap(call, key_ref, wrapped)?;
        self.wrap(call, key_ref, &material)
    }
}

impl<T: RootKey + ?Sized> RootKey for Arc<T> {
    fn wrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        (**self).wrap(call, key_ref, material)
    }

    fn unwrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        (**self).unwrap(call, key_ref, wrapped)
    }

    fn rewrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<WrappedKey, BackendError> {
        (**self).rewrap(call, key_ref, wrapped)
    }
}
