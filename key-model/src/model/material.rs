//! Key material (G1): opaque, zeroized on drop, never printed.

use core::fmt;

use secrecy::{ExposeSecret, SecretBox};

use crate::error::Error;

/// The length of key material, in bytes.
pub(crate) const KEY_LEN: usize = 32;

/// 32 bytes of key material.
///
/// Opaque by construction: there is no public way to read the bytes, and no
/// `Display`, `Serialize`, `Clone`, `PartialEq`, `AsRef` or `Deref`. `Debug`
/// prints `KeyMaterial([REDACTED])`. The bytes live in a
/// [`secrecy::SecretBox`] on the heap and are zeroized when the value is
/// dropped. Only key-model's own cryptography reads them.
///
/// ```
/// use key_model::KeyMaterial;
///
/// let key = KeyMaterial::generate()?;
/// assert_eq!(format!("{key:?}"), "KeyMaterial([REDACTED])");
/// # Ok::<(), key_model::Error>(())
/// ```
///
/// Nothing else compiles:
///
/// ```compile_fail
/// let key = key_model::KeyMaterial::generate().unwrap();
/// println!("{key}"); // no Display
/// ```
///
/// ```compile_fail
/// let key = key_model::KeyMaterial::generate().unwrap();
/// let copy = key.clone(); // no Clone
/// ```
pub struct KeyMaterial(SecretBox<[u8; KEY_LEN]>);

impl KeyMaterial {
    /// Fresh key material from the operating system's random source.
    ///
    /// The bytes are written straight into their zeroizing heap allocation,
    /// so no copy is left on the stack. Fails only if the operating system
    /// cannot provide randomness.
    pub fn generate() -> Result<KeyMaterial, Error> {
        let mut filled = Ok(());
        let secret = SecretBox::init_with_mut(|bytes: &mut [u8; KEY_LEN]| {
            filled = getrandom::fill(bytes);
        });
        // On failure `secret` is dropped here, and zeroized.
        filled.map_err(|_| Error::Random)?;
        Ok(KeyMaterial(secret))
    }

    /// The bytes, for key-model's own cryptography only.
    pub(crate) fn expose(&self) -> &[u8; KEY_LEN] {
        self.0.expose_secret()
    }

    /// The secret box, lent to a [`RootKey`](crate::ring::RootKey) to wrap.
    pub(crate) fn secret(&self) -> &SecretBox<[u8; KEY_LEN]> {
        &self.0
    }

    /// Material a [`RootKey`](crate::ring::RootKey) unwrapped.
    pub(crate) fn from_secret(secret: SecretBox<[u8; KEY_LEN]>) -> KeyMaterial {
        KeyMaterial(secret)
    }
}

// The only field is a `SecretBox`, which zeroizes its bytes when dropped, so
// the marker is truthful without a `Drop` of our own.
impl zeroize::ZeroizeOnDrop for KeyMaterial {}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyMaterial([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn material_is_zeroized_on_drop_and_thread_safe() {
        fn assert_traits<T: zeroize::ZeroizeOnDrop + Send + Sync>() {}
        assert_traits::<SecretBox<[u8; KEY_LEN]>>();
        assert_traits::<KeyMaterial>();
    }

    #[test]
    fn generated_material_is_random() {
        let a = KeyMaterial::generate().unwrap();
        let b = KeyMaterial::generate().unwrap();
        assert_ne!(a.expose(), b.expose());
        assert_ne!(a.expose(), &[0; KEY_LEN]);
    }
}
