//! The root key plug point: what wraps key material at rest. One file per
//! backend beside this one (`memory.rs` today; a KMS or an HSM next).

use core::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::SecretBox;

use crate::model::id::KeyRef;
use crate::ring::backend::BackendError;

#[cfg(any(feature = "root-transit", feature = "root-aws-kms"))]
pub(crate) mod http;
pub(crate) mod memory;
#[cfg(feature = "root-transit")]
pub(crate) mod transit;

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

    /// Re-wraps `wrapped` (wrapped for `key_ref` by this root key, perhaps
    /// by an older version of it) under the root key's current version:
    /// rotation of the root key ([`KeyRing::rewrap_all`](crate::KeyRing::rewrap_all)).
    ///
    /// The default unwraps and wraps again, so the material passes through
    /// this process. A provider that can re-wrap inside itself (transit
    /// `rewrap`, KMS `ReEncrypt`, an HSM's unwrap-and-wrap) overrides it so
    /// that the material never leaves the provider.
    fn rewrap(&self, key_ref: &KeyRef, wrapped: &WrappedKey) -> Result<WrappedKey, BackendError> {
        let material = self.unwrap(key_ref, wrapped)?;
        self.wrap(key_ref, &material)
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

    fn rewrap(&self, key_ref: &KeyRef, wrapped: &WrappedKey) -> Result<WrappedKey, BackendError> {
        (**self).rewrap(key_ref, wrapped)
    }
}
