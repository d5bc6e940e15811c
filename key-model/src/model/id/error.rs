//! Why an identifier could not be parsed: which part, which rule, never the
//! input.

use core::fmt;

use crate::code::ErrorCode;

/// Why a tenant id, purpose, version, [`KeyName`](crate::KeyName) or
/// [`KeyRef`](crate::KeyRef) could not be parsed.
///
/// It says which part is wrong and, for the path forms, at which
/// `/`-separated segment (counted from 1). It never repeats the input: a
/// caller that passed something sensitive by mistake does not see it echoed
/// into a log.
///
/// ```
/// use key_model::{KeyRef, ParseErrorKind};
///
/// let err = "tenants/acme/keys/audit-export/versions/07".parse::<KeyRef>().unwrap_err();
/// assert_eq!(err.kind(), ParseErrorKind::VersionLeadingZero);
/// assert_eq!(err.segment(), Some(6));
/// assert_eq!(
///     err.to_string(),
///     "invalid key reference at segment 6 (version): version must not have leading zeros",
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParseError {
    target: Target,
    segment: Option<u8>,
    kind: ParseErrorKind,
}

/// What was being parsed when a [`ParseError`] occurred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    TenantId,
    KeyPurpose,
    KeyVersion,
    KeyName,
    KeyRef,
}

impl Target {
    fn noun(self) -> &'static str {
        match self {
            Target::TenantId => "tenant id",
            Target::KeyPurpose => "key purpose",
            Target::KeyVersion => "key version",
            Target::KeyName => "key name",
            Target::KeyRef => "key reference",
        }
    }
}

/// The specific rule a malformed identifier broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The input is empty.
    Empty,
    /// The input contains a byte outside ASCII, at this byte offset.
    NotAscii {
        /// Byte offset of the first non-ASCII byte in the whole input.
        position: usize,
    },
    /// A segment between two `/` is empty (`tenants//keys`).
    EmptySegment,
    /// The input ends with `/`.
    TrailingSlash,
    /// A fixed segment is not the literal the format requires
    /// (`tenants`, `keys` or `versions`; no case folding).
    ExpectedLiteral {
        /// The literal that must stand at this segment.
        expected: &'static str,
    },
    /// The input stops before a required segment.
    MissingSegment {
        /// What the missing segment would be.
        expected: &'static str,
    },
    /// The input has segments after the last one the format allows.
    ExtraSegment,
    /// A tenant id or purpose is longer than 63 characters.
    TooLong {
        /// The maximum length.
        max: usize,
        /// The length found.
        len: usize,
    },
    /// A tenant id or purpose starts with `-`.
    InvalidStart,
    /// A tenant id or purpose ends with `-`, which a DNS label may not.
    EndsWithHyphen,
    /// A tenant id or purpose has `--` in positions 3 and 4 (`xn--`,
    /// `ab--`): DNS reserves that form for IDNA, where `xn--pple-43d` shows
    /// as a Cyrillic look-alike of `apple`.
    ReservedHyphens,
    /// A tenant id or purpose contains a character other than a lowercase
    /// ASCII letter, a digit or `-`. Only where it stands is kept, not the
    /// character: the error repeats nothing of the input.
    InvalidCharacter {
        /// Its byte offset within the tenant id or purpose (for a path
        /// form, within the segment [`ParseError::segment`] names).
        position: usize,
    },
    /// A version contains something other than ASCII digits (signs, spaces
    /// and `_` included).
    VersionNotDigits,
    /// A version has leading zeros (`07`); the canonical form has none.
    VersionLeadingZero,
    /// A version is `0`; versions start at 1.
    VersionZero,
    /// A version does not fit in a `u32`.
    VersionOverflow,
}

impl ParseError {
    pub(crate) const fn new(target: Target, segment: Option<u8>, kind: ParseErrorKind) -> Self {
        ParseError {
            target,
            segment,
            kind,
        }
    }

    pub(crate) const fn at(mut self, target: Target, segment: u8) -> Self {
        self.target = target;
        self.segment = Some(segment);
        self
    }

    /// The rule that was broken.
    pub fn kind(&self) -> ParseErrorKind {
        self.kind
    }

    /// For the path forms, the 1-based `/`-separated segment where parsing
    /// failed; `None` for a standalone id, purpose or version, or for errors
    /// about the whole input (empty, not ASCII).
    pub fn segment(&self) -> Option<usize> {
        self.segment.map(usize::from)
    }

