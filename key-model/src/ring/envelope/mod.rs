//! The envelope: a ciphertext bound to the key version that made it (G7).
//!
//! Binary layout, format 1 (all integers big-endian; `T` and `P` are the
//! lengths of the tenant id and the purpose):
//!
//! | offset       | size | field                                            |
//! |--------------|------|--------------------------------------------------|
//! | 0            | 1    | format, `0x01`                                   |
//! | 1            | 1    | algorithm, `0x01` = XChaCha20-Poly1305           |
//! | 2            | 1    | `T`, 1 to 63                                     |
//! | 3            | T    | tenant id, ASCII, validated as a [`TenantId`]    |
//! | 3 + T        | 1    | `P`, 1 to 63                                     |
//! | 4 + T        | P    | purpose, ASCII, validated as a [`KeyPurpose`]    |
//! | 4 + T + P    | 4    | key version, `u32`, non-zero                     |
//! | 8 + T + P    | 24   | nonce                                            |
//! | 32 + T + P   | 4    | body length `L`, `u32`, at least 16              |
//! | 36 + T + P   | L    | body: ciphertext, then the 16-byte tag           |
//!
//! The header is everything before the body. The associated data of the
//! AEAD is the header followed by the caller's context; the header is
//! self-delimiting, so the two cannot be confused. The text form is the
//! whole binary form in unpadded base64url.

use core::fmt;
use core::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Key, Tag, XChaCha20Poly1305, XNonce};

use crate::error::Error;
use crate::model::de::{guard, own};
use crate::model::id::error::{ParseError, ParseErrorKind, Target};
use crate::model::id::{KeyPurpose, KeyRef, KeyVersion, MAX_SLUG_LEN, TenantId};
use crate::model::material::KeyMaterial;
use crate::ring::plaintext::Plaintext;

pub(crate) mod error;
pub(crate) mod format;

pub use error::{EnvelopeError, EnvelopeErrorKind, EnvelopeField};
pub(crate) use format::FIXED_HEADER_LEN;
pub use format::{Algorithm, FORMAT_V1, MAX_PLAINTEXT_LEN, NONCE_LEN, TAG_LEN};

/// A ciphertext and the key version it was sealed under.
///
/// Made by [`KeyRing::encrypt`](crate::KeyRing::encrypt) and
/// [`KeyRing::reencrypt`](crate::KeyRing::reencrypt); opened by
/// [`KeyRing::decrypt`](crate::KeyRing::decrypt). The header (format,
/// algorithm, tenant, purpose, version, nonce, body length) is authenticated
/// together with the caller's context, so an envelope moved to another
/// tenant, purpose, version or context does not decrypt.
///
/// `Display`, `FromStr` and serde use the text form, unpadded base64url of
/// the binary form ([`Envelope::as_bytes`], [`Envelope::from_bytes`]); both
/// parsers are strict and never panic. `Debug` shows the key reference, the
/// algorithm and the length, not the bytes.
///
/// ```
/// use key_model::{Envelope, KeyName, KeyRing, TenantId, TenantScope};
///
/// let ring = KeyRing::in_memory()?;
/// let scope = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// ring.create_key(&scope, &name)?;
///
/// let envelope = ring.encrypt(&scope, &name, b"rows", b"export-7")?;
/// assert_eq!(envelope.key_ref().to_string(), "tenants/acme/keys/audit-export/versions/1");
/// let text = envelope.to_string();
/// let parsed: Envelope = text.parse()?;
/// assert_eq!(parsed, envelope);
/// assert_eq!(ring.decrypt(&scope, &parsed, b"export-7")?.as_bytes(), b"rows");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Envelope {
    bytes: Box<[u8]>,
    key_ref: KeyRef,
    algorithm: Algorithm,
    /// Offset of the nonce; the header ends `NONCE_LEN + 4` bytes later.
    nonce_at: usize,
}

