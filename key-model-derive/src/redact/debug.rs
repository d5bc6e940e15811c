//! `RedactedDebug`: std's `#[derive(Debug)]` output, through the same
//! `Formatter::debug_struct` / `debug_tuple` builders (so `{:#?}` indents
//! the same way), with a zero-sized `Redacted` in place of each redacted
//! value.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::ast::{Body, Data, Input, Style};
use super::attr::Redact;
use super::bound::Bounds;
use super::{pattern, wrap};

pub(super) fn expand(input: &Input<'_>) -> TokenStream {
    let krate = &input.krate;
    let ident = input.ident();
    let generics = input.generics();
    let mut bounds = Bounds::new(generics);
    for field in input.all_fields() {
        if field.redact.is_none() {
            bounds.insert(field.ty, "Debug", &quote!(::core::fmt::Debug));
        }
    }
    let body = match &input.data {
        Data::Struct(body) => {
            let pat = pattern(&quote!(Self), body, |f| {
                !matches!(f.redact, Redact::Full | Redact::Skip)
            });
            let expr = write_body(krate, &ident.unraw().to_string(), body);
            quote!(match self { #pat => #expr })
        }
        Data::Enum(variants) if variants.is_empty() => quote!(match *self {}),
        Data::Enum(variants) => {
            let arms = variants.iter().map(|variant| {
                let v = variant.ident;
                let pat = pattern(&quote!(Self::#v), &variant.body, |f| {
                    !matches!(f.redact, Redact::Full | Redact::Skip)
                });
                let expr = write_body(krate, &v.unraw().to_string(), &variant.body);
                quote!(#pat => #expr,)
            });
            quote!(match self { #(#arms)* })
        }
    };
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let where_clause = bounds.where_clause();
    wrap(&quote! {
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Debug for #ident #ty_generics #where_clause {
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #body
            }
        }
    })
}

fn write_body(krate: &syn::Path, name: &str, body: &Body<'_>) -> TokenStream {
    if body.style == Style::Unit {
        return quote!(::core::fmt::Formatter::write_str(__f, #name));
    }
    let calls = body.fields.iter().filter_map(|field| {
        let value = match &field.redact {
            Redact::Skip => return None,
            Redact::None => {
                let binding = field.binding();
                quote!(&#binding)
            }
            Redact::Full => quote!(&#krate::__private::Redacted),
            Redact::With(path) => {
                let binding = field.binding();
                let ty = field.ty;
                // Spanned at the path, so a function of the wrong type is
                // reported there.
                quote_spanned!(path.span()=> &#krate::__private::With::<#ty>(#binding, #path))
            }
        };
        Some(match body.style {
            Style::Named => {
                let key = &field.name;
                quote!(::core::fmt::DebugStruct::field(&mut __builder, #key, #value);)
            }
            Style::Tuple | Style::Unit => {
                quote!(::core::fmt::DebugTuple::field(&mut __builder, #value);)
            }
        })
    });
    match body.style {
        Style::Named => quote!({
            let mut __builder = ::core::fmt::Formatter::debug_struct(__f, #name);
            #(#calls)*
            ::core::fmt::DebugStruct::finish(&mut __builder)
        }),
        Style::Tuple | Style::Unit => quote!({
            let mut __builder = ::core::fmt::Formatter::debug_tuple(__f, #name);
            #(#calls)*
            ::core::fmt::DebugTuple::finish(&mut __builder)
        }),
    }
}
