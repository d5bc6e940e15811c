//! Derives for [key-model](https://docs.rs/key-model): secret-free boundary
//! types and redacting `Debug`, `Display` and `Serialize`.
//!
//! Use them through `key_model`, which re-exports them behind its default
//! `derive` feature.

// Shared by every derive. (Allowed dead until the first derive lands.)
#[allow(dead_code)]
mod crate_path;
#[allow(dead_code)]
mod ctxt;
mod redact;
#[allow(dead_code)]
mod symbol;

use proc_macro::TokenStream;

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
