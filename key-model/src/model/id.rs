//! Identifiers: tenant ids, purposes, versions, key names and key references,
//! with one canonical text form each and a strict parser.
//!
//! The canonical text of a [`KeyRef`] is
//! `tenants/{tenant}/keys/{purpose}/versions/{n}`, and of a [`KeyName`]
//! `tenants/{tenant}/keys/{purpose}`. `Display`, `FromStr` and serde use
//! exactly that string, and parsing accepts nothing else: no trimming, no
//! case folding, no leading zeros, no empty or extra segments, no trailing
//! slash, ASCII only. `parse(display(x)) == x` for every value.

use core::fmt;
use core::num::NonZeroU32;
use core::str::FromStr;
use std::sync::Arc;

use crate::model::de::{guard, own};

pub(crate) mod error;

pub(crate) use error::Target;
pub use error::{ParseError, ParseErrorKind};

/// The longest tenant id or purpose, in characters (a DNS label's limit, so
/// either can be used in a host name or a bucket name unchanged).
pub const MAX_SLUG_LEN: usize = 63;

/// Checks the rule shared by tenant ids and purposes, a DNS label's: 1 to 63
/// characters of lowercase ASCII letters, digits and `-`, starting and
/// ending with a letter or digit, without `--` in positions 3 and 4.
fn validate_slug(s: &str, target: Target) -> Result<(), ParseError> {
    let err = |kind| Err(ParseError::new(target, None, kind));
    if s.is_empty() {
        return err(ParseErrorKind::Empty);
    }
    if let Some(position) = s.bytes().position(|b| !b.is_ascii()) {
        return err(ParseErrorKind::NotAscii { position });
    }
    if s.len() > MAX_SLUG_LEN {
        return err(ParseErrorKind::TooLong {
            max: MAX_SLUG_LEN,
            len: s.len(),
        });
    }
    if s.starts_with('-') {
        return err(ParseErrorKind::InvalidStart);
    }
    if let Some(position) = s
        .bytes()
        .position(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
    {
        return err(ParseErrorKind::InvalidCharacter { position });
    }
    // The two rules that make the slug a DNS label (RFC 1035 section 2.3.1,
    // RFC 5891 section 4.2.3.1): no hyphen at the end, and no `--` in
    // positions 3 and 4, reserved for IDNA: `xn--pple-43d` would show as a
    // Cyrillic look-alike of `apple` wherever it is rendered as a host name.
    if s.as_bytes().get(2..4) == Some(b"--") {
        return err(ParseErrorKind::ReservedHyphens);
    }
    if s.ends_with('-') {
        return err(ParseErrorKind::EndsWithHyphen);
    }
    Ok(())
}

/// Implements `Display`, `Debug`, `FromStr`, `TryFrom<&str>`,
/// `TryFrom<String>`, `AsRef<str>` and string serde for a validated slug.
macro_rules! slug_type {
    ($(#[$meta:meta])* $name:ident, $target:expr, $expecting:literal, $message:literal) => {
        $(#[$meta])*
        // Shared, not boxed: every envelope carries the `KeyRef` it was
        // sealed under, cloned from the ring's entry, and a clone is then a
        // reference count, not two allocations and their frees (about a
        // quarter of what the ring adds to a 64-byte encryption,
        // docs/key-model.md).
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// The validated text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = ParseError;

            fn from_str(s: &str) -> Result<Self, ParseError> {
                validate_slug(s, $target)?;
                Ok($name(s.into()))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = ParseError;

            fn try_from(s: &str) -> Result<Self, ParseError> {
                s.parse()
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParseError;

            fn try_from(s: String) -> Result<Self, ParseError> {
                validate_slug(&s, $target)?;
                Ok($name(Arc::from(s)))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&&*self.0).finish()
            }
        }

        string_serde!($name, $expecting, $message);
    };
}

/// Serializes a type as its `Display` string and deserializes it through its
/// `FromStr`, so serde accepts exactly what the parser accepts. Errors are
/// the parser's, or `$message` when the input is not a string (G8: never
/// serde's, which quote the input).
macro_rules! string_serde {
    ($name:ident, $expecting:literal, $message:literal) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;

                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        // A `ParseError` never quotes the input.
                        v.parse().map_err(own)
                    }
                }

                guard(deserializer, $message, |d| d.deserialize_str(Visitor))
            }
        }
    };
}

