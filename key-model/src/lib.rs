//! A per-tenant encryption-key model that the compiler enforces.
//!
//! A platform keeps one platform-managed key per tenant and purpose, in
//! numbered versions. This crate turns the rules of that model into types:
//!
//! - keys are referenced by tenant / purpose / version ([`TenantId`],
//!   [`KeyPurpose`], [`KeyVersion`], [`KeyName`], [`KeyRef`]), with one
//!   canonical, strictly parsed text form;
//! - a key reference is metadata, never authorization: operations on key
//!   material take a [`TenantScope`], which only the host's authorization
//!   layer creates;
//! - disabled keys fail closed: one pure function, [`policy::check`],
//!   decides, and states it does not recognise refuse everything;
//! - key material ([`KeyMaterial`]) is opaque: it cannot be printed,
//!   serialized, cloned or compared, and is zeroized on drop;
//! - what leaves the service is secret-free by construction: API responses,
//!   events, export rows and audit records derive [`ApiDto`], [`EventDto`],
//!   [`ExportDto`] or [`AuditDto`], which prove every field [`SecretFree`],
//!   and the [`sink`]s accept nothing else;
//! - internal types that do hold a secret still log and serialize safely:
//!   `RedactedDebug`, `RedactedDisplay` and `RedactedSerialize` write
//!   `[REDACTED]` for each `#[redact]` field without formatting it, and an
//!   unmarked secret field does not compile;
//! - the embedded [`KeyRing`] does envelope encryption bound to the key
//!   reference ([`Envelope`]), with plug points for a store and a root key
//!   ([`ring::KeyStore`], [`ring::RootKey`]).
//!
//! ```
//! use key_model::{
//!     policy, KeyMetadata, KeyOrigin, KeyRef, KeyState, Operation, Timestamp, Transition,
//! };
//!
//! let key_ref: KeyRef = "tenants/acme/keys/ssh-session-recording/versions/1".parse()?;
//! let mut meta = KeyMetadata::new(
//!     key_ref.clone(),
//!     KeyState::Enabled,
//!     KeyOrigin::PlatformManaged,
//!     Timestamp::now(),
//!     false,
//! );
//! assert!(meta.check(Operation::Decrypt).is_ok());
//!
//! meta.apply(Transition::Disable)?;
//! let refusal = meta.check(Operation::Decrypt).unwrap_err();
//! assert_eq!(refusal.to_string(), "decrypt refused: key version is disabled");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The main flow: a response type derives [`ApiDto`] (which proves every
//! field secret-free) and leaves through a [`sink`]; a field that could
//! hold key material would not compile.
//!
//! ```
//! use key_model::{ApiDto, KeyRef};
//!
//! #[derive(serde::Serialize, ApiDto)]
//! struct SessionResponse {
//!     session_id: String,
//!     encryption_key_ref: KeyRef, // a reference to the key, never the key
//! }
//!
//! let body = key_model::sink::api_json(&SessionResponse {
//!     session_id: "sess_01HZX4".into(),
//!     encryption_key_ref: "tenants/acme/keys/ssh-session-recording/versions/3".parse()?,
//! })?;
//! assert_eq!(
//!     body,
//!     br#"{"session_id":"sess_01HZX4","encryption_key_ref":"tenants/acme/keys/ssh-session-recording/versions/3"}"#,
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The guarantees, their mechanisms and their limits are written down in
//! `docs/guarantees.md` in the repository (not part of this package).
//! Integrations with axum, utoipa, schemars, rusqlite, postgres and sqlx
//! are optional features (see [`integrations`]).
//!
//! # Public surface
//!
//! Each public item has one path:
//!
//! - the crate root: the model ([`TenantId`], [`KeyPurpose`],
//!   [`KeyVersion`], [`KeyName`], [`KeyRef`], [`MAX_SLUG_LEN`],
//!   [`KeyState`], [`StateKind`], [`UnrecognizedState`], [`Transition`],
//!   [`KeyOrigin`], [`KeyMetadata`], [`Operation`], [`TenantScope`],
//!   [`KeyMaterial`], [`Timestamp`]), the boundary traits ([`SecretFree`],
//!   [`ApiDto`], [`EventDto`], [`ExportDto`], [`AuditDto`]) and, with the
//!   `derive` feature, the derives of the same names and the redacting
//!   derives; the main flow ([`KeyRing`], [`Envelope`] and its
//!   [`Algorithm`], [`Plaintext`]); the crate's [`Error`] and every error it
//!   wraps, with their details ([`ParseError`], [`ParseErrorKind`],
//!   [`TransitionError`], [`Refusal`], [`EnvelopeError`],
//!   [`EnvelopeErrorKind`], [`EnvelopeField`], [`BackendError`],
//!   [`BackendErrorKind`]), and the stable [`ErrorCode`] of every error;
//! - [`policy`]: [`policy::check`], the fail-closed decision;
//! - [`ring`]: the plug points and their backends ([`ring::KeyStore`],
//!   [`ring::StoreCall`], [`ring::StoredKey`], [`ring::StoredVersion`], [`ring::Revision`],
//!   [`ring::MemoryKeyStore`], `ring::PostgresKeyStore` (feature
//!   `store-postgres`),
//!   [`ring::RootKey`], [`ring::WrappedKey`], [`ring::MemoryRootKey`], the
//!   `secrecy` types a root key uses), and the envelope format's constants;
//! - [`sink`]: the sinks and their [`sink::SinkError`];
//! - `testing` (feature `testing`): the leak canaries, and the plug points'
//!   conformance suites (`testing::run_store_conformance`,
//!   `testing::root_key_conformance`), and `testing::EditableKeyStore`;
//! - [`integrations`]: the optional integrations with other crates, one
//!   module per feature (see `docs/ecosystem.md`); the axum one is
//!   `key_model::axum` (feature `axum`: `ApiJson`, `Problem`).
//!
//! # Errors
//!
//! One convention for every error type of the crate: an error that wraps
//! another shows the wrapped error's message in its own (with a prefix or
//! without), so its [`source`](core::error::Error::source) is the wrapped
//! error's source, never the wrapped error itself. A chain printer (one
//! that walks `source()` and joins the messages) shows each message once.
//! No error carries key material (G8).
//!
//! Every error also has a `code()`: an [`ErrorCode`], a stable `snake_case`
//! string that carries no value and is [`SecretFree`], for a response body
//! (G10: a published code keeps its meaning).

