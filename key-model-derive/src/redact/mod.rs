//! The redacting derives: `RedactedDebug`, `RedactedDisplay`,
//! `RedactedSerialize` (G4).
//!
//! Each expansion parses the input into a borrowed model (`ast`), reading
//! the attributes (`attr`), collects every mistake in one `Ctxt`, and then
//! either writes the impl (`debug`, `display`, `serialize`) or, when there
//! was a mistake, a stub impl beside the errors, so that one mistake gives
//! one error rather than a cascade of "does not implement `Debug`".

mod ast;
mod attr;
mod bound;
mod case;
mod debug;
mod display;
mod fmt;
mod serialize;

use proc_macro2::TokenStream;
use quote::quote;

use self::ast::{Body, Field, Input};
use crate::ctxt::Ctxt;

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

pub(crate) fn expand(input: &syn::DeriveInput, derive: Derive) -> TokenStream {
    let cx = Ctxt::new();
    let model = Input::from_syn(&cx, input, derive);
    let output = model.map(|model| match derive {
        Derive::Debug => debug::expand(&model),
        Derive::Display => display::expand(&cx, &model),
        Derive::Serialize => serialize::expand(&cx, &model),
    });
    match (cx.check(), output) {
        (Ok(()), Some(output)) => output,
        (Err(err), _) => {
            // Parsed again for the stub (a union has no model); its errors
            // were reported with the others.
            let krate_cx = Ctxt::new();
            let krate = crate::crate_path::crate_path(&krate_cx, &input.attrs);
            let _ = krate_cx.check();
            let stub = stub(input, derive, &krate);
            let err = err.into_compile_error();
            quote!(#err #stub)
        }
        (Ok(()), None) => unreachable!("no output without an error"),
    }
}

/// An impl whose body is never reached, emitted beside the errors so that
/// the uses of the type do not fail too.
fn stub(input: &syn::DeriveInput, derive: Derive, krate: &syn::Path) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let item = match derive {
        Derive::Debug | Derive::Display => {
            let tr = if derive == Derive::Debug {
                quote!(Debug)
            } else {
                quote!(Display)
            };
            quote! {
                impl #impl_generics ::core::fmt::#tr for #ident #ty_generics #where_clause {
                    fn fmt(&self, _: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        ::core::unreachable!()
                    }
                }
            }
        }
        Derive::Serialize => quote! {
            impl #impl_generics #krate::__private::serde::Serialize for #ident #ty_generics #where_clause {
                fn serialize<__S>(&self, _: __S) -> ::core::result::Result<__S::Ok, __S::Error>
                where
                    __S: #krate::__private::serde::Serializer,
                {
                    ::core::unreachable!()
                }
            }
        },
    };
    wrap(&quote!(#[automatically_derived] #item))
}

/// Wraps generated items in `const _: () = { ... };`, so that helper items
/// (the field markers) do not leak into the user's namespace.
fn wrap(items: &TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
        const _: () = {
            #items
        };
    }
}

/// A module of zero-sized types named after `fields`, for messages that
/// name the field (see `key_model::__private::SerializeUnredacted`).
fn markers<'a>(fields: impl IntoIterator<Item = &'a Field<'a>>) -> TokenStream {
    let mut seen = std::collections::BTreeSet::new();
    let markers: Vec<_> = fields
        .into_iter()
        .map(Field::marker)
        .filter(|m| seen.insert(m.to_string()))
        .collect();
    if markers.is_empty() {
        return TokenStream::new();
    }
    quote! {
        mod __fields {
            #(
                #[allow(non_camel_case_types, dead_code)]
                pub struct #markers;
            )*
        }
    }
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
        expand(input, derive).to_string()
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
            debug.contains(":: key_model :: __private :: Redacted"),
            "{debug}"
        );
    }

    #[test]
    fn crate_path_is_honoured() {
        let input: syn::DeriveInput = syn::parse_quote! {
            #[key_model(crate = "my::km")]
            struct Login { #[redact] password: String }
        };
        let out = expansion(&input, Derive::Serialize);
        assert!(
            out.contains("my :: km :: __private :: serde :: Serialize"),
            "{out}"
        );
        assert!(!out.contains(":: key_model"), "{out}");
    }

    /// On error, the errors come with a stub impl and nothing else.
    #[test]
    fn errors_come_with_a_stub() {
        let input: syn::DeriveInput = syn::parse_quote! {
            struct Login { #[redact(hide)] password: String }
        };
        let out = expansion(&input, Derive::Debug);
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("unreachable"), "{out}");
        assert!(!out.contains("debug_struct"), "{out}");
    }
}