slug_type!(
    /// A tenant's id: opaque, non-sensitive, validated.
    ///
    /// A DNS label, so it can name a host or a bucket unchanged: 1 to 63
    /// characters of lowercase ASCII letters, digits and `-`, starting and
    /// ending with a letter or digit, and without `--` in positions 3 and 4
    /// (the form IDNA reserves: `xn--pple-43d` displays as a look-alike of
    /// `apple`).
    ///
    /// ```
    /// use key_model::TenantId;
    ///
    /// let tenant: TenantId = "acme-42".parse()?;
    /// assert_eq!(tenant.as_str(), "acme-42");
    /// assert!("Acme".parse::<TenantId>().is_err()); // no case folding
    /// assert!(" acme".parse::<TenantId>().is_err()); // no trimming
    /// assert!("acme-".parse::<TenantId>().is_err()); // no trailing `-`
    /// assert!("xn--pple-43d".parse::<TenantId>().is_err()); // reserved for IDNA
    /// # Ok::<(), key_model::ParseError>(())
    /// ```
    TenantId,
    Target::TenantId,
    "a tenant id",
    "invalid tenant id: expected a string"
);

slug_type!(
    /// What a key is for: a validated slug such as `ssh-session-recording`
    /// or `audit-export`, with the same rule as [`TenantId`].
    ///
    /// A tenant has at most one key per purpose; each key has numbered
    /// versions.
    ///
    /// ```
    /// use key_model::KeyPurpose;
    ///
    /// let purpose: KeyPurpose = "ssh-session-recording".parse()?;
    /// assert_eq!(purpose.to_string(), "ssh-session-recording");
    /// assert!("ssh_session".parse::<KeyPurpose>().is_err());
    /// # Ok::<(), key_model::ParseError>(())
    /// ```
    KeyPurpose,
    Target::KeyPurpose,
    "a key purpose",
    "invalid key purpose: expected a string"
);

/// A key's version number: non-zero, monotonic per key, never reused.
///
/// Its text form is plain decimal without leading zeros; serde writes it as a
/// JSON number.
///
/// ```
/// use key_model::KeyVersion;
///
/// let v: KeyVersion = "3".parse()?;
/// assert_eq!(v.get(), 3);
/// assert_eq!(v.next(), KeyVersion::new(4));
/// assert!("03".parse::<KeyVersion>().is_err());
/// assert!("0".parse::<KeyVersion>().is_err());
/// # Ok::<(), key_model::ParseError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyVersion(NonZeroU32);

impl KeyVersion {
    /// Version 1, the first version of every key.
    pub const FIRST: KeyVersion = KeyVersion(NonZeroU32::MIN);

    /// The version `n`, or `None` for 0.
    pub const fn new(n: u32) -> Option<KeyVersion> {
        match NonZeroU32::new(n) {
            Some(n) => Some(KeyVersion(n)),
            None => None,
        }
    }

    /// The version number.
    pub const fn get(self) -> u32 {
        self.0.get()
    }

    /// The next version, or `None` when `u32::MAX` has been used (a version
    /// number is never reused, so there is no wrapping).
    pub const fn next(self) -> Option<KeyVersion> {
        match self.0.checked_add(1) {
            Some(n) => Some(KeyVersion(n)),
            None => None,
        }
    }

    fn parse(s: &str, target: Target) -> Result<KeyVersion, ParseError> {
        let err = |kind| Err(ParseError::new(target, None, kind));
        if s.is_empty() {
            return err(ParseErrorKind::Empty);
        }
        if let Some(position) = s.bytes().position(|b| !b.is_ascii()) {
            return err(ParseErrorKind::NotAscii { position });
        }
        // Checked by hand because `u32::from_str` accepts a leading `+`.
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return err(ParseErrorKind::VersionNotDigits);
        }
        if s == "0" {
            return err(ParseErrorKind::VersionZero);
        }
        if s.starts_with('0') {
            return err(ParseErrorKind::VersionLeadingZero);
        }
        match s.parse::<NonZeroU32>() {
            Ok(n) => Ok(KeyVersion(n)),
            Err(_) => err(ParseErrorKind::VersionOverflow),
        }
    }
}

