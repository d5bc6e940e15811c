//! What a redacting derive emits on error: the errors, and a stub impl
//! beside them (the policy is in `redact/mod.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::Derive;
use crate::dummy;
use crate::options::Krate;

/// The errors of one expansion, with the stub that goes beside them.
pub(crate) struct Fallback {
    error: syn::Error,
    stub: TokenStream,
}

impl Fallback {
    pub(crate) fn new(
        input: &syn::DeriveInput,
        derive: Derive,
        krate: &Krate,
        error: syn::Error,
    ) -> Fallback {
        Fallback {
            error,
            stub: stub(input, derive, krate),
        }
    }

    /// The errors, then the stub.
    pub(crate) fn into_tokens(self) -> TokenStream {
        let error = self.error.into_compile_error();
        let stub = self.stub;
        quote!(#error #stub)
    }
}

/// An impl whose body is never reached, so that the uses of the type do
/// not fail too.
pub(super) fn stub(input: &syn::DeriveInput, derive: Derive, krate: &Krate) -> TokenStream {
    let import = &krate.import;
    let s = krate
        .fresh
        .clone()
        .ident("S", proc_macro2::Span::call_site());
    let krate = &krate.path;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let fmt = |tr: TokenStream| {
        quote! {
            impl #impl_generics ::core::fmt::#tr for #ident #ty_generics #where_clause {
                fn fmt(&self, _: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    ::core::unreachable!()
                }
            }
        }
    };
    let item = match derive {
        Derive::Debug => fmt(quote!(Debug)),
        Derive::Display => fmt(quote!(Display)),
        Derive::Serialize => quote! {
            impl #impl_generics #krate::derive_support::serde::Serialize for #ident #ty_generics #where_clause {
                fn serialize<#s>(&self, _: #s) -> ::core::result::Result<#s::Ok, #s::Error>
                where
                    #s: #krate::derive_support::serde::Serializer,
                {
                    ::core::unreachable!()
                }
            }
        },
    };
    dummy::wrap(import, [item])
}
