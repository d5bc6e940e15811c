//! The key ring's plug points and their backends, and the envelope format's
//! constants. The ring itself ([`KeyRing`](crate::KeyRing)), the envelope
//! ([`Envelope`](crate::Envelope)) and the plaintext
//! ([`Plaintext`](crate::Plaintext)) are at the crate root, with the errors.
//!
//! Layout: `keyring.rs` (the ring), `envelope.rs` (the format, its errors
//! in `envelope/error.rs`), `plaintext.rs`, `source.rs` (where new material
//! comes from), `backend.rs` (the plug points' error), and one folder per
//! plug point with one file per backend: `store/` ([`KeyStore`],
//! `memory.rs`) and `root/` ([`RootKey`], `memory.rs`).

pub(crate) mod backend;
pub(crate) mod cache;
pub(crate) mod envelope;
pub(crate) mod keyring;
pub(crate) mod plaintext;
pub(crate) mod root;
pub(crate) mod source;
pub(crate) mod store;

pub use envelope::{FORMAT_V1, MAX_PLAINTEXT_LEN, NONCE_LEN, TAG_LEN};
#[cfg(feature = "root-aws-kms")]
pub use root::aws_kms::{AwsKmsConfig, AwsKmsRootKey};
#[cfg(unix)]
pub use root::file::FileRootKey;
pub use root::memory::MemoryRootKey;
#[cfg(feature = "root-pkcs11")]
pub use root::pkcs11::{Pkcs11Config, Pkcs11RootKey};
#[cfg(feature = "root-transit")]
pub use root::transit::{TransitConfig, TransitRootKey};
pub use root::{RingCall, RootKey, WrappedKey};
/// The secret box and its accessors that [`RootKey`] implementations use.
///
/// Re-exported because they are part of the `RootKey` signatures: a
/// `SecretBox` of another `secrecy` version is another type, so an
/// implementation written against these paths always matches the trait,
/// with no `secrecy` dependency of its own to keep in step.
///
/// ```
/// use key_model::ring::{ExposeSecret, SecretBox};
///
/// // What a root key receives from `wrap` and returns from `unwrap`.
/// let material: SecretBox<[u8; 32]> = SecretBox::new(Box::new([7; 32]));
/// assert_eq!(material.expose_secret()[0], 7);
/// assert_eq!(format!("{material:?}"), "SecretBox<[u8; 32]>([REDACTED])");
/// ```
pub use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox};
pub use store::memory::MemoryKeyStore;
#[cfg(feature = "store-postgres")]
pub use store::postgres::PostgresKeyStore;
#[cfg(feature = "store-sqlite")]
pub use store::sqlite::SqliteKeyStore;
pub use store::{KeyStore, Revision, StoreCall, StoredKey, StoredVersion};