impl From<NonZeroU32> for KeyVersion {
    fn from(n: NonZeroU32) -> Self {
        KeyVersion(n)
    }
}

impl From<KeyVersion> for NonZeroU32 {
    fn from(v: KeyVersion) -> Self {
        v.0
    }
}

impl FromStr for KeyVersion {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        KeyVersion::parse(s, Target::KeyVersion)
    }
}

impl fmt::Display for KeyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for KeyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("KeyVersion").field(&self.0.get()).finish()
    }
}

impl serde::Serialize for KeyVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.get())
    }
}

impl<'de> serde::Deserialize<'de> for KeyVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde's `NonZeroU32` decides what is accepted (every integer type
        // in range, as before); its errors quote the number.
        guard(
            deserializer,
            "invalid key version: expected an integer from 1 to 4294967295",
            NonZeroU32::deserialize,
        )
        .map(KeyVersion)
    }
}

/// Names a key: a tenant and a purpose. Encryption under a `KeyName` uses
/// the key's current primary version.
///
/// Canonical text: `tenants/{tenant}/keys/{purpose}`.
///
/// ```
/// use key_model::{KeyName, KeyVersion};
///
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// assert_eq!(name.tenant().as_str(), "acme");
/// let r = name.at_version(KeyVersion::FIRST);
/// assert_eq!(r.to_string(), "tenants/acme/keys/audit-export/versions/1");
/// # Ok::<(), key_model::ParseError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyName {
    tenant: TenantId,
    purpose: KeyPurpose,
}

impl KeyName {
    /// The key of `tenant` for `purpose`.
    pub fn new(tenant: TenantId, purpose: KeyPurpose) -> KeyName {
        KeyName { tenant, purpose }
    }

    /// The tenant that owns the key.
    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    /// What the key is for.
    pub fn purpose(&self) -> &KeyPurpose {
        &self.purpose
    }

    /// A reference to one version of this key.
    pub fn at_version(&self, version: KeyVersion) -> KeyRef {
        KeyRef {
            tenant: self.tenant.clone(),
            purpose: self.purpose.clone(),
            version,
        }
    }
}

/// Names one version of a key: what a ciphertext and a DTO carry (by
/// convention in a field called `encryption_key_ref`).
///
/// A `KeyRef` is metadata, never authorization: holding one grants nothing.
/// Canonical text: `tenants/{tenant}/keys/{purpose}/versions/{n}`.
///
/// ```
/// use key_model::KeyRef;
///
/// let r: KeyRef = "tenants/acme/keys/ssh-session-recording/versions/3".parse()?;
/// assert_eq!(r.version().get(), 3);
/// assert_eq!(r.name().to_string(), "tenants/acme/keys/ssh-session-recording");
/// assert_eq!(
///     serde_json::to_string(&r).unwrap(),
///     r#""tenants/acme/keys/ssh-session-recording/versions/3""#,
/// );
/// # Ok::<(), key_model::ParseError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyRef {
    tenant: TenantId,
    purpose: KeyPurpose,
    version: KeyVersion,
}

impl KeyRef {
    /// A reference to `version` of the key of `tenant` for `purpose`.
    pub fn new(tenant: TenantId, purpose: KeyPurpose, version: KeyVersion) -> KeyRef {
        KeyRef {
            tenant,
            purpose,
            version,
        }
    }

    /// The tenant that owns the key.
    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    /// What the key is for.
    pub fn purpose(&self) -> &KeyPurpose {
        &self.purpose
    }

    /// The version referenced.
    pub fn version(&self) -> KeyVersion {
        self.version
    }

    /// The key this version belongs to.
    pub fn name(&self) -> KeyName {
        KeyName {
            tenant: self.tenant.clone(),
            purpose: self.purpose.clone(),
        }
    }
}

/// Walks the `/`-separated segments of a path form, numbering them from 1,
/// and turns every structural problem into a [`ParseError`] at its segment.
struct Segments<'a> {
    parts: core::iter::Peekable<core::str::Split<'a, char>>,
    number: u8,
    target: Target,
}

