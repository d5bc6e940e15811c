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
//!   and the [`sink`]s accept nothing else.
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
//! The guarantees, their mechanisms and their limits are written down in
//! `docs/guarantees.md`.

mod error;
mod id;
mod lifecycle;
mod marker;
mod material;
pub mod policy;
mod redact;
mod scope;
pub mod sink;
#[cfg(feature = "testing")]
pub mod testing;
mod time;

pub use error::{Error, ParseError, ParseErrorKind};
pub use id::{KeyName, KeyPurpose, KeyRef, KeyVersion, MAX_SLUG_LEN, TenantId};
pub use lifecycle::{
    KeyMetadata, KeyOrigin, KeyState, StateKind, Transition, TransitionError, UnrecognizedState,
};
pub use marker::{ApiDto, AuditDto, EventDto, ExportDto, SecretFree};
pub use material::KeyMaterial;
pub use policy::{Operation, Refusal};
pub use scope::TenantScope;
pub use time::Timestamp;

/// The boundary derives. Each one proves every field's type [`SecretFree`]
/// and implements its trait (a derive and a trait share a name, as serde's
/// `Serialize` does). See `docs/boundary.md`.
#[cfg(feature = "derive")]
pub use key_model_derive::{ApiDto, AuditDto, EventDto, ExportDto, SecretFree};

/// Derives `Debug` for a type that holds a secret: the output is exactly
/// what `#[derive(Debug)]` prints (through the same `debug_struct` /
/// `debug_tuple` builders, so `{:#?}` too), with `[REDACTED]` in place of
/// each `#[redact]` field's value. The value is never formatted.
///
/// Field attributes, shared with [`RedactedDisplay`] and
/// [`RedactedSerialize`]:
///
/// - `#[redact]`: `[REDACTED]` in place of the value;
/// - `#[redact(skip)]`: the field is left out;
/// - `#[redact(with = path)]`: `path(&field, formatter)` writes whatever it
///   chooses to reveal; `path` is a
///   `fn(&T, &mut core::fmt::Formatter<'_>) -> core::fmt::Result`, so the
///   library never formats the value first.
///
/// `Debug` bounds are added only for type parameters that a field written
/// as is mentions. Unions and `#[repr(packed)]` types are refused.
///
/// ```
/// use key_model::{KeyMaterial, RedactedDebug};
///
/// fn last_four(number: &String, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
///     f.write_str(&number[number.len() - 4..])
/// }
///
/// #[derive(RedactedDebug)]
/// struct Entry {
///     tenant: String,
///     #[redact]
///     key: KeyMaterial,
///     #[redact(with = last_four)]
///     card: String,
///     #[redact(skip)]
///     scratch: Vec<u8>,
/// }
///
/// let entry = Entry {
///     tenant: "acme".into(),
///     key: KeyMaterial::generate()?,
///     card: "4111111111111111".into(),
///     scratch: vec![1, 2, 3],
/// };
/// assert_eq!(
///     format!("{entry:?}"),
///     r#"Entry { tenant: "acme", key: [REDACTED], card: 1111 }"#,
/// );
/// assert_eq!(
///     format!("{entry:#?}"),
///     "Entry {\n    tenant: \"acme\",\n    key: [REDACTED],\n    card: 1111,\n}",
/// );
/// # Ok::<(), key_model::Error>(())
/// ```
#[cfg(feature = "derive")]
pub use key_model_derive::RedactedDebug;

