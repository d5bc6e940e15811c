//! The boundary derives: `SecretFree`, `ApiDto`, `EventDto`, `ExportDto`,
//! `AuditDto` (G2, G9).
//!
//! Each one reads the input into a borrowed model (`ast`), parses its
//! options (`attr`), and writes (`expand`) one `unsafe impl SecretFree` whose
//! hidden method asserts every field's type secret-free, plus the `unsafe
//! impl` of its kind. The `unsafe` token is generated here, so the derives
//! work in crates that `#![forbid(unsafe_code)]`, while a hand-written impl
//! there does not compile.

mod ast;
mod attr;
mod expand;

pub(crate) use expand::derive;

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
            Kind::SecretFree => "SecretFree",
            Kind::ApiDto => "ApiDto",
            Kind::EventDto => "EventDto",
            Kind::ExportDto => "ExportDto",
            Kind::AuditDto => "AuditDto",
        }
    }

    fn from_ident(ident: &syn::Ident) -> Option<Kind> {
        Kind::BOUNDARY.into_iter().find(|kind| ident == kind.name())
    }
}