impl<'a> Segments<'a> {
    fn new(input: &'a str, target: Target) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(target, None, ParseErrorKind::Empty));
        }
        if let Some(position) = input.bytes().position(|b| !b.is_ascii()) {
            return Err(ParseError::new(
                target,
                None,
                ParseErrorKind::NotAscii { position },
            ));
        }
        Ok(Segments {
            parts: input.split('/').peekable(),
            number: 0,
            target,
        })
    }

    fn error(&self, kind: ParseErrorKind) -> ParseError {
        ParseError::new(self.target, Some(self.number), kind)
    }

    /// The next segment, which must exist and be non-empty.
    fn next(&mut self, expected: &'static str) -> Result<&'a str, ParseError> {
        self.number += 1;
        match self.parts.next() {
            None => Err(self.error(ParseErrorKind::MissingSegment { expected })),
            Some("") if self.number > 1 && self.parts.peek().is_none() => {
                Err(self.error(ParseErrorKind::TrailingSlash))
            }
            Some("") => Err(self.error(ParseErrorKind::EmptySegment)),
            Some(part) => Ok(part),
        }
    }

    fn literal(&mut self, literal: &'static str) -> Result<(), ParseError> {
        let part = self.next(literal)?;
        if part == literal {
            Ok(())
        } else {
            Err(self.error(ParseErrorKind::ExpectedLiteral { expected: literal }))
        }
    }

    fn value<T>(
        &mut self,
        expected: &'static str,
        parse: impl FnOnce(&str) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        let part = self.next(expected)?;
        parse(part).map_err(|e| e.at(self.target, self.number))
    }

    fn end(mut self) -> Result<(), ParseError> {
        self.number += 1;
        match self.parts.next() {
            None => Ok(()),
            Some("") if self.parts.peek().is_none() => {
                Err(self.error(ParseErrorKind::TrailingSlash))
            }
            Some(_) => Err(self.error(ParseErrorKind::ExtraSegment)),
        }
    }
}

/// Parses `tenants/{tenant}/keys/{purpose}`, leaving the segments after it.
fn parse_name(input: &str, target: Target) -> Result<(KeyName, Segments<'_>), ParseError> {
    let mut segments = Segments::new(input, target)?;
    segments.literal("tenants")?;
    let tenant = segments.value("tenant id", str::parse::<TenantId>)?;
    segments.literal("keys")?;
    let purpose = segments.value("key purpose", str::parse::<KeyPurpose>)?;
    Ok((KeyName { tenant, purpose }, segments))
}

impl FromStr for KeyName {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let (name, segments) = parse_name(s, Target::KeyName)?;
        segments.end()?;
        Ok(name)
    }
}

impl FromStr for KeyRef {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let (KeyName { tenant, purpose }, mut segments) = parse_name(s, Target::KeyRef)?;
        segments.literal("versions")?;
        let version = segments.value("version", |v| KeyVersion::parse(v, Target::KeyRef))?;
        segments.end()?;
        Ok(KeyRef {
            tenant,
            purpose,
            version,
        })
    }
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tenants/{}/keys/{}", self.tenant, self.purpose)
    }
}

impl fmt::Display for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "tenants/{}/keys/{}/versions/{}",
            self.tenant, self.purpose, self.version
        )
    }
}

// Debug shows the canonical text: the form an operator greps logs for.
impl fmt::Debug for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The canonical text never needs escaping, so quoting it by hand
        // prints what `Debug` of the string would, without allocating it.
        write!(f, "KeyName(\"{self}\")")
    }
}

impl fmt::Debug for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyRef(\"{self}\")")
    }
}

string_serde!(
    KeyName,
    "a key name `tenants/{tenant}/keys/{purpose}`",
    "invalid key name: expected a string `tenants/{tenant}/keys/{purpose}`"
);
string_serde!(
    KeyRef,
    "a key reference `tenants/{tenant}/keys/{purpose}/versions/{n}`",
    "invalid key reference: expected a string `tenants/{tenant}/keys/{purpose}/versions/{n}`"
);
