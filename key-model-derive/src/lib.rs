//! Derives for the `key-model` crate: secret-free boundary
//! types and redacting `Debug`, `Display` and `Serialize`.
//!
//! Use them through `key_model`, which re-exports them behind its default
//! `derive` feature; the traits they implement, and their documentation,
//! are there.
#![forbid(unsafe_code)]

mod boundary;
mod ctxt;
mod dummy;
mod fresh;
mod options;
mod redact;
mod span;
mod symbol;

#[cfg(test)]
mod golden;

use proc_macro::TokenStream;

use boundary::Kind;
use redact::Derive;

// Each half states what it emits on error in its module doc. These two
// are what the derives below emit, on `proc_macro2` tokens so that the
// golden tests run them outside a compiler. `tokens` is the input as
// written, which `crate::fresh` walks: the compiler's own tokens, where
// printing the parsed input back into tokens to walk them cost a third
// of the walk (docs/performance.md).

fn boundary_tokens(
    input: &syn::DeriveInput,
    tokens: &proc_macro2::TokenStream,
    kind: Kind,
) -> proc_macro2::TokenStream {
    boundary::expand(input, tokens, kind).unwrap_or_else(syn::Error::into_compile_error)
}

fn redact_tokens(
    input: &syn::DeriveInput,
    tokens: &proc_macro2::TokenStream,
    derive: Derive,
) -> proc_macro2::TokenStream {
    redact::expand(input, tokens, derive).unwrap_or_else(redact::Fallback::into_tokens)
}

fn boundary_derive(input: TokenStream, kind: Kind) -> TokenStream {
    let tokens = proc_macro2::TokenStream::from(input.clone());
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    boundary_tokens(&input, &tokens, kind).into()
}

fn redact_derive(input: TokenStream, derive: Derive) -> TokenStream {
    let tokens = proc_macro2::TokenStream::from(input.clone());
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    redact_tokens(&input, &tokens, derive).into()
}

/// Implements `key_model::SecretFree` after proving every field's type
/// secret-free. For plain value types nested in boundary types.
///
/// ```
/// use key_model::{ApiDto, KeyRef, SecretFree};
///
/// #[derive(serde::Serialize, SecretFree)]
/// struct Recording {
///     bytes: u64,
///     encryption_key_ref: KeyRef,
/// }
///
/// #[derive(serde::Serialize, ApiDto)]
/// struct Session {
///     recordings: Vec<Recording>,
/// }
/// ```
///
/// A field that may hold a secret is a compile error at that field:
///
/// ```compile_fail,E0277
/// #[derive(key_model::SecretFree)]
/// struct Wrapped {
///     key: key_model::KeyMaterial,
/// }
/// ```
///
/// Options: `#[key_model(crate = "path")]` when key-model is renamed or
/// re-exported; `#[key_model(also(ApiDto, ...))]` to implement boundary
/// kinds as well.
#[proc_macro_derive(SecretFree, attributes(key_model, redact))]
pub fn derive_secret_free(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::SecretFree)
}

/// Implements `key_model::ApiDto` (and `SecretFree`) after proving every
/// field's type secret-free, so the type can be sent as an API body.
///
/// ```
/// use key_model::{ApiDto, KeyRef};
///
/// #[derive(serde::Serialize, ApiDto)]
/// struct KeyResponse {
///     encryption_key_ref: KeyRef,
///     enabled: bool,
/// }
///
/// let body = KeyResponse {
///     encryption_key_ref: "tenants/acme/keys/audit-export/versions/1".parse()?,
///     enabled: true,
/// };
/// key_model::sink::api_json(&body)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// One type of several kinds derives one and names the others (two kind
/// derives on one type would both implement `SecretFree`):
///
/// ```
/// #[derive(serde::Serialize, key_model::ApiDto)]
/// #[key_model(also(EventDto, AuditDto))]
/// struct KeyRotated {
///     new_primary: key_model::KeyRef,
/// }
/// ```
#[proc_macro_derive(ApiDto, attributes(key_model, redact))]
pub fn derive_api_dto(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::ApiDto)
}

/// Implements `key_model::EventDto` (and `SecretFree`) after proving every
/// field's type secret-free, so the type can be sent as an event payload.
///
/// ```
/// use key_model::{EventDto, KeyRef, TenantId};
///
/// #[derive(serde::Serialize, EventDto)]
/// struct KeyRotated {
///     new_primary: KeyRef,
/// }
///
/// let tenant: TenantId = "acme".parse()?;
/// let event = KeyRotated { new_primary: "tenants/acme/keys/audit-export/versions/2".parse()? };
/// key_model::sink::event_json(&tenant, "key.rotated", &event)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[proc_macro_derive(EventDto, attributes(key_model, redact))]
pub fn derive_event_dto(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::EventDto)
}