/// Reads the binary layout front to back; every read is bounds-checked and
/// names the field it was reading, so no input can make it panic.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: EnvelopeField) -> Result<&'a [u8], EnvelopeError> {
        let Some((head, rest)) = self.rest.split_at_checked(n) else {
            return Err(EnvelopeError::new(EnvelopeErrorKind::Truncated { field }));
        };
        self.rest = rest;
        Ok(head)
    }

    fn byte(&mut self, field: EnvelopeField) -> Result<u8, EnvelopeError> {
        let Some((&first, rest)) = self.rest.split_first() else {
            return Err(EnvelopeError::new(EnvelopeErrorKind::Truncated { field }));
        };
        self.rest = rest;
        Ok(first)
    }

    fn u32(&mut self, field: EnvelopeField) -> Result<u32, EnvelopeError> {
        let Some((bytes, rest)) = self.rest.split_first_chunk::<4>() else {
            return Err(EnvelopeError::new(EnvelopeErrorKind::Truncated { field }));
        };
        self.rest = rest;
        Ok(u32::from_be_bytes(*bytes))
    }

    /// A length byte, then that many bytes of identifier text.
    fn identifier<T: FromStr<Err = ParseError>>(
        &mut self,
        length_field: EnvelopeField,
        field: EnvelopeField,
    ) -> Result<T, EnvelopeError> {
        let len = usize::from(self.byte(length_field)?);
        if len == 0 {
            return Err(EnvelopeError::new(EnvelopeErrorKind::EmptyField { field }));
        }
        if len > MAX_SLUG_LEN {
            return Err(EnvelopeError::new(EnvelopeErrorKind::FieldTooLong {
                field,
                len,
            }));
        }
        let bytes = self.take(len, field)?;
        let target = match field {
            EnvelopeField::Purpose => Target::KeyPurpose,
            _ => Target::TenantId,
        };
        let invalid =
            |error| EnvelopeError::new(EnvelopeErrorKind::InvalidIdentifier { field, error });
        // Checked here because only ASCII is sure to be UTF-8; the
        // identifier parser then applies the rest of the rules.
        if let Some(position) = bytes.iter().position(|b| !b.is_ascii()) {
            return Err(invalid(ParseError::new(
                target,
                None,
                ParseErrorKind::NotAscii { position },
            )));
        }
        let text = core::str::from_utf8(bytes).map_err(|_| {
            invalid(ParseError::new(
                target,
                None,
                ParseErrorKind::NotAscii { position: 0 },
            ))
        })?;
        text.parse().map_err(invalid)
    }
}

/// The length byte of a validated identifier (at most 63 bytes, so it
/// fits; were it ever 0, the envelope would not parse: it fails closed).
fn len_byte(text: &str) -> u8 {
    u8::try_from(text.len()).unwrap_or(0)
}

impl Envelope {
    /// Parses the binary form strictly: every rule of the layout is checked,
    /// and trailing bytes are an error.
    ///
    /// ```
    /// use key_model::{Envelope, EnvelopeErrorKind};
    ///
    /// assert_eq!(Envelope::from_bytes(&[]).unwrap_err().kind(), EnvelopeErrorKind::Empty);
    /// assert_eq!(
    ///     Envelope::from_bytes(&[0x02]).unwrap_err().kind(),
    ///     EnvelopeErrorKind::UnknownFormat { format: 2 },
    /// );
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Envelope, EnvelopeError> {
        if bytes.is_empty() {
            return Err(EnvelopeError::new(EnvelopeErrorKind::Empty));
        }
        let mut r = Reader { rest: bytes };
        let format = r.byte(EnvelopeField::Format)?;
        if format != FORMAT_V1 {
            return Err(EnvelopeError::new(EnvelopeErrorKind::UnknownFormat {
                format,
            }));
        }
        let id = r.byte(EnvelopeField::Algorithm)?;
        let Some(algorithm) = Algorithm::from_id(id) else {
            return Err(EnvelopeError::new(EnvelopeErrorKind::UnknownAlgorithm {
                id,
            }));
        };
        let tenant: TenantId = r.identifier(EnvelopeField::TenantLength, EnvelopeField::Tenant)?;
        let purpose: KeyPurpose =
            r.identifier(EnvelopeField::PurposeLength, EnvelopeField::Purpose)?;
        let Some(version) = KeyVersion::new(r.u32(EnvelopeField::Version)?) else {
            return Err(EnvelopeError::new(EnvelopeErrorKind::VersionZero));
        };
        let nonce_at = bytes.len() - r.rest.len();
        r.take(NONCE_LEN, EnvelopeField::Nonce)?;
        let body_len = r.u32(EnvelopeField::BodyLength)?;
        if (body_len as usize) < TAG_LEN {
            return Err(EnvelopeError::new(EnvelopeErrorKind::BodyTooShort {
                len: body_len,
            }));
        }
        r.take(body_len as usize, EnvelopeField::Body)?;
        if !r.rest.is_empty() {
            return Err(EnvelopeError::new(EnvelopeErrorKind::TrailingBytes {
                count: r.rest.len(),
            }));
        }
        Ok(Envelope {
            bytes: bytes.into(),
            key_ref: KeyRef::new(tenant, purpose, version),
            algorithm,
            nonce_at,
        })
    }

    /// The key version the envelope was sealed under: decryption uses
    /// exactly this version.
    pub fn key_ref(&self) -> &KeyRef {
        &self.key_ref
    }

