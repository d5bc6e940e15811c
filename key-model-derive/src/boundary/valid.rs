//! Checks of the input against the derive: `also(...)` names boundary
//! kinds other than the derive's own, each once; and nothing is marked
//! `#[redact]`.

use crate::ctxt::Ctxt;
use crate::options::Options;
use crate::symbol::{DERIVE, REDACT};

use super::Kind;

/// The kinds to implement besides `kind`, in the order given; every name
/// that is not one is reported to `cx` at its token.
pub(crate) fn also(cx: &Ctxt, kind: Kind, options: &Options) -> Vec<Kind> {
    let mut also = Vec::new();
    for path in options.also.iter().flat_map(|option| &option.kinds) {
        let Some(ident) = path.get_ident() else {
            cx.error_spanned_by(path, EXPECTED_KIND);
            continue;
        };
        match Kind::from_ident(ident) {
            None => cx.error_spanned_by(path, EXPECTED_KIND),
            Some(k) if k == kind => cx.error_spanned_by(
                ident,
                format_args!("`{ident}` is the derive itself; remove it from `also`"),
            ),
            Some(k) if also.contains(&k) => {
                cx.error_spanned_by(ident, format_args!("duplicate `{ident}`"));
            }
            Some(k) => also.push(k),
        }
    }
    also
}

/// Every name in `also(...)` that is not a boundary kind, reported to `cx`
/// at its token: what the redacting derives check of an option that only a
/// boundary derive reads.
pub(crate) fn also_names(cx: &Ctxt, options: &Options) {
    for path in options.also.iter().flat_map(|option| &option.kinds) {
        if path.get_ident().and_then(Kind::from_ident).is_none() {
            cx.error_spanned_by(path, EXPECTED_KIND);
        }
    }
}

const EXPECTED_KIND: &str =
    "expected a boundary kind: `ApiDto`, `EventDto`, `ExportDto` or `AuditDto`";

/// A `#[redact]` anywhere in a boundary type, in any form, is the author's
/// own word that the field is a secret (G4): sending the type across a
/// boundary would send it as is, since serde's `Serialize` does not read
/// `#[redact]`. Each one is an error at the attribute. The boundary derives
/// declare `redact` as a helper attribute so that this error, not rustc's
/// "cannot find attribute", is what a type without a redacting derive gets.
pub(crate) fn no_redact(cx: &Ctxt, kind: Kind, also: &[Kind], input: &syn::DeriveInput) {
    let kinds: Vec<&str> = core::iter::once(kind)
        .chain(also.iter().copied())
        .map(Kind::name)
        .collect();
    let kinds = format!("`{}`", kinds.join("` + `"));
    let refuse = |attrs: &[syn::Attribute], what: &str| {
        for attr in attrs.iter().filter(|attr| attr.path().is_ident(REDACT)) {
            cx.error_spanned_by(
                attr,
                format_args!(
                    "a {what} marked `#[redact]` is a secret by its author's own word, and this {kinds} type crosses a boundary as is; \
                     expose a `key_model::KeyRef` instead of the secret, drop the field from this type, \
                     or keep the type internal (its redacting derives without {kinds})"
                ),
            );
        }
    };
    refuse(&input.attrs, "type");
    let fields = |fields: &syn::Fields| {
        for field in fields {
            refuse(&field.attrs, "field");
        }
    };
    match &input.data {
        syn::Data::Struct(data) => fields(&data.fields),
        syn::Data::Enum(data) => {
            for variant in &data.variants {
                refuse(&variant.attrs, "variant");
                fields(&variant.fields);
            }
        }
        // Refused as a whole by `ast`.
        syn::Data::Union(_) => {}
    }
}

/// A boundary kind derive in a later `#[derive(...)]` of the same type (a
/// derive sees those, not the other names of its own list): both would
/// implement `SecretFree`, so the second is an error at its name that says
/// to use `also`. Only the kinds are compared (`ApiDto`, `EventDto`, ...,
/// by the last segment of the path), since that is all a derive can know
/// of a path it does not resolve.
pub(crate) fn one_kind_derive(cx: &Ctxt, kind: Kind, input: &syn::DeriveInput) {
    for attr in input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident(DERIVE))
    {
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        for path in paths {
            let Some(last) = path.segments.last() else {
                continue;
            };
            let other = Kind::from_ident(&last.ident)
                .or_else(|| (last.ident == Kind::SecretFree.name()).then_some(Kind::SecretFree));
            if let Some(other) = other {
                cx.error_spanned_by(
                    &path,
                    format_args!(
                        "one boundary derive per type: `{}` and `{}` would both implement `SecretFree`; \
                         derive one and name the others in `#[key_model(also(...))]`",
                        kind.name(),
                        other.name(),
                    ),
                );
            }
        }
    }
}
