//! The stable error codes: what a service may put in a response body.
//!
//! The lowest layer of the crate: it imports nothing, so every error,
//! wherever it lives, names its code here. Each error's `code()` is beside
//! the error; this file only holds the vocabulary.

use core::fmt;

/// A stable, secret-free code for every error of the crate: the part of an
/// error a service can send to its caller.
///
/// An error's message is for an operator; its code is for a program. The
/// code is a short `snake_case` string ([`as_str`](ErrorCode::as_str),
/// `Display` and `Serialize` all give it), it carries no value from the
/// input, the key or the record, and it is [`SecretFree`](crate::SecretFree),
/// so an API error body can hold it and go through
/// [`sink::api_json`](crate::sink::api_json):
///
/// ```
/// use key_model::{ApiDto, ErrorCode, KeyRef};
///
/// #[derive(serde::Serialize, ApiDto)]
/// struct ErrorBody {
///     code: ErrorCode,
///     message: &'static str,
/// }
///
/// let err = "tenants/acme/keys/billing/versions/07".parse::<KeyRef>().unwrap_err();
/// let body = ErrorBody { code: err.code(), message: err.code().message() };
/// assert_eq!(
///     key_model::sink::api_json(&body)?,
///     br#"{"code":"invalid_identifier","message":"the identifier or key reference is malformed"}"#,
/// );
/// # Ok::<(), key_model::sink::SinkError>(())
/// ```
///
/// **Stable** (G10): a code, once published, keeps its string and its
/// meaning in every later version; new codes may be added (the enum is
/// `#[non_exhaustive]`, so a `match` needs a wildcard arm), none is renamed
/// or reused. The strings are listed in `docs/key-model.md` (Errors) and
/// pinned by a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `invalid_identifier`: a tenant id, purpose, version, key name or key
    /// reference is malformed.
    InvalidIdentifier,
    /// `primary_cannot_be_disabled`: the primary version cannot be disabled.
    PrimaryCannotBeDisabled,
    /// `transition_not_allowed`: the lifecycle transition does not start
    /// from the version's state.
    TransitionNotAllowed,
    /// `key_not_primary`: only the primary version may encrypt.
    KeyNotPrimary,
    /// `key_disabled`: the policy refused: the version is disabled.
    KeyDisabled,
    /// `key_destroy_scheduled`: the policy refused: the version is
    /// scheduled for destruction.
    KeyDestroyScheduled,
    /// `key_destroyed`: the policy refused: the version is destroyed.
    KeyDestroyed,
    /// `key_state_unrecognized`: the policy refused: the version is in a
    /// state this version of key-model does not know (fail closed).
    KeyStateUnrecognized,
    /// `key_not_found`: no such key or version in this tenant scope (the
    /// same for another tenant's key, G5).
    KeyNotFound,
    /// `key_exists`: the key already exists.
    KeyExists,
    /// `versions_exhausted`: the key has no version numbers left.
    VersionsExhausted,
    /// `malformed_envelope`: bytes or text that are not a well-formed
    /// envelope.
    MalformedEnvelope,
    /// `decryption_failed`: the envelope did not authenticate.
    DecryptionFailed,
    /// `plaintext_too_long`: the plaintext is longer than an envelope holds.
    PlaintextTooLong,
    /// `random_source_failed`: the operating system's random source failed.
    RandomSourceFailed,
    /// `backend_unavailable`: the key store or root key could not be reached.
    BackendUnavailable,
    /// `backend_corrupt`: a stored key record is malformed or inconsistent.
    BackendCorrupt,
    /// `backend_unwrap_failed`: the root key refused to unwrap key material.
    BackendUnwrapFailed,
    /// `backend_conflict`: the key record changed while it was being
    /// updated (a concurrent writer); nothing was written.
    BackendConflict,
    /// `backend_unsupported_format`: the store or key file was written in a
    /// format this version does not read; nothing was changed.
    BackendUnsupportedFormat,
    /// `backend_refused`: the root key's provider (a KMS, an HSM) refused
    /// the operation (key disabled or deleted there, or no access).
    BackendRefused,
    /// `sink_io`: a sink's underlying writer failed.
    SinkIo,
    /// `sink_serialization`: a sink could not serialize the value's shape.
    SinkSerialization,
    /// `invalid_event_type`: an event type outside the allowed grammar.
    InvalidEventType,
}