    /// The AEAD it was sealed with.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The binary form.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The binary form, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes.into_vec()
    }

    /// The length of the plaintext inside.
    pub fn plaintext_len(&self) -> usize {
        self.bytes.len() - self.header_len() - TAG_LEN
    }

    fn header_len(&self) -> usize {
        self.nonce_at + NONCE_LEN + 4
    }

    /// Seals `plaintext` under `key_ref` with `material`, binding the header
    /// and `context`. Called without any lock held.
    pub(crate) fn seal(
        key_ref: &KeyRef,
        material: &KeyMaterial,
        plaintext: &[u8],
        context: &[u8],
    ) -> Result<Envelope, Error> {
        if plaintext.len() > MAX_PLAINTEXT_LEN {
            return Err(Error::PlaintextTooLong);
        }
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| Error::Random)?;
        let tenant = key_ref.tenant().as_str();
        let purpose = key_ref.purpose().as_str();
        let body_len = plaintext.len() + TAG_LEN;
        let header_len = FIXED_HEADER_LEN + tenant.len() + purpose.len();
        let mut bytes = Vec::with_capacity(header_len + body_len);
        bytes.push(FORMAT_V1);
        bytes.push(Algorithm::XChaCha20Poly1305.id());
        bytes.push(len_byte(tenant));
        bytes.extend_from_slice(tenant.as_bytes());
        bytes.push(len_byte(purpose));
        bytes.extend_from_slice(purpose.as_bytes());
        bytes.extend_from_slice(&key_ref.version().get().to_be_bytes());
        let nonce_at = bytes.len();
        bytes.extend_from_slice(&nonce);
        let body_len_u32 = u32::try_from(body_len).map_err(|_| Error::PlaintextTooLong)?;
        bytes.extend_from_slice(&body_len_u32.to_be_bytes());
        bytes.extend_from_slice(plaintext);

        let (header, body) = bytes.split_at_mut(header_len);
        let tag = with_associated_data(header, context, |aad| {
            cipher(material).encrypt_inout_detached(&XNonce::from(nonce), aad, body.into())
        })
        .map_err(|_| Error::PlaintextTooLong)?;
        bytes.extend_from_slice(&tag);
        Ok(Envelope {
            bytes: bytes.into_boxed_slice(),
            key_ref: key_ref.clone(),
            algorithm: Algorithm::XChaCha20Poly1305,
            nonce_at,
        })
    }

    /// Opens the envelope with `material` (the version it names) and
    /// `context`. Called without any lock held.
    pub(crate) fn open(&self, material: &KeyMaterial, context: &[u8]) -> Result<Plaintext, Error> {
        let header_len = self.header_len();
        let (header, body) = self
            .bytes
            .split_at_checked(header_len)
            .ok_or(Error::DecryptionFailed)?;
        let (ciphertext, tag) = body
            .split_last_chunk::<TAG_LEN>()
            .ok_or(Error::DecryptionFailed)?;
        let nonce = header
            .get(self.nonce_at..self.nonce_at + NONCE_LEN)
            .and_then(|n| <&[u8; NONCE_LEN]>::try_from(n).ok())
            .ok_or(Error::DecryptionFailed)?;
        // Decrypted in place in the buffer that is returned, so no copy of
        // the plaintext is left behind unzeroized.
        let mut plaintext = Plaintext::new(ciphertext.to_vec());
        match self.algorithm {
            Algorithm::XChaCha20Poly1305 => with_associated_data(header, context, |aad| {
                cipher(material).decrypt_inout_detached(
                    <&XNonce>::from(nonce),
                    aad,
                    plaintext.as_mut_bytes().into(),
                    <&Tag>::from(tag),
                )
            })
            .map_err(|_| Error::DecryptionFailed)?,
        }
        Ok(plaintext)
    }
}

fn cipher(material: &KeyMaterial) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(<&Key>::from(material.expose()))
}

/// Runs `f` with the associated data, the header followed by the caller's
/// context: on the stack when it fits (a header is at most 162 bytes), so
/// the common case allocates nothing.
fn with_associated_data<T>(header: &[u8], context: &[u8], f: impl FnOnce(&[u8]) -> T) -> T {
    const ON_STACK: usize = 256;
    let len = header.len() + context.len();
    if len <= ON_STACK {
        let mut buffer = [0u8; ON_STACK];
        let (head, rest) = buffer.split_at_mut(header.len());
        head.copy_from_slice(header);
        let (tail, _) = rest.split_at_mut(context.len());
        tail.copy_from_slice(context);
        f(buffer.split_at(len).0)
    } else {
        let mut aad = Vec::with_capacity(len);
        aad.extend_from_slice(header);
        aad.extend_from_slice(context);
        f(&aad)
    }
}

impl TryFrom<&[u8]> for Envelope {
    type Error = EnvelopeError;

    fn try_from(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        Envelope::from_bytes(bytes)
    }
}

impl FromStr for Envelope {
    type Err = EnvelopeError;

    /// Parses the text form: unpadded base64url, canonical (no padding, no
    /// whitespace, no stray trailing bits), then the binary form.
    fn from_str(s: &str) -> Result<Self, EnvelopeError> {
        if s.is_empty() {
            return Err(EnvelopeError::new(EnvelopeErrorKind::Empty));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| EnvelopeError::new(EnvelopeErrorKind::Base64))?;
        Envelope::from_bytes(&bytes)
    }
}

impl fmt::Display for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(
            &base64::display::Base64Display::new(&self.bytes, &URL_SAFE_NO_PAD),
            f,
        )
    }
}

impl fmt::Debug for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope")
            .field("key_ref", &self.key_ref)
            .field("algorithm", &self.algorithm)
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

impl serde::Serialize for Envelope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Envelope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = Envelope;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an envelope in unpadded base64url")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Envelope, E> {
                // An `EnvelopeError` never quotes the input.
                v.parse().map_err(own)
            }
        }

        guard(
            deserializer,
            "invalid envelope: expected a string of unpadded base64url",
            |d| d.deserialize_str(Visitor),
        )
    }
}
