//! Derives for [key-model](https://docs.rs/key-model): secret-free boundary
//! types and redacting `Debug`, `Display` and `Serialize`.
//!
//! Use them through `key_model`, which re-exports them behind its default
//! `derive` feature; the traits they implement, and their documentation,
//! are there.

mod boundary;
mod crate_path;
mod ctxt;
mod redact;
mod symbol;

use proc_macro::TokenStream;

use boundary::Kind;

fn boundary_derive(input: TokenStream, kind: Kind) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    boundary::derive(&input, kind)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
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
#[proc_macro_derive(SecretFree, attributes(key_model))]
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
#[proc_macro_derive(ApiDto, attributes(key_model))]
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
#[proc_macro_derive(EventDto, attributes(key_model))]
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
#[proc_macro_derive(ExportDto, attributes(key_model))]
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
#[proc_macro_derive(AuditDto, attributes(key_model))]
pub fn derive_audit_dto(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::AuditDto)
}

/// Derives a `Debug` that prints what `#[derive(Debug)]` prints, with
/// `[REDACTED]` in place of each `#[redact]` field's value. Use it through
/// `key_model::RedactedDebug`, where it is documented with examples.
#[proc_macro_derive(RedactedDebug, attributes(redact, key_model))]
pub fn derive_redacted_debug(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    redact::expand(&input, redact::Derive::Debug).into()
}

/// Derives a `Display` from a `#[display("...")]` format string that cannot
/// name a redacted field. Use it through `key_model::RedactedDisplay`, where
/// it is documented with examples.
#[proc_macro_derive(RedactedDisplay, attributes(display, redact, key_model))]
pub fn derive_redacted_display(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    redact::expand(&input, redact::Derive::Display).into()
}

/// Derives a `Serialize` that writes what serde's derive writes, with
/// `"[REDACTED]"` in place of each `#[redact]` field's value. Use it through
/// `key_model::RedactedSerialize`, where it is documented with examples.
#[proc_macro_derive(RedactedSerialize, attributes(redact, serde, key_model))]
pub fn derive_redacted_serialize(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    redact::expand(&input, redact::Derive::Serialize).into()
}
