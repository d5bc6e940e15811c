//! The crate's error. Each error it wraps lives beside its concept
//! (`ParseError` with the identifiers, `Refusal` with the policy, ...).
//! None of them carries key material (G8): they hold positions, segment
//! numbers, states and references, never bytes of a key.

use core::fmt;

use crate::model::id::error::ParseError;
use crate::model::lifecycle::TransitionError;
use crate::model::policy::Refusal;
use crate::ring::backend::BackendError;
use crate::ring::envelope::error::EnvelopeError;

/// The error of key-model operations.
///
/// `#[non_exhaustive]` (G10): key ring and bring-your-own-key errors are
/// added as variants without breaking callers. No variant carries key
/// material (G8).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An identifier or reference was malformed.
    Parse(ParseError),
    /// A lifecycle transition is not allowed from the key's current state.
    Transition(TransitionError),
    /// The fail-closed policy refused an operation.
    Refused(Refusal),
    /// The operating system's random source failed.
    Random,
    /// No such key or key version in this tenant scope. A key of another
    /// tenant gives exactly this error, whether it exists or not (G5: no
    /// existence oracle).
    KeyNotFound,
    /// The key already exists: create it once, then rotate.
    KeyExists,
    /// The key has used every version number (`u32::MAX`); numbers are
    /// never reused.
    VersionsExhausted,
    /// Bytes or text that are not a well-formed envelope.
    Envelope(EnvelopeError),
    /// The envelope did not authenticate under the version it names: its
    /// header, ciphertext or tag was altered, or the context differs.
    DecryptionFailed,
    /// The plaintext is longer than an envelope holds
    /// ([`MAX_PLAINTEXT_LEN`](crate::ring::MAX_PLAINTEXT_LEN) bytes).
    PlaintextTooLong,
    /// The key store or the root key failed.
    Backend(BackendError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse(e) => fmt::Display::fmt(e, f),
            Error::Transition(e) => fmt::Display::fmt(e, f),
            Error::Refused(e) => fmt::Display::fmt(e, f),
            Error::Random => f.write_str("the operating system's random source failed"),
            Error::KeyNotFound => f.write_str("key not found in this tenant scope"),
            Error::KeyExists => f.write_str("the key already exists: rotate it instead"),
            Error::VersionsExhausted => f.write_str("the key has no version numbers left"),
            Error::Envelope(e) => fmt::Display::fmt(e, f),
            Error::DecryptionFailed => f.write_str(
                "decryption failed: the envelope or its context does not match what was sealed",
            ),
            Error::PlaintextTooLong => f.write_str("the plaintext is too long for an envelope"),
            Error::Backend(e) => fmt::Display::fmt(e, f),
        }
    }
}

/// Transparent, as every error of the crate (see the crate docs): a variant
/// that wraps an error shows its message, so its source is the wrapped
/// error's source, and a chain printer shows each message once.
impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Error::Parse(e) => e.source(),
            Error::Transition(e) => e.source(),
            Error::Refused(e) => e.source(),
            Error::Envelope(e) => e.source(),
            Error::Backend(e) => e.source(),
            Error::Random
            | Error::KeyNotFound
            | Error::KeyExists
            | Error::VersionsExhausted
            | Error::DecryptionFailed
            | Error::PlaintextTooLong => None,
        }
    }
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Self {
        Error::Parse(e)
    }
}

impl From<TransitionError> for Error {
    fn from(e: TransitionError) -> Self {
        Error::Transition(e)
    }
}

impl From<Refusal> for Error {
    fn from(e: Refusal) -> Self {
        Error::Refused(e)
    }
}

impl From<EnvelopeError> for Error {
    fn from(e: EnvelopeError) -> Self {
        Error::Envelope(e)
    }
}

impl From<BackendError> for Error {
    fn from(e: BackendError) -> Self {
        Error::Backend(e)
    }
}

/// The message of `error` and of each error below it, as a chain printer
/// (`anyhow`'s `{:#}`, a log layer) shows them.
#[cfg(test)]
pub(crate) fn chain(error: &dyn core::error::Error) -> Vec<String> {
    let mut messages = vec![error.to_string()];
    let mut next = error.source();
    while let Some(e) = next {
        messages.push(e.to_string());
        next = e.source();
    }
    messages
}

/// Checks that a chain printer shows no message twice: no message of the
/// chain contains a message below it.
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_chain_repeats_nothing(error: &dyn core::error::Error) {
    let messages = chain(error);
    for (i, above) in messages.iter().enumerate() {
        for below in &messages[i + 1..] {
            assert!(
                !above.contains(below.as_str()),
                "the chain repeats {below:?}: {}",
                messages.join(": ")
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::id::KeyVersion;
    use crate::model::lifecycle::{KeyState, Transition};
    use crate::model::policy::{Operation, check};
    use crate::ring::backend::BackendErrorKind;
    use crate::ring::envelope::Envelope;

    #[test]
    fn error_chains_show_each_message_once() {
        let errors = [
            Error::from("07".parse::<KeyVersion>().unwrap_err()),
            Error::from(
                KeyState::Destroyed
                    .apply(Transition::Enable, false)
                    .unwrap_err(),
            ),
            Error::from(check(Operation::Decrypt, &KeyState::Disabled, false).unwrap_err()),
            Error::from(Envelope::from_bytes(&[0x01, 0x01, 0x05, b'a']).unwrap_err()),
            Error::from(BackendError::new(
                BackendErrorKind::Unavailable,
                "database down",
            )),
            Error::KeyNotFound,
        ];
        for error in &errors {
            assert_chain_repeats_nothing(error);
            // Transparent: the variant's message is the inner error's.
            assert_eq!(chain(error).len(), 1, "{error}");
        }
        assert_eq!(
            chain(&errors[0]),
            ["invalid key version: version must not have leading zeros"]
        );
    }
}