/// Implements `key_model::ExportDto` (and `SecretFree`) after proving every
/// field's type secret-free, so the type can be sent as an export row.
///
/// ```
/// use key_model::ExportDto;
///
/// #[derive(serde::Serialize, ExportDto)]
/// struct SessionRow {
///     session_id: String,
///     bytes: u64,
/// }
///
/// let mut csv = key_model::sink::CsvWriter::new(Vec::new());
/// csv.write(&SessionRow { session_id: "s-1".into(), bytes: 10 })?;
/// assert_eq!(csv.into_inner()?, b"session_id,bytes\r\ns-1,10\r\n");
/// # Ok::<(), key_model::sink::SinkError>(())
/// ```
#[proc_macro_derive(ExportDto, attributes(key_model, redact))]
pub fn derive_export_dto(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::ExportDto)
}

/// Implements `key_model::AuditDto` (and `SecretFree`) after proving every
/// field's type secret-free, so the type can be sent as an audit record.
///
/// ```
/// use key_model::{AuditDto, KeyRef, TenantId, Timestamp};
///
/// #[derive(serde::Serialize, AuditDto)]
/// struct KeyDisabled {
///     actor: String,
///     key: KeyRef,
/// }
///
/// let tenant: TenantId = "acme".parse()?;
/// let mut audit = key_model::sink::AuditWriter::new(Vec::new());
/// audit.write(&tenant, Timestamp::now(), &KeyDisabled {
///     actor: "ops@acme".into(),
///     key: "tenants/acme/keys/audit-export/versions/1".parse()?,
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[proc_macro_derive(AuditDto, attributes(key_model, redact))]
pub fn derive_audit_dto(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::AuditDto)
}

/// Implements `Debug` for a type that holds a secret: the output is exactly
/// what `#[derive(Debug)]` prints (through the same `debug_struct` /
/// `debug_tuple` builders, so `{:#?}` too), with `[REDACTED]` in place of
/// each `#[redact]` field's value. The value is never formatted.
///
/// Field attributes, shared with `RedactedDisplay` and `RedactedSerialize`:
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
///
/// Option: `#[key_model(crate = "path")]` when key-model is renamed or
/// re-exported.
#[proc_macro_derive(RedactedDebug, attributes(redact, key_model))]
pub fn derive_redacted_debug(input: TokenStream) -> TokenStream {
    redact_derive(input, Derive::Debug)
}

/// Implements `Display` from a format string, `#[display("...")]` on a
/// struct or on each variant of an enum, with std's `format!` syntax:
/// fields by name (`{id}`), tuple fields by position (`{0}`, `{}`), and
/// format specs (`{count:>4}`, `{value:.prec$}`, `{0:?}`).
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
///     #[display("key for {0}")]
///     Key(String, #[redact] KeyMaterial),
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
/// let credential = Credential::Key("acme".into(), KeyMaterial::generate()?);
/// assert_eq!(credential.to_string(), "key for acme");
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
#[proc_macro_derive(RedactedDisplay, attributes(display, redact, key_model))]
pub fn derive_redacted_display(input: TokenStream) -> TokenStream {
    redact_derive(input, Derive::Display)
}

/// Implements `Serialize` for a type that holds a secret: the output is
/// exactly what serde's `#[derive(Serialize)]` writes (same data model,
/// field order and external enum tagging), with the string `"[REDACTED]"`
/// in place of each `#[redact]` field's value. The value is never
/// serialized. Users need not depend on serde themselves.
///
/// `#[redact(skip)]` leaves the field out; `#[redact(with = path)]` writes
/// the text `path` writes (see `RedactedDebug`) as a string, streamed
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
///     serde_json::to_string(&entry)?,
///     r#"{"tenantId":"acme","keyMaterial":"[REDACTED]"}"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Forgetting `#[redact]` on a secret does not compile:
///
/// ```compile_fail,E0277
/// #[derive(key_model::RedactedSerialize)]
/// struct Entry {
///     key: key_model::KeyMaterial,
/// }
/// ```
#[proc_macro_derive(RedactedSerialize, attributes(redact, serde, key_model))]
pub fn derive_redacted_serialize(input: TokenStream) -> TokenStream {
    redact_derive(input, Derive::Serialize)
}
