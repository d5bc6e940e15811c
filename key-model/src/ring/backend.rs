//! The error of the plug points ([`KeyStore`](crate::ring::KeyStore) and
//! [`RootKey`](crate::ring::RootKey)), shared by every backend.

use core::fmt;

/// What went wrong in a plug point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BackendErrorKind {
    /// The store or the root key could not be reached.
    Unavailable,
    /// A stored record is malformed or inconsistent.
    Corrupt,
    /// The root key refused to unwrap key material: the wrapped bytes were
    /// altered, belong to another key version, or were wrapped by another
    /// root key.
    Unwrap,
    /// The root key's provider (a KMS, an HSM) refused the operation: the
    /// key is disabled, deleted, scheduled for deletion, retired, or the
    /// credentials lack access. The ring fails closed; re-enabling the key
    /// at the provider restores service.
    Refused,
    /// A compare-and-swap write was refused: the record changed since it
    /// was read (another process or instance wrote it), or a record that
    /// should have been created exists already. Nothing was written. The
    /// key ring reloads and retries its change a few times, then returns
    /// this error to its caller.
    Conflict,
    /// The store or key file was written in a format this version of
    /// key-model does not read (a newer schema, say). Nothing was changed:
    /// upgrade key-model rather than guess.
    UnsupportedFormat,
}

/// An error from a [`KeyStore`](crate::ring::KeyStore) or a [`RootKey`](crate::ring::RootKey).
///
/// It carries a kind and a fixed description, never data from the record:
/// a backend logs its own details where it can protect them.
///
/// ```
/// use key_model::{BackendError, BackendErrorKind};
///
/// let e = BackendError::new(BackendErrorKind::Unavailable, "database connection refused");
/// assert_eq!(e.to_string(), "key backend unavailable: database connection refused");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BackendError {
    kind: BackendErrorKind,
    detail: &'static str,
}

impl BackendError {
    /// An error of `kind` with a fixed description.
    pub const fn new(kind: BackendErrorKind, detail: &'static str) -> BackendError {
        BackendError { kind, detail }
    }

    /// What went wrong.
    pub fn kind(&self) -> BackendErrorKind {
        self.kind
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            BackendErrorKind::Unavailable => "key backend unavailable",
            BackendErrorKind::Corrupt => "stored key record is corrupt",
            BackendErrorKind::Unwrap => "the root key could not unwrap key material",
            BackendErrorKind::Refused => "the root key provider refused the operation",
            BackendErrorKind::Conflict => "the key record changed concurrently",
            BackendErrorKind::UnsupportedFormat => {
                "the key backend was written in a format this version does not read"
            }
        };
        write!(f, "{what}: {}", self.detail)
    }
}

impl core::error::Error for BackendError {}
