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
pub(crate) fn expand(input: &syn::DeriveInput, kind: Kind) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let options = Options::from_syn(&cx, &input.attrs);
    let also = valid::also(&cx, kind, &options);
    let model = ast::Input::from_syn(&cx, input);
    cx.check()?;
    let Some(model) = model else {
        return Err(syn::Error::new_spanned(input, "unsupported input"));
    };
    Ok(expand::impls(&model, kind, &also, &options.krate))
}
