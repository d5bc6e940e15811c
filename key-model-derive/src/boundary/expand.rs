//! Writes the impls of a boundary derive.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ctxt::Ctxt;

use super::Kind;
use super::ast::Input;
use super::attr::Attrs;

/// Expands `#[derive(<kind>)]` on `input`: the proof that every field is
/// secret-free, `unsafe impl SecretFree`, and the kind's own `unsafe impl`
/// (plus any named in `#[key_model(also(...))]`). On any error, only the
/// errors: a stub of an `unsafe` impl would be a promise nobody checked.
pub(crate) fn derive(input: &syn::DeriveInput, kind: Kind) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let attrs = Attrs::from_syn(&cx, kind, &input.attrs);
    let model = Input::from_syn(&cx, input);
    cx.check()?;
    let Some(model) = model else {
        return Err(syn::Error::new_spanned(input, "unsupported input"));
    };
    Ok(expand(&model, kind, &attrs))
}

fn expand(input: &Input<'_>, kind: Kind, attrs: &Attrs) -> TokenStream {
    let krate = &attrs.krate;
    let ident = &input.original.ident;
    let generics = with_bounds(&input.original.generics, krate);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    // One call per field, spanned at the field's type and built from its own
    // tokens, so that an unsatisfied bound is reported at the field (and
    // through a type alias or a macro, at what the user wrote).
    let checks = input.fields.iter().map(|field| {
        let ty = field.ty;
        let cfgs = &field.cfgs;
        quote_spanned! {ty.span()=>
            #(#cfgs)*
            #krate::__private::assert_secret_free::<#ty>();
        }
    });

    let kinds = core::iter::once(kind)
        .chain(attrs.also.iter().copied())
        .filter(|kind| *kind != Kind::SecretFree)
        .map(|kind| {
            let name = format_ident!("{}", kind.name());
            quote! {
                #[automatically_derived]
                unsafe impl #impl_generics #krate::#name for #ident #ty_generics #where_clause {}
            }
        });

    quote! {
        // The `unsafe` tokens are this macro's own, not the user's: a crate
        // that forbids `unsafe_code` can derive, and cannot write the impl.
        const _: () = {
            #[automatically_derived]
            unsafe impl #impl_generics #krate::SecretFree for #ident #ty_generics #where_clause {
                // Never called: type-checking the body is the proof. The
                // impl itself has no field bounds, so a field of type
                // `Vec<Self>` is proven by this very impl.
                fn __key_model_assert_fields_secret_free() {
                    #(#checks)*
                }
            }
            #(#kinds)*
        };
    }
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
