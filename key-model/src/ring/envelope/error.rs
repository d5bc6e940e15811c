//! Why bytes or text are not an envelope: the field and the rule, never the
//! input.

use core::fmt;

use crate::model::id::MAX_SLUG_LEN;
use crate::model::id::error::ParseError;
use crate::ring::envelope::format::TAG_LEN;

/// A field of the envelope's binary layout, named in parse errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EnvelopeField {
    /// The format byte.
    Format,
    /// The algorithm byte.
    Algorithm,
    /// The tenant id's length byte.
    TenantLength,
    /// The tenant id.
    Tenant,
    /// The purpose's length byte.
    PurposeLength,
    /// The purpose.
    Purpose,
    /// The key version.
    Version,
    /// The nonce.
    Nonce,
    /// The body length.
    BodyLength,
    /// The body (ciphertext and tag).
    Body,
}

impl EnvelopeField {
    fn as_str(self) -> &'static str {
        match self {
            EnvelopeField::Format => "format",
            EnvelopeField::Algorithm => "algorithm",
            EnvelopeField::TenantLength => "tenant length",
            EnvelopeField::Tenant => "tenant id",
            EnvelopeField::PurposeLength => "purpose length",
            EnvelopeField::Purpose => "purpose",
            EnvelopeField::Version => "key version",
            EnvelopeField::Nonce => "nonce",
            EnvelopeField::BodyLength => "body length",
            EnvelopeField::Body => "body",
        }
    }
}

impl fmt::Display for EnvelopeField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rule a malformed envelope broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EnvelopeErrorKind {
    /// The text form is not unpadded base64url (padding, whitespace, another
    /// alphabet, or non-canonical trailing bits).
    Base64,
    /// The input is empty.
    Empty,
    /// The format byte names a format this version does not know.
    UnknownFormat {
        /// The format byte found.
        format: u8,
    },
    /// The algorithm byte names an algorithm this version does not know.
    UnknownAlgorithm {
        /// The algorithm byte found.
        id: u8,
    },
    /// The input ends inside this field.
    Truncated {
        /// The field cut short.
        field: EnvelopeField,
    },
    /// A length byte is 0: the tenant id or purpose is empty.
    EmptyField {
        /// The empty field.
        field: EnvelopeField,
    },
    /// A length byte is over 63.
    FieldTooLong {
        /// The field.
        field: EnvelopeField,
        /// The length found.
        len: usize,
    },
    /// The tenant id or purpose does not follow the identifier rules.
    InvalidIdentifier {
        /// The field.
        field: EnvelopeField,
        /// Why.
        error: ParseError,
    },
    /// The key version is 0.
    VersionZero,
    /// The body length is less than the tag length.
    BodyTooShort {
        /// The body length found.
        len: u32,
    },
    /// Bytes follow the body.
    TrailingBytes {
        /// How many.
        count: usize,
    },
}

/// Why bytes or text are not an envelope.
///
/// Parsing never panics and never echoes the input: the error names the
/// field and the rule.
///
/// ```
/// use key_model::{Envelope, EnvelopeErrorKind, EnvelopeField};
///
/// let err = Envelope::from_bytes(&[0x01, 0x01, 0x05, b'a']).unwrap_err();
/// assert_eq!(err.kind(), EnvelopeErrorKind::Truncated { field: EnvelopeField::Tenant });
/// assert_eq!(err.to_string(), "invalid envelope: input ends inside the tenant id");
/// assert_eq!(
///     "not base64!".parse::<Envelope>().unwrap_err().kind(),
///     EnvelopeErrorKind::Base64,
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnvelopeError {
    kind: EnvelopeErrorKind,
}

impl EnvelopeError {
    pub(super) const fn new(kind: EnvelopeErrorKind) -> EnvelopeError {
        EnvelopeError { kind }
    }

    /// The rule that was broken.
    pub fn kind(&self) -> EnvelopeErrorKind {
        self.kind
    }
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid envelope: ")?;
        match self.kind {
            EnvelopeErrorKind::Base64 => f.write_str("the text is not unpadded base64url"),
            EnvelopeErrorKind::Empty => f.write_str("input is empty"),
            EnvelopeErrorKind::UnknownFormat { format } => {
                write!(f, "unknown format {format:#04x}")
            }
            EnvelopeErrorKind::UnknownAlgorithm { id } => {
                write!(f, "unknown algorithm {id:#04x}")
            }
            EnvelopeErrorKind::Truncated { field } => {
                write!(f, "input ends inside the {field}")
            }
            EnvelopeErrorKind::EmptyField { field } => write!(f, "the {field} is empty"),
            EnvelopeErrorKind::FieldTooLong { field, len } => {
                write!(
                    f,
                    "the {field} is {len} bytes long, at most {MAX_SLUG_LEN} allowed"
                )
            }
            EnvelopeErrorKind::InvalidIdentifier { field, error } => {
                write!(f, "the {field} is invalid ({error})")
            }
            EnvelopeErrorKind::VersionZero => f.write_str("the key version is 0"),
            EnvelopeErrorKind::BodyTooShort { len } => {
                write!(
                    f,
                    "the body is {len} bytes long, shorter than the {TAG_LEN}-byte tag"
                )
            }
            EnvelopeErrorKind::TrailingBytes { count } => {
                write!(f, "{count} bytes follow the body")
            }
        }
    }
}

impl core::error::Error for EnvelopeError {}