// `unsafe` (G9): the workspace lint table denies `unsafe_code` in every
// crate, and every crate root but this one forbids it, which no attribute
// can lower. This crate needs `unsafe trait SecretFree`, so it only denies:
// the one way to lower a deny is an explicit `#[allow(unsafe_code)]`, and
// the one in the crate is on `boundary::marker` (`git grep -n
// 'allow(unsafe_code)'` lists every exception). Nothing to keep in sync:
// every crate takes the workspace table as is.
#![deny(unsafe_code)]

// Where things are: ARCHITECTURE.md at the repository root.
mod boundary;
mod code;
mod error;
pub mod integrations;
mod model;
mod redact;
pub mod ring;
#[cfg(feature = "testing")]
pub mod testing;

pub use boundary::marker::{ApiDto, AuditDto, EventDto, ExportDto, SecretFree};
pub use boundary::never_serialized::NeverSerialized;
pub use boundary::sink;
pub use code::ErrorCode;
pub use error::Error;
/// axum responses through the API sink (feature `axum`).
#[cfg(feature = "axum")]
pub use integrations::axum;
pub use model::id::{
    KeyName, KeyPurpose, KeyRef, KeyVersion, MAX_SLUG_LEN, ParseError, ParseErrorKind, TenantId,
};
pub use model::lifecycle::{
    KeyMetadata, KeyOrigin, KeyState, StateKind, Transition, TransitionError, UnrecognizedState,
};
pub use model::material::KeyMaterial;
pub use model::policy::{Operation, Refusal};
pub use model::scope::TenantScope;
pub use model::time::Timestamp;
pub use ring::backend::{BackendError, BackendErrorKind};
pub use ring::envelope::{Algorithm, Envelope, EnvelopeError, EnvelopeErrorKind, EnvelopeField};
pub use ring::keyring::KeyRing;
pub use ring::plaintext::Plaintext;