    /// The stable code: [`ErrorCode::InvalidIdentifier`] for every rule and
    /// every identifier (the message says which).
    ///
    /// ```
    /// use key_model::{ErrorCode, TenantId};
    ///
    /// assert_eq!("Acme".parse::<TenantId>().unwrap_err().code(), ErrorCode::InvalidIdentifier);
    /// ```
    pub const fn code(&self) -> ErrorCode {
        ErrorCode::InvalidIdentifier
    }
}

/// The rule tenant ids and purposes share (a DNS label's), completed by the
/// noun: "a tenant id is ...".
const SLUG_RULE: &str = "1 to 63 characters of [a-z0-9-], starting and ending with a letter \
                         or digit, without `--` in positions 3 and 4";
// The rule's text states the limit: it changes with it.
const _: () = assert!(super::MAX_SLUG_LEN == 63);

/// The name of the component that stands at `segment` in a path form.
fn segment_name(segment: u8) -> &'static str {
    match segment {
        1 => "`tenants`",
        2 => "tenant id",
        3 => "`keys`",
        4 => "key purpose",
        5 => "`versions`",
        6 => "version",
        _ => "end",
    }
}

impl ParseError {
    /// The tenant id or purpose the error is about, if it is about one: the
    /// standalone identifier, or the segment of a path form where it stands.
    fn slug(&self) -> Option<&'static str> {
        match (self.segment, self.target) {
            (Some(2), _) | (None, Target::TenantId) => Some("tenant id"),
            (Some(4), _) | (None, Target::KeyPurpose) => Some("key purpose"),
            _ => None,
        }
    }

    /// A broken rule of tenant ids and purposes: the whole rule, then what
    /// broke it, by position only.
    fn slug_rule(&self, f: &mut fmt::Formatter<'_>, broken: fmt::Arguments<'_>) -> fmt::Result {
        let noun = self.slug().unwrap_or("tenant id or key purpose");
        write!(f, "a {noun} is {SLUG_RULE}; {broken}")
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}", self.target.noun())?;
        if let Some(segment) = self.segment {
            write!(f, " at segment {segment} ({})", segment_name(segment))?;
        }
        f.write_str(": ")?;
        match self.kind {
            ParseErrorKind::Empty => f.write_str("input is empty"),
            ParseErrorKind::NotAscii { position } if self.slug().is_some() => self.slug_rule(
                f,
                format_args!("offset {position} holds a byte outside ASCII"),
            ),
            ParseErrorKind::NotAscii { position } => write!(
                f,
                "identifiers are ASCII only; offset {position} holds a byte outside ASCII"
            ),
            ParseErrorKind::EmptySegment => f.write_str("segment is empty"),
            ParseErrorKind::TrailingSlash => f.write_str("trailing `/` is not allowed"),
            ParseErrorKind::ExpectedLiteral { expected } => {
                write!(f, "expected the literal `{expected}`")
            }
            ParseErrorKind::MissingSegment { expected } => {
                write!(f, "input ends before {expected}")
            }
            ParseErrorKind::ExtraSegment => f.write_str("unexpected extra segment"),
            // `max` is always 63, the rule's: the rule states it.
            ParseErrorKind::TooLong { max: _, len } => {
                self.slug_rule(f, format_args!("it has {len}"))
            }
            ParseErrorKind::InvalidStart => self.slug_rule(f, format_args!("it starts with `-`")),
            ParseErrorKind::EndsWithHyphen => self.slug_rule(
                f,
                format_args!("it ends with `-`, which a DNS label may not"),
            ),
            ParseErrorKind::ReservedHyphens => self.slug_rule(
                f,
                format_args!(
                    "it has `--` in positions 3 and 4, the form DNS reserves for IDNA (`xn--`)"
                ),
            ),
            ParseErrorKind::InvalidCharacter { position } => self.slug_rule(
                f,
                format_args!("offset {position} holds a character outside [a-z0-9-]"),
            ),
            ParseErrorKind::VersionNotDigits => {
                f.write_str("version must be a decimal number (digits only)")
            }
            ParseErrorKind::VersionLeadingZero => {
                f.write_str("version must not have leading zeros")
            }
            ParseErrorKind::VersionZero => f.write_str("version must not be 0"),
            ParseErrorKind::VersionOverflow => {
                write!(f, "version must be at most {}", u32::MAX)
            }
        }
    }
}

impl core::error::Error for ParseError {}
