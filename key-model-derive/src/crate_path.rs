//! `#[key_model(crate = "path")]`: the path generated code uses to reach
//! key-model, for users who rename the dependency or reach it through a
//! re-export (the same option serde's derives have).

use crate::ctxt::Ctxt;
use crate::symbol::{ALSO, CRATE, KEY_MODEL};

/// The path given by `#[key_model(crate = "...")]`, or `::key_model`.
/// Unknown or repeated options are reported to `cx` at their tokens.
pub(crate) fn crate_path(cx: &Ctxt, attrs: &[syn::Attribute]) -> syn::Path {
    let mut found: Option<syn::Path> = None;
    for attr in attrs {
        if !attr.path().is_ident(KEY_MODEL) {
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(CRATE) {
                let lit: syn::LitStr = meta.value()?.parse()?;
                let path: syn::Path = lit.parse()?;
                if found.is_some() {
                    return Err(meta.error("duplicate `crate` option"));
                }
                found = Some(path);
                Ok(())
            } else if meta.path.is_ident(ALSO) {
                // Parsed and checked by the boundary derives (`boundary/attr.rs`);
                // skipped here so that every derive accepts the same options.
                meta.parse_nested_meta(|_| Ok(()))
            } else {
                Err(meta
                    .error("unknown key_model option; expected `crate = \"path\"` or `also(...)`"))
            }
        });
        if let Err(err) = result {
            cx.syn_error(err);
        }
    }
    found.unwrap_or_else(|| syn::parse_quote!(::key_model))
}