impl ErrorCode {
    /// Every code, in declaration order. A slice, so adding a code does not
    /// change its type.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidIdentifier,
        ErrorCode::PrimaryCannotBeDisabled,
        ErrorCode::TransitionNotAllowed,
        ErrorCode::KeyNotPrimary,
        ErrorCode::KeyDisabled,
        ErrorCode::KeyDestroyScheduled,
        ErrorCode::KeyDestroyed,
        ErrorCode::KeyStateUnrecognized,
        ErrorCode::KeyNotFound,
        ErrorCode::KeyExists,
        ErrorCode::VersionsExhausted,
        ErrorCode::MalformedEnvelope,
        ErrorCode::DecryptionFailed,
        ErrorCode::PlaintextTooLong,
        ErrorCode::RandomSourceFailed,
        ErrorCode::BackendUnavailable,
        ErrorCode::BackendCorrupt,
        ErrorCode::BackendUnwrapFailed,
        ErrorCode::BackendConflict,
        ErrorCode::BackendUnsupportedFormat,
        ErrorCode::BackendRefused,
        ErrorCode::SinkIo,
        ErrorCode::SinkSerialization,
        ErrorCode::InvalidEventType,
    ];

    /// The code's stable string.
    ///
    /// ```
    /// assert_eq!(key_model::ErrorCode::KeyNotFound.as_str(), "key_not_found");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidIdentifier => "invalid_identifier",
            ErrorCode::PrimaryCannotBeDisabled => "primary_cannot_be_disabled",
            ErrorCode::TransitionNotAllowed => "transition_not_allowed",
            ErrorCode::KeyNotPrimary => "key_not_primary",
            ErrorCode::KeyDisabled => "key_disabled",
            ErrorCode::KeyDestroyScheduled => "key_destroy_scheduled",
            ErrorCode::KeyDestroyed => "key_destroyed",
            ErrorCode::KeyStateUnrecognized => "key_state_unrecognized",
            ErrorCode::KeyNotFound => "key_not_found",
            ErrorCode::KeyExists => "key_exists",
            ErrorCode::VersionsExhausted => "versions_exhausted",
            ErrorCode::MalformedEnvelope => "malformed_envelope",
            ErrorCode::DecryptionFailed => "decryption_failed",
            ErrorCode::PlaintextTooLong => "plaintext_too_long",
            ErrorCode::RandomSourceFailed => "random_source_failed",
            ErrorCode::BackendUnavailable => "backend_unavailable",
            ErrorCode::BackendCorrupt => "backend_corrupt",
            ErrorCode::BackendUnwrapFailed => "backend_unwrap_failed",
            ErrorCode::BackendConflict => "backend_conflict",
            ErrorCode::BackendUnsupportedFormat => "backend_unsupported_format",
            ErrorCode::BackendRefused => "backend_refused",
            ErrorCode::SinkIo => "sink_io",
            ErrorCode::SinkSerialization => "sink_serialization",
            ErrorCode::InvalidEventType => "invalid_event_type",
        }
    }

    /// A fixed, secret-free sentence for the code, for a response body next
    /// to it (it never contains a value: compare the error's `Display`,
    /// which may name a segment or a state). Unlike the code, its wording
    /// may improve between versions.
    pub const fn message(self) -> &'static str {
        match self {
            ErrorCode::InvalidIdentifier => "the identifier or key reference is malformed",
            ErrorCode::PrimaryCannotBeDisabled => "the primary key version cannot be disabled",
            ErrorCode::TransitionNotAllowed => {
                "the lifecycle transition is not allowed from the key version's state"
            }
            ErrorCode::KeyNotPrimary => "only the primary key version may encrypt",
            ErrorCode::KeyDisabled => "the key version is disabled",
            ErrorCode::KeyDestroyScheduled => "the key version is scheduled for destruction",
            ErrorCode::KeyDestroyed => "the key version is destroyed",
            ErrorCode::KeyStateUnrecognized => "the key version is in an unrecognized state",
            ErrorCode::KeyNotFound => "key not found",
            ErrorCode::KeyExists => "the key already exists",
            ErrorCode::VersionsExhausted => "the key has no version numbers left",
            ErrorCode::MalformedEnvelope => "the envelope is malformed",
            ErrorCode::DecryptionFailed => "decryption failed",
            ErrorCode::PlaintextTooLong => "the plaintext is too long",
            ErrorCode::RandomSourceFailed => "the random source failed",
            ErrorCode::BackendUnavailable => "the key backend is unavailable",
            ErrorCode::BackendCorrupt => "a stored key record is corrupt",
            ErrorCode::BackendUnwrapFailed => "the root key could not unwrap key material",
            ErrorCode::BackendConflict => "the key changed concurrently: retry",
            ErrorCode::BackendUnsupportedFormat => "the key store's format is not supported",
            ErrorCode::BackendRefused => "the root key's provider refused the operation",
            ErrorCode::SinkIo => "writing the output failed",
            ErrorCode::SinkSerialization => "the value could not be serialized",
            ErrorCode::InvalidEventType => "the event type is invalid",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The code's string, as [`as_str`](ErrorCode::as_str) gives it.
impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published strings. A code may be added to this table; a row may
    /// never change or go (G10).
    const PINNED: &[(ErrorCode, &str)] = &[
        (ErrorCode::InvalidIdentifier, "invalid_identifier"),
        (
            ErrorCode::PrimaryCannotBeDisabled,
            "primary_cannot_be_disabled",
        ),
        (ErrorCode::TransitionNotAllowed, "transition_not_allowed"),
        (ErrorCode::KeyNotPrimary, "key_not_primary"),
        (ErrorCode::KeyDisabled, "key_disabled"),
        (ErrorCode::KeyDestroyScheduled, "key_destroy_scheduled"),
        (ErrorCode::KeyDestroyed, "key_destroyed"),
        (ErrorCode::KeyStateUnrecognized, "key_state_unrecognized"),
        (ErrorCode::KeyNotFound, "key_not_found"),
        (ErrorCode::KeyExists, "key_exists"),
        (ErrorCode::VersionsExhausted, "versions_exhausted"),
        (ErrorCode::MalformedEnvelope, "malformed_envelope"),
        (ErrorCode::DecryptionFailed, "decryption_failed"),
        (ErrorCode::PlaintextTooLong, "plaintext_too_long"),
        (ErrorCode::RandomSourceFailed, "random_source_failed"),
        (ErrorCode::BackendUnavailable, "backend_unavailable"),
        (ErrorCode::BackendCorrupt, "backend_corrupt"),
        (ErrorCode::BackendUnwrapFailed, "backend_unwrap_failed"),
        (ErrorCode::BackendConflict, "backend_conflict"),
        (
            ErrorCode::BackendUnsupportedFormat,
            "backend_unsupported_format",
        ),
        (ErrorCode::BackendRefused, "backend_refused"),
        (ErrorCode::SinkIo, "sink_io"),
        (ErrorCode::SinkSerialization, "sink_serialization"),
        (ErrorCode::InvalidEventType, "invalid_event_type"),
    ];

    #[test]
    fn every_code_has_its_pinned_string() {
        for &(code, pinned) in PINNED {
            assert_eq!(code.as_str(), pinned, "{code:?}");
            assert_eq!(code.to_string(), pinned);
            assert_eq!(
                serde_json::to_string(&code).unwrap(),
                format!("\"{pinned}\"")
            );
        }
        let pinned: Vec<ErrorCode> = PINNED.iter().map(|&(code, _)| code).collect();
        assert_eq!(pinned, ErrorCode::ALL, "ALL and the pinned table differ");
    }

    #[test]
    fn all_lists_every_code_once() {
        let mut seen = [0usize; 24];
        for code in ErrorCode::ALL {
            // No wildcard: a new code does not compile until it is counted
            // here, and then must be in `ALL` (and so in the pinned table).
            let i = match code {
                ErrorCode::InvalidIdentifier => 0,
                ErrorCode::PrimaryCannotBeDisabled => 1,
                ErrorCode::TransitionNotAllowed => 2,
                ErrorCode::KeyNotPrimary => 3,
                ErrorCode::KeyDisabled => 4,
                ErrorCode::KeyDestroyScheduled => 5,
                ErrorCode::KeyDestroyed => 6,
                ErrorCode::KeyStateUnrecognized => 7,
                ErrorCode::KeyNotFound => 8,
                ErrorCode::KeyExists => 9,
                ErrorCode::VersionsExhausted => 10,
                ErrorCode::MalformedEnvelope => 11,
                ErrorCode::DecryptionFailed => 12,
                ErrorCode::PlaintextTooLong => 13,
                ErrorCode::RandomSourceFailed => 14,
                ErrorCode::BackendUnavailable => 15,
                ErrorCode::BackendCorrupt => 16,
                ErrorCode::BackendUnwrapFailed => 17,
                ErrorCode::BackendConflict => 21,
                ErrorCode::BackendUnsupportedFormat => 22,
                ErrorCode::BackendRefused => 23,
                ErrorCode::SinkIo => 18,
                ErrorCode::SinkSerialization => 19,
                ErrorCode::InvalidEventType => 20,
            };
            seen[i] += 1;
        }
        assert_eq!(seen, [1; 24]);
    }

    #[test]
    fn codes_are_unique_snake_case_and_messages_fixed() {
        let mut strings = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(strings.insert(s), "{s} is used twice");
            let bytes = s.as_bytes();
            assert!(
                bytes[0].is_ascii_lowercase()
                    && bytes[bytes.len() - 1] != b'_'
                    && !s.contains("__")
                    && bytes
                        .iter()
                        .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{s} is not snake_case"
            );
            // A fixed message: no placeholder, nothing but prose.
            let message = code.message();
            assert!(!message.is_empty() && !message.contains(['{', '`', '"']));
        }
    }
}
