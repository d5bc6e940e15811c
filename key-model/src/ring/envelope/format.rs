//! The envelope format's constants and algorithm ids (the layout is in the
//! parent module's docs).

/// The envelope format this version writes and reads.
pub const FORMAT_V1: u8 = 0x01;

/// The nonce length of XChaCha20-Poly1305, in bytes.
pub const NONCE_LEN: usize = 24;

/// The tag length of XChaCha20-Poly1305, in bytes.
pub const TAG_LEN: usize = 16;

/// Bytes of the header around the tenant id and the purpose: format,
/// algorithm, two length bytes, version, nonce and body length.
pub(crate) const FIXED_HEADER_LEN: usize = 1 + 1 + 1 + 1 + 4 + NONCE_LEN + 4;

/// The largest plaintext an envelope holds: the body length is a `u32`.
pub const MAX_PLAINTEXT_LEN: usize = u32::MAX as usize - TAG_LEN;

/// The AEAD an envelope was sealed with, identified by one byte in the
/// header so that another algorithm can be added without a new format.
///
/// `#[non_exhaustive]`: a later release may add algorithms.
///
/// ```
/// use key_model::Algorithm;
///
/// assert_eq!(Algorithm::XChaCha20Poly1305.id(), 1);
/// assert_eq!(Algorithm::from_id(1), Some(Algorithm::XChaCha20Poly1305));
/// assert_eq!(Algorithm::from_id(2), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// XChaCha20-Poly1305 (24-byte random nonce, 16-byte tag), `RustCrypto`'s
    /// `chacha20poly1305`.
    XChaCha20Poly1305,
}

impl Algorithm {
    /// The algorithm's id byte in the header.
    pub const fn id(self) -> u8 {
        match self {
            Algorithm::XChaCha20Poly1305 => 0x01,
        }
    }

    /// The algorithm with this id byte, if this version knows it.
    pub const fn from_id(id: u8) -> Option<Algorithm> {
        match id {
            0x01 => Some(Algorithm::XChaCha20Poly1305),
            _ => None,
        }
    }
}
