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
use super::pattern;
use crate::dummy;
use crate::span::{impl_header, kept, path_at, respan_except, type_span};

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
            let expr = write_body(krate, &ident.unraw().to_string(), body, true);
            quote!(match self { #pat => #expr })
        }
        Data::Enum(variants) if variants.is_empty() => quote!(match *self {}),
        Data::Enum(variants) => {
            let arms = variants.iter().map(|variant| {
                let v = variant.ident;
                let pat = pattern(&quote!(Self::#v), &variant.body, |f| {
                    !matches!(f.redact, Redact::Full | Redact::Skip)
                });
                let expr = write_body(krate, &v.unraw().to_string(), &variant.body, false);
                quote!(#pat => #expr,)
            });
            quote!(match self { #(#arms)* })
        }
    };
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let where_clause = bounds.where_clause();
    let header = impl_header(
        quote!(impl #impl_generics ::core::fmt::Debug for #ident #ty_generics),
        ident,
    );
    dummy::wrap(
        &input.import,
        [quote! {
            #header #where_clause {
                // As std's derive: the impl is compiled where it is used, not
                // in every crate that declares such a type.
                #[inline]
                fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    #body
                }
            }
        }],
    )
}

/// One call into key-model per struct or variant, with the names and the
/// values as arrays, as std's derive makes one call to
/// `Formatter::debug_struct_fields_finish` (unstable to other crates): a
/// builder call per field made the generated function several times
/// larger, and slower to compile, for the same output (docs/performance.md).
///
/// A value is its binding (a `&T`) as is, so the formatter calls `T`'s
/// `Debug` directly; only the last field of a struct, which may be unsized
/// (`str`, `[T]`, a `T: ?Sized`), goes behind one more reference, as in std's
/// derive. A reference to each binding cost one more dynamic call per field
/// (`<&T as Debug>::fmt`): 3.7% of a 3-field write (docs/performance.md).
fn write_body(krate: &syn::Path, name: &str, body: &Body<'_>, unsized_tail: bool) -> TokenStream {
    if body.style == Style::Unit {
        return quote!(::core::fmt::Formatter::write_str(__f, #name));
    }
    let last = body.fields.len().saturating_sub(1);
    let written: Vec<_> = body
        .fields
        .iter()
        .enumerate()
        .filter(|(_, field)| !matches!(field.redact, Redact::Skip))
        .collect();
    let values = written.iter().map(|&(index, field)| match &field.redact {
        Redact::None | Redact::Skip => {
            // Through a call that needs `Debug`, spanned at the field's
            // type (all but the binding): a type without `Debug` is then
            // reported at the field, as std's derive does, not at the
            // derive.
            let binding = field.binding();
            let ty = field.ty;
            // Made at the type's span, each token as `respan_except` would
            // move it, rather than made and then walked: the walk crossed
            // the compiler's bridge token by token (docs/performance.md).
            let span = type_span(ty);
            let krate = path_at(krate, span);
            let ty = respan_except(quote!(#ty), span, &[&binding]);
            let binding = kept(&binding, span);
            // A sized field's binding (a `&T`) is passed as is, so that it
            // is formatted by `T`'s own `Debug`, not through `<&T as
            // Debug>`: one call fewer per field (docs/performance.md). Only
            // a struct's last field may be unsized, and goes through `&T`.
            if unsized_tail && index == last {
                quote_spanned!(span=> #krate::derive_support::debug_field::<#ty>(&#binding))
            } else {
                quote_spanned!(span=> #krate::derive_support::debug_sized_field::<#ty>(#binding))
            }
        }
        Redact::Full => quote!(&#krate::derive_support::Redacted),
        Redact::With(path) => {
            let binding = field.binding();
            let ty = field.ty;
            // Spanned at the path, so a function of the wrong type is
            // reported there.
            quote_spanned!(path.span()=> &#krate::derive_support::With::<#ty>(#binding, #path))
        }
    });
    match body.style {
        Style::Named => {
            let names = written.iter().map(|(_, field)| &field.name);
            quote!(#krate::derive_support::debug_struct(__f, #name, &[#(#names),*], &[#(#values),*]))
        }
        Style::Tuple | Style::Unit => {
            quote!(#krate::derive_support::debug_tuple(__f, #name, &[#(#values),*]))
        }
    }
}
