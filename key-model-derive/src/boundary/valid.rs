//! Checks of the options against the derive: `also(...)` names boundary
//! kinds other than the derive's own, each once.

use crate::ctxt::Ctxt;
use crate::options::Options;

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

const EXPECTED_KIND: &str =
    "expected a boundary kind: `ApiDto`, `EventDto`, `ExportDto` or `AuditDto`";