/// The fail-closed policy (G6): [`check`](policy::check), the one pure
/// function that decides whether an operation may use a key version. Its
/// vocabulary, [`Operation`] and [`Refusal`], is at the crate root.
pub mod policy {
    pub use crate::model::policy::check;
}

/// The boundary derives. Each one proves every field's type [`SecretFree`]
/// and implements its trait (a derive and a trait share a name, as serde's
/// `Serialize` does). See `docs/boundary.md`.
#[cfg(feature = "derive")]
pub use key_model_derive::{ApiDto, AuditDto, EventDto, ExportDto, SecretFree};

/// The redacting derives, for types that legitimately hold a secret: they
/// print and serialize `[REDACTED]` in place of each `#[redact]` field and
/// never format the value. See `docs/guarantees.md` (G4).
#[cfg(feature = "derive")]
pub use key_model_derive::{RedactedDebug, RedactedDisplay, RedactedSerialize};

/// This crate under its own name, whatever the dependency is called: the
/// derives import `<crate>::key_model`, so that a `crate = "..."` option
/// that does not lead here is one error at its literal that names
/// `key_model` (see key-model-derive's `options.rs`). Not public API.
#[doc(hidden)]
pub extern crate self as key_model;

/// Support for code generated by key-model-derive. Not public API: it may
/// change in any release. Its name shows in compiler messages about a
/// derive, so it says what it is (no `__private`).
#[doc(hidden)]
pub mod derive_support {
    pub use serde;

    pub use crate::boundary::marker::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso;

    pub use crate::redact::{
        CountField, DisplayUnredacted, PointerField, Redacted, SerializeUnredacted, Unredacted,
        With, WithFn, binary_field, count_field, debug_field, debug_sized_field, debug_struct,
        debug_tuple, display_unredacted, lower_exp_field, lower_hex_field, octal_field,
        pointer_field, serialize_unredacted, skip_serializing_if, upper_exp_field, upper_hex_field,
    };
}

// Without the `testing` feature the canaries do not exist: neither the
// module nor the canary key ring's constructor compiles. The same two
// snippets are doctests either way: with the feature they must compile and
// run (so they are right), without it they must fail to compile (stable
// rustdoc does not check `compile_fail` error codes, so the run with the
// feature is what shows that nothing else makes them fail). A workspace
// test run enables the feature; `cargo test -p key-model --doc` runs them
// without it (`.ci/run` does both).
#[cfg(doctest)]
#[cfg_attr(feature = "testing", doc = "```")]
#[cfg_attr(not(feature = "testing"), doc = "```compile_fail")]
/// let canary = key_model::testing::Canary::new(1);
/// ```
///
#[cfg_attr(feature = "testing", doc = "```")]
#[cfg_attr(not(feature = "testing"), doc = "```compile_fail")]
/// use key_model::KeyRing;
/// use key_model::ring::{MemoryKeyStore, MemoryRootKey};
///
/// let with_canaries: fn(MemoryKeyStore, MemoryRootKey, &_) -> KeyRing =
///     key_model::testing::ring_with_canary_keys;
/// ```
struct CanariesOnlyWithTesting;

// The README's and the leak-canary guide's examples are doctests of the
// (unpublished) tests crate, `tests/src/lib.rs`: they live outside this
// package, so `include_str!` here would break the published crate.
