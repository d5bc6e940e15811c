//! The container options of the boundary derives: `#[key_model(crate =
//! "path")]` (shared with every derive, see `crate_path.rs`) and
//! `#[key_model(also(EventDto, ...))]`.

use crate::crate_path::crate_path;
use crate::ctxt::Ctxt;
use crate::symbol::{ALSO, KEY_MODEL};

use super::Kind;

/// The options of one boundary derive.
pub(crate) struct Attrs {
    /// The path generated code reaches key-model through.
    pub(crate) krate: syn::Path,
    /// The kinds to implement besides the derive's own, in the order given.
    pub(crate) also: Vec<Kind>,
}

impl Attrs {
    /// Parses the options of the derive of `kind`, reporting every mistake
    /// to `cx` at its token.
    pub(crate) fn from_syn(cx: &Ctxt, kind: Kind, attrs: &[syn::Attribute]) -> Attrs {
        let krate = crate_path(cx, attrs);
        let mut also = Vec::new();
        for attr in attrs.iter().filter(|attr| attr.path().is_ident(KEY_MODEL)) {
            // `crate_path` reports malformed and unknown options; this pass
            // only reads `also`, so each mistake is reported once.
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(ALSO) {
                    meta.parse_nested_meta(|nested| {
                        let Some(ident) = nested.path.get_ident() else {
                            cx.syn_error(nested.error(expected_kind()));
                            return Ok(());
                        };
                        match Kind::from_ident(ident) {
                            None => cx.syn_error(nested.error(expected_kind())),
                            Some(k) if k == kind => cx.error_spanned_by(
                                ident,
                                format_args!(
                                    "`{ident}` is the derive itself; remove it from `also`"
                                ),
                            ),
                            Some(k) if also.contains(&k) => {
                                cx.error_spanned_by(ident, format_args!("duplicate `{ident}`"));
                            }
                            Some(k) => also.push(k),
                        }
                        Ok(())
                    })
                } else if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<syn::Lit>().map(drop)
                } else {
                    Ok(())
                }
            });
        }
        Attrs { krate, also }
    }
}

fn expected_kind() -> &'static str {
    "expected a boundary kind: `ApiDto`, `EventDto`, `ExportDto` or `AuditDto`"
}
