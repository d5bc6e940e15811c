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
        //
        // `do_not_recommend` on the `SecretFree` impl keeps the compiler from
        // answering a field's error with "`SecretFree` is implemented for
        // <this DTO>", and keeps user types out of other errors' lists.
        //
        // No `const _: () = { .. }` around the impls: they declare no name
        // to hide, and the constant cost rustc 6 million instructions per
        // 50 DTOs (docs/performance.md).
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        unsafe impl #impl_generics #krate::SecretFree for #ident #ty_generics #where_clause {
            // Never called: type-checking the body is the proof. The impl
            // itself has no field bounds, so a field of type `Vec<Self>` is
            // proven by this very impl. `#[inline]`, so that no crate
            // generates machine code for it: a function nobody calls would
            // otherwise be compiled in every crate that derives
            // (docs/performance.md).
            #[inline]
            fn __key_model_assert_fields_secret_free() {
                let _ = (#(#checks)*);
            }
        }
        #(#kinds)*
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

#[cfg(test)]
mod tests {
    use super::{Kind, derive};

    fn expand(kind: Kind, src: &str) -> Result<String, String> {
        let input: syn::DeriveInput = syn::parse_str(src).expect("test input parses");
        derive(&input, kind)
            .map(|tokens| tokens.to_string())
            .map_err(|err| err.to_string())
    }

    #[test]
    fn every_path_goes_through_the_crate_option() {
        let out = expand(
            Kind::ApiDto,
            r#"#[key_model(crate = "renamed::km")] struct Page<T> { items: Vec<T> }"#,
        )
        .unwrap();
        assert!(!out.contains("key_model ::"), "{out}");
        assert!(
            out.contains("unsafe impl < T > renamed :: km :: SecretFree for Page < T > where T : renamed :: km :: SecretFree"),
            "{out}"
        );
        assert!(
            out.contains("unsafe impl < T > renamed :: km :: ApiDto for Page < T > where T : renamed :: km :: SecretFree"),
            "{out}"
        );
        assert!(
            out.contains("let _ = (< Vec < T > as renamed :: km :: SecretFree > :: __key_model_assert_fields_secret_free ,) ;"),
            "{out}"
        );
    }

    #[test]
    fn default_path_is_absolute() {
        let out = expand(Kind::SecretFree, "struct Unit;").unwrap();
        assert!(out.contains(":: key_model :: SecretFree for Unit"), "{out}");
        // The value-object derive implements no kind.
        assert!(!out.contains("ApiDto"), "{out}");
    }

    #[test]
    fn every_field_of_every_variant_is_checked_with_its_cfgs() {
        let out = expand(
            Kind::EventDto,
            "enum E { A { x: u8 }, #[cfg(feature = \"b\")] B(String, #[cfg(unix)] Vec<u16>), C }",
        )
        .unwrap();
        for check in [
            "let _ = (< u8 as :: key_model :: SecretFree >",
            ", # [cfg (feature = \"b\")] < String as :: key_model :: SecretFree >",
            ", # [cfg (feature = \"b\")] # [cfg (unix)] < Vec < u16 > as :: key_model :: SecretFree >",
        ] {
            assert!(out.contains(check), "missing {check} in {out}");
        }
    }

    #[test]
    fn also_adds_kinds_and_is_checked() {
        let out = expand(
            Kind::ApiDto,
            "#[key_model(also(AuditDto, EventDto))] struct S;",
        )
        .unwrap();
        assert_eq!(out.matches("SecretFree for S").count(), 1, "{out}");
        for kind in ["ApiDto for S", "AuditDto for S", "EventDto for S"] {
            assert!(out.contains(kind), "missing {kind} in {out}");
        }
        assert!(!out.contains("ExportDto"), "{out}");

        let err = expand(Kind::ApiDto, "#[key_model(also(ApiDto))] struct S;").unwrap_err();
        assert_eq!(err, "`ApiDto` is the derive itself; remove it from `also`");
        let err = expand(
            Kind::ApiDto,
            "#[key_model(also(EventDto, EventDto))] struct S;",
        )
        .unwrap_err();
        assert_eq!(err, "duplicate `EventDto`");
        let err = expand(Kind::ApiDto, "#[key_model(also(SecretFree))] struct S;").unwrap_err();
        assert!(err.starts_with("expected a boundary kind"), "{err}");
    }

    #[test]
    fn unions_are_an_error_not_a_panic() {
        let err = expand(Kind::SecretFree, "union U { a: u8, b: i8 }").unwrap_err();
        assert_eq!(
            err,
            "boundary derives do not support unions; use a struct or an enum"
        );
    }

    #[test]
    fn bad_options_produce_only_errors() {
        let err = expand(Kind::ApiDto, "#[key_model(crate = 1)] struct S;").unwrap_err();
        assert!(err.contains("expected string literal"), "{err}");
        let err = expand(
            Kind::ApiDto,
            r#"#[key_model(crate = "a", crate = "b")] struct S;"#,
        )
        .unwrap_err();
        assert_eq!(err, "duplicate `crate` option");
    }
}
