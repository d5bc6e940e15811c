//! The raw XChaCha20-Poly1305 floor the ring is measured against, shared by
//! `key-model/benches/ring.rs` and `tests/benches/stores.rs` (each includes
//! this file with `#[path]`), so both compare the ring with the same work.

use chacha20poly1305::aead::AeadInOut;
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};

/// The associated data both sides authenticate.
pub(crate) const CONTEXT: &[u8] = b"session-0123456789";
/// The nonce at the front of a sealed buffer.
pub(crate) const NONCE_LEN: usize = 24;
/// The tag at its end.
pub(crate) const TAG_LEN: usize = 16;

/// Raw encryption: `nonce ‖ ciphertext ‖ tag` in one buffer of the exact
/// size, the plaintext copied in once and sealed in place.
pub(crate) fn raw_encrypt(raw: &XChaCha20Poly1305, plaintext: &[u8]) -> Box<[u8]> {
    let mut out = Vec::with_capacity(NONCE_LEN + plaintext.len() + TAG_LEN);
    out.resize(NONCE_LEN, 0);
    getrandom::fill(&mut out).expect("random source");
    out.extend_from_slice(plaintext);
    let (nonce, body) = out.split_first_chunk_mut::<NONCE_LEN>().expect("nonce");
    let tag = raw
        .encrypt_inout_detached(<&XNonce>::from(&*nonce), CONTEXT, body.into())
        .expect("encrypt");
    out.extend_from_slice(&tag);
    out.into_boxed_slice()
}

/// Raw decryption: the ciphertext copied into one buffer of the exact size
/// and opened in place.
pub(crate) fn raw_decrypt(raw: &XChaCha20Poly1305, sealed: &[u8]) -> Vec<u8> {
    let (nonce, body) = sealed.split_first_chunk::<NONCE_LEN>().expect("nonce");
    let (ciphertext, tag) = body.split_last_chunk::<TAG_LEN>().expect("tag");
    let mut out = ciphertext.to_vec();
    raw.decrypt_inout_detached(
        <&XNonce>::from(nonce),
        CONTEXT,
        out.as_mut_slice().into(),
        <&Tag>::from(tag),
    )
    .expect("decrypt");
    out
}
