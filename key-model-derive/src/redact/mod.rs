//! The redacting derives: `RedactedDebug`, `RedactedDisplay`,
//! `RedactedSerialize` (G4).
//!
//! Parse → validate → expand: the container options (`crate::options`)
//! and a borrowed model of the input with what its attributes say (`ast`,
//! reading `attr`), the checks across the model (`valid`, which also
//! resolves `RedactedDisplay`'s format strings against the fields), then
//! the impl (`debug`, `display`, `serialize`). Every mistake of every stage
//! is collected in one `Ctxt`.
//!
//! # On error
//!
//! The errors and, beside them, a stub impl of the derived trait
//! (`fallback`, as thiserror's): one mistake gives one error, not a cascade
//! of "does not implement `Debug`" at every use of the type. A stub is
//! safe here because the traits are safe: its body is never reached, and
//! it promises nothing the compiler relies on (unlike the boundary kinds,
//! see `crate::boundary`).

mod ast;
mod attr;
mod bound;
mod case;
mod debug;
mod display;
mod fallback;
mod fmt;
mod serialize;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;

use self::ast::{Body, Field, Input};
use crate::ctxt::Ctxt;
use crate::options::Options;

pub(crate) use self::fallback::Fallback;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derive {
    Debug,
    Display,
    Serialize,
}

impl Derive {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Derive::Debug => "RedactedDebug",
            Derive::Display => "RedactedDisplay",
            Derive::Serialize => "RedactedSerialize",
        }
    }
}

/// `#[derive(Redacted<derive>)]` on `input`: the impl, or every error with
/// a stub (see the module doc).
pub(crate) fn expand(
    input: &syn::DeriveInput,
    tokens: &TokenStream,
    derive: Derive,
) -> Result<TokenStream, Fallback> {
    let cx = Ctxt::new();
    let options = Options::from_syn(&cx, input, tokens);
    crate::boundary::also_names(&cx, &options);
    // Without a `_` anywhere in the input no field's type has one.
    if options.krate.fresh.seen.underscore && has_placeholder_field(input) {
        // The compiler refused `_` at the field (E0121); an impl built
        // from it would add only follow-up errors, the stub none.
        return match cx.check() {
            Ok(()) => Ok(fallback::stub(input, derive, &options.krate)),
            Err(error) => Err(Fallback::new(input, derive, &options.krate, error)),
        };
    }
    let model = Input::from_syn(&cx, input, derive, &options.krate);
    let valid = model.as_ref().map(|model| valid::check(&cx, model, derive));
    let error = match (cx.check(), model, valid) {
        (Ok(()), Some(model), Some(valid)) => {
            return Ok(match derive {
                Derive::Debug => debug::expand(&model),
                Derive::Display => display::expand(&model, &valid.formats),
                Derive::Serialize => serialize::expand(&model),
            });
        }
        (Err(error), ..) => error,
        // `Input::from_syn` reports why it has no model.
        (Ok(()), ..) => syn::Error::new_spanned(input, "unsupported input"),
    };
    Err(Fallback::new(input, derive, &options.krate, error))
}

fn has_placeholder_field(input: &syn::DeriveInput) -> bool {
    let fields: Vec<&syn::Field> = match &input.data {
        syn::Data::Struct(data) => data.fields.iter().collect(),
        syn::Data::Enum(data) => data.variants.iter().flat_map(|v| v.fields.iter()).collect(),
        syn::Data::Union(data) => data.fields.named.iter().collect(),
    };
    fields
        .iter()
        .any(|field| crate::fresh::has_placeholder(&field.ty))
}

/// The pattern `path { member: binding, .. }` binding the fields that
/// `used` selects (a braced pattern fits every struct and variant kind).
fn pattern(path: &TokenStream, body: &Body<'_>, used: impl Fn(&Field<'_>) -> bool) -> TokenStream {
    let bound = body.fields.iter().filter(|f| used(f)).map(|f| {
        let member = &f.member;
        let binding = f.binding();
        quote!(#member: #binding)
    });
    quote!(#path { #(#bound,)* .. })
}

#[cfg(test)]
mod tests {
    use super::{Derive, expand};

    fn expansion(input: &syn::DeriveInput, derive: Derive) -> String {
        expand(input, &quote::ToTokens::to_token_stream(input), derive)
            .unwrap_or_else(super::Fallback::into_tokens)
            .to_string()
    }

    /// A `#[redact]` field is not even bound by the generated code: nothing
    /// it emits can format, serialize or copy the value.
    #[test]
    fn redacted_fields_are_never_bound() {
        let input: syn::DeriveInput = syn::parse_quote! {
            enum Login {
                #[display("{user}")]
                Password { user: String, #[redact] password: String },
                #[display("{0}")]
                Token(String, #[redact] String),
            }
        };
        for derive in [Derive::Debug, Derive::Display, Derive::Serialize] {
            let out = expansion(&input, derive);
            assert!(!out.contains("compile_error"), "{out}");
            assert!(!out.contains("__field_password"), "{out}");
            assert!(!out.contains("__field_1"), "{out}");
        }
        let debug = expansion(&input, Derive::Debug);
        assert!(debug.contains("__field_user"), "{debug}");
        assert!(
            debug.contains("key_model_crate :: derive_support :: Redacted"),
            "{debug}"
        );
    }
}