/// Derives `Display` from a format string, `#[display("...")]` on a struct
/// or on each variant of an enum, with std's `format!` syntax: fields by
/// name (`{id}`), tuple fields by position (`{0}`, `{}`), and format specs
/// (`{count:>4}`, `{value:.prec$}`, `{0:?}`).
///
/// A placeholder that names a `#[redact]` or `#[redact(skip)]` field, or a
/// field that does not exist, is a compile error. A `#[redact(with = path)]`
/// field is displayed by its function. A field displayed as is whose type
/// has no `Display` (`KeyMaterial`, secrecy's secrets) is a compile error on
/// the field that says to add `#[redact]`.
///
/// ```
/// use key_model::{KeyMaterial, KeyRef, RedactedDisplay};
///
/// #[derive(RedactedDisplay)]
/// #[display("session {id:>4} under {encryption_key_ref}")]
/// struct Session {
///     id: u64,
///     encryption_key_ref: KeyRef,
///     #[redact]
///     key: KeyMaterial,
/// }
///
/// #[derive(RedactedDisplay)]
/// enum Credential {
///     #[display("token for {0}")]
///     Token(String, #[redact] secrecy::SecretString),
///     #[display("none")]
///     None,
/// }
///
/// let session = Session {
///     id: 42,
///     encryption_key_ref: "tenants/acme/keys/ssh-session-recording/versions/3".parse()?,
///     key: KeyMaterial::generate()?,
/// };
/// assert_eq!(
///     session.to_string(),
///     "session   42 under tenants/acme/keys/ssh-session-recording/versions/3",
/// );
/// assert_eq!(
///     Credential::Token("ada".into(), "hunter2".into()).to_string(),
///     "token for ada",
/// );
/// # Ok::<(), key_model::Error>(())
/// ```
///
/// Naming the secret does not compile:
///
/// ```compile_fail
/// #[derive(key_model::RedactedDisplay)]
/// #[display("key {key}")]
/// struct Entry {
///     #[redact]
///     key: key_model::KeyMaterial,
/// }
/// ```
#[cfg(feature = "derive")]
pub use key_model_derive::RedactedDisplay;

/// Derives `Serialize` for a type that holds a secret: the output is
/// exactly what serde's `#[derive(Serialize)]` writes (same data model,
/// field order and external enum tagging), with the string `"[REDACTED]"`
/// in place of each `#[redact]` field's value. The value is never
/// serialized. Users need not depend on serde themselves.
///
/// `#[redact(skip)]` leaves the field out; `#[redact(with = path)]` writes
/// the text `path` writes (see [`RedactedDebug`]) as a string, streamed
/// through `Serializer::collect_str`.
///
/// It reads serde's own attributes: container `rename`, `rename_all`,
/// `rename_all_fields`; variant `rename`, `rename_all`, `skip`,
/// `skip_serializing`; field `rename`, `skip`, `skip_serializing`,
/// `skip_serializing_if` (each also in the `(serialize = "...")` form).
/// Options that only concern `Deserialize` (`default`, `alias`,
/// `deny_unknown_fields`, ...) are left to serde. Options that change the
/// shape of the output and that it does not reproduce (`tag`, `content`,
/// `untagged`, `transparent`, `into`, `remote`, `flatten`,
/// `serialize_with`, `with`, `getter`) are compile errors rather than being
/// silently ignored.
///
/// A field serialized as is whose type does not implement `Serialize`
/// (`KeyMaterial`, secrecy's `SecretBox`, `SecretString`, `SecretSlice`)
/// is a compile error on the field that names it and says to add
/// `#[redact]`.
///
/// ```
/// use key_model::{KeyMaterial, RedactedSerialize};
///
/// #[derive(RedactedSerialize)]
/// #[serde(rename_all = "camelCase")]
/// struct Entry {
///     tenant_id: String,
///     #[redact]
///     key_material: KeyMaterial,
///     #[redact(skip)]
///     scratch: Vec<u8>,
/// }
///
/// let entry = Entry {
///     tenant_id: "acme".into(),
///     key_material: KeyMaterial::generate()?,
///     scratch: vec![1, 2, 3],
/// };
/// assert_eq!(
///     serde_json::to_string(&entry).unwrap(),
///     r#"{"tenantId":"acme","keyMaterial":"[REDACTED]"}"#,
/// );
/// # Ok::<(), key_model::Error>(())
/// ```
///
/// Forgetting `#[redact]` on a secret does not compile:
///
/// ```compile_fail
/// #[derive(key_model::RedactedSerialize)]
/// struct Entry {
///     key: key_model::KeyMaterial,
/// }
/// ```
#[cfg(feature = "derive")]
pub use key_model_derive::RedactedSerialize;

/// Support for code generated by key-model-derive. Not public API: it may
/// change in any release.
#[doc(hidden)]
pub mod __private {
    pub use serde;

    pub use crate::redact::{
        DisplayUnredacted, Redacted, SerializeUnredacted, Unredacted, With, WithFn,
        display_unredacted,
    };
}

// The README's examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
