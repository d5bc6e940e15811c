//! Writes the impls of a boundary derive.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::dummy;

use super::Kind;
use super::ast::Input;

/// The impls of `#[derive(<kind>)]` on a valid `input`: the proof that every
/// field is secret-free, `unsafe impl SecretFree`, and the `unsafe impl` of
/// `kind` and of each kind in `also`.
pub(crate) fn impls(
    input: &Input<'_>,
    kind: Kind,
    also: &[Kind],
    krate: &syn::Path,
) -> TokenStream {
    let ident = &input.original.ident;
    let generics = with_bounds(&input.original.generics, krate);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    // One check per field, spanned at the field's type and built from its
    // own tokens, so that an unsatisfied bound is reported at the field (and
    // through a type alias or a macro, at what the user wrote). It names the
    // trait through the same path as the impl: were `crate = "..."` pointed
    // at a look-alike module, the check could not be made toothless while
    // the impl stayed real. The checks are the elements of one tuple (a
    // field's `#[cfg]` removes its element), not a `let` each: 14.7 million
    // fewer rustc instructions for 50 DTOs of 10 fields (docs/performance.md).
    let checks = input.fields.iter().map(|field| {
        let ty = field.ty;
        let cfgs = &field.cfgs;
        quote_spanned! {ty.span()=>
            #(#cfgs)*
            <#ty as #krate::SecretFree>::__key_model_assert_fields_secret_free,
        }
    });

    // The `unsafe` tokens are this macro's own, not the user's: a crate
    // that forbids `unsafe_code` can derive, and cannot write the impl.
    //
    // `do_not_recommend` on the `SecretFree` impl keeps the compiler from
    // answering a field's error with "`SecretFree` is implemented for
    // <this DTO>", and keeps user types out of other errors' lists.
    let secret_free = quote! {
        #[diagnostic::do_not_recommend]
        unsafe impl #impl_generics #krate::SecretFree for #ident #ty_generics #where_clause {
            // Never called: type-checking the body is the proof. The
            // impl itself has no field bounds, so a field of type
            // `Vec<Self>` is proven by this very impl. `#[inline]`, so
            // that no crate generates machine code for it: a function
            // nobody calls would otherwise be compiled in every crate
            // that derives (docs/performance.md).
            #[inline]
            fn __key_model_assert_fields_secret_free() {
                let _ = (#(#checks)*);
            }
        }
    };
    let kinds = core::iter::once(kind)
        .chain(also.iter().copied())
        .filter(|kind| *kind != Kind::SecretFree)
        .map(|kind| {
            let name = syn::Ident::new(kind.name(), Span::call_site());
            quote! {
                unsafe impl #impl_generics #krate::#name for #ident #ty_generics #where_clause {}
            }
        });
    dummy::wrap(
        &TokenStream::new(),
        core::iter::once(secret_free).chain(kinds),
    )
}

/// The input's generics, with `T: SecretFree` for every type parameter `T`:
/// `Page<T>` is secret-free only for a secret-free `T`, so `Page<KeyMaterial>`
/// fails where it is used.
fn with_bounds(generics: &syn::Generics, krate: &syn::Path) -> syn::Generics {
    let mut generics = generics.clone();
    let params: Vec<syn::Ident> = generics.type_params().map(|p| p.ident.clone()).collect();
    let where_clause = generics.make_where_clause();
    for param in params {
        where_clause
            .predicates
            .push(syn::parse_quote!(#param: #krate::SecretFree));
    }
    generics
}
