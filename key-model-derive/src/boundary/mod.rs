//! The boundary derives: `SecretFree`, `ApiDto`, `EventDto`, `ExportDto`,
//! `AuditDto` (G2, G9).
//!
//! Parse → validate → expand: the container options (`crate::options`),
//! the borrowed model of the fields (`ast`), the check of `also(...)`
//! against the derive (`valid`), then (`expand`) one `unsafe impl
//! SecretFree` whose hidden method asserts every field's type secret-free,
//! plus the `unsafe impl` of each kind. The `unsafe` token is generated
//! here, so the derives work in crates that `#![forbid(unsafe_code)]`,
//! while a hand-written impl there does not compile.
//!
//! # On error
//!
//! Errors only, every one collected, and no impl at all: a stub of an
//! `unsafe impl` would be a promise nobody checked (zerocopy-derive's rule).
//! The cascade this costs (uses of the type that need the trait fail too)
//! is the price of never emitting an unchecked `unsafe impl`.

mod ast;
mod expand;
mod valid;

pub(crate) use valid::also_names;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;
use crate::options::Options;
use crate::symbol::{API_DTO, AUDIT_DTO, EVENT_DTO, EXPORT_DTO, SECRET_FREE};

/// The trait a boundary derive implements.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    SecretFree,
    ApiDto,
    EventDto,
    ExportDto,
    AuditDto,
}

impl Kind {
    /// The kinds `#[key_model(also(...))]` may name.
    const BOUNDARY: [Kind; 4] = [
        Kind::ApiDto,
        Kind::EventDto,
        Kind::ExportDto,
        Kind::AuditDto,
    ];

    /// The trait's name in key-model, which is also the derive's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::SecretFree => SECRET_FREE,
            Kind::ApiDto => API_DTO,
            Kind::EventDto => EVENT_DTO,
            Kind::ExportDto => EXPORT_DTO,
            Kind::AuditDto => AUDIT_DTO,
        }
    }

    fn from_ident(ident: &syn::Ident) -> Option<Kind> {
        Kind::BOUNDARY.into_iter().find(|kind| ident == kind.name())
    }
}

/// `#[derive(<kind>)]` on `input`: the impls, or every error (see the
/// module doc for why nothing else).
pub(crate) fn expand(
    input: &syn::DeriveInput,
    tokens: &TokenStream,
    kind: Kind,
) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let options = Options::from_syn(&cx, input, tokens);
    let also = valid::also(&cx, kind, &options);
    valid::no_redact(&cx, kind, &also, input);
    valid::one_kind_derive(&cx, kind, input);
    let model = ast::Input::from_syn(&cx, input);
    cx.check()?;
    let Some(model) = model else {
        return Err(syn::Error::new_spanned(input, "unsupported input"));
    };
    Ok(expand::impls(&model, kind, &also, &options.krate))
}

#[cfg(test)]
mod tests {
    use super::{Kind, expand as derive};

    fn expand(kind: Kind, src: &str) -> Result<String, String> {
        let input: syn::DeriveInput = syn::parse_str(src).expect("test input parses");
        derive(&input, &quote::ToTokens::to_token_stream(&input), kind)
            .map(|tokens| tokens.to_string())
            .map_err(|err| err.to_string())
    }

    /// What `also` adds is in the golden files; here, what it refuses.
    #[test]
    fn also_is_checked() {
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

    /// Every form of `#[redact]`, on a field of every shape, a variant or
    /// the type, is one error each.
    #[test]
    fn redact_is_refused_everywhere() {
        for src in [
            "struct S { #[redact] a: String }",
            "struct S(#[redact(skip)] String);",
            "enum E { A { #[redact(with = f)] a: String } }",
            "enum E { #[redact] A(u8) }",
            "#[redact] struct S;",
        ] {
            for kind in [Kind::SecretFree, Kind::ApiDto, Kind::AuditDto] {
                let err = expand(kind, src).unwrap_err();
                assert!(
                    err.contains("marked `#[redact]` is a secret"),
                    "{src}: {err}"
                );
                assert!(err.contains(kind.name()), "{src}: {err}");
            }
        }
        let err = expand(
            Kind::SecretFree,
            "#[key_model(also(EventDto))] struct S { #[redact] a: String }",
        )
        .unwrap_err();
        assert!(err.contains("`SecretFree` + `EventDto`"), "{err}");
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
