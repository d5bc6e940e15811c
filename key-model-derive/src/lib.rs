//! Derives for [key-model](https://docs.rs/key-model): secret-free boundary
//! types and redacting `Debug`, `Display` and `Serialize`.
//!
//! Use them through `key_model`, which re-exports them behind its default
//! `derive` feature; the traits they implement, and their documentation,
//! are there.

mod boundary;
mod crate_path;
mod ctxt;
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
#[proc_macro_derive(SecretFree, attributes(key_model))]
pub fn derive_secret_free(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::SecretFree)
}

/// Implements `key_model::ApiDto` (and `SecretFree`) after proving every
/// field's type secret-free.
#[proc_macro_derive(ApiDto, attributes(key_model))]
pub fn derive_api_dto(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::ApiDto)
}

/// Implements `key_model::EventDto` (and `SecretFree`) after proving every
/// field's type secret-free.
#[proc_macro_derive(EventDto, attributes(key_model))]
pub fn derive_event_dto(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::EventDto)
}

/// Implements `key_model::ExportDto` (and `SecretFree`) after proving every
/// field's type secret-free.
#[proc_macro_derive(ExportDto, attributes(key_model))]
pub fn derive_export_dto(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::ExportDto)
}

/// Implements `key_model::AuditDto` (and `SecretFree`) after proving every
/// field's type secret-free.
#[proc_macro_derive(AuditDto, attributes(key_model))]
pub fn derive_audit_dto(input: TokenStream) -> TokenStream {
    boundary_derive(input, Kind::AuditDto)
}
