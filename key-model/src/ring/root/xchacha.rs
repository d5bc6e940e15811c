//! The wrapping both local root keys use ([`MemoryRootKey`] and
//! [`FileRootKey`]): XChaCha20-Poly1305 under 32 bytes of root material,
//! bound to the key reference. Crate-private: one implementation, so the
//! two cannot drift apart, and material wrapped by one is unwrapped by the
//! other given the same root bytes.
//!
//! [`MemoryRootKey`]: crate::ring::MemoryRootKey
//! [`FileRootKey`]: crate::ring::FileRootKey

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Key, Tag, XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox};

use crate::model::id::KeyRef;
use crate::model::material::KeyMaterial;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::root::WrappedKey;

/// The format byte of wrapped material.
const WRAP_FORMAT_V1: u8 = 0x01;
/// Wrapped layout: format, 24-byte nonce, 32 bytes of ciphertext, 16-byte tag.
const WRAPPED_LEN: usize = 1 + 24 + 32 + 16;
/// Domain separation: wrapping associated data can never equal an
/// envelope's, whose first byte is a format byte.
const WRAP_DOMAIN: &[u8] = b"key-model root-key wrap v1\0";

fn cipher(root: &KeyMaterial) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(<&Key>::from(root.expose()))
}

fn wrap_aad(key_ref: &KeyRef) -> Vec<u8> {
    let mut aad = WRAP_DOMAIN.to_vec();
    aad.extend_from_slice(key_ref.to_string().as_bytes());
    aad
}

/// `material` wrapped under `root`, bound to `key_ref`.
pub(crate) fn wrap(
    root: &KeyMaterial,
    key_ref: &KeyRef,
    material: &SecretBox<[u8; 32]>,
) -> Result<WrappedKey, BackendError> {
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce)
        .map_err(|_| BackendError::new(BackendErrorKind::Unavailable, "random source failed"))?;
    let mut out = Vec::with_capacity(WRAPPED_LEN);
    out.push(WRAP_FORMAT_V1);
    out.extend_from_slice(&nonce);
    // The material is copied straight into the output and encrypted
    // there; the only plaintext copy is the caller's secret box.
    out.extend_from_slice(material.expose_secret());
    let (_, body) = out.split_at_mut(1 + 24);
    let tag = cipher(root)
        .encrypt_inout_detached(&XNonce::from(nonce), &wrap_aad(key_ref), body.into())
        .map_err(|_| BackendError::new(BackendErrorKind::Corrupt, "wrapping failed"))?;
    out.extend_from_slice(&tag);
    Ok(WrappedKey::from_bytes(out))
}

/// What [`wrap`] produced under `root` for the same `key_ref`.
pub(crate) fn unwrap(
    root: &KeyMaterial,
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
    cipher(root)
        .decrypt_inout_detached(
            <&XNonce>::from(nonce),
            &wrap_aad(key_ref),
            buffer.as_mut_slice().into(),
            <&Tag>::from(tag),
        )
        .map_err(|_| refused())?;
    Ok(secret)
}
