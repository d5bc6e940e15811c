//! `#[key_model(...)]`, the container options every derive accepts, parsed
//! once here for both halves:
//!
//! - `crate = "path"`: the path generated code reaches key-model through,
//!   for users who rename the dependency or reach it through a re-export
//!   (the same option serde's derives have);
//! - `also(EventDto, ...)`: further boundary kinds a boundary derive
//!   implements. Only its syntax is checked here; what it may name is
//!   judged by `boundary/valid.rs`, from the paths kept with their spans,
//!   for every derive: a redacting derive cannot know whether a boundary
//!   derive beside it reads the option, so it checks the names too (the
//!   same message at the same span is reported once).
//!
//! Unknown, repeated and malformed options are reported at their tokens.

use crate::ctxt::Ctxt;
use crate::symbol::{ALSO, CRATE, KEY_MODEL};

/// The options of one derive input.
pub(crate) struct Options {
    /// `crate = "..."`, or `::key_model`.
    pub(crate) krate: syn::Path,
    /// Every `also(...)`, in the order written.
    pub(crate) also: Vec<Also>,
}

/// One `also(...)` option.
pub(crate) struct Also {
    /// The `also` keyword itself, for an error about the whole option
    /// (`also()` naming nothing).
    pub(crate) keyword: syn::Path,
    /// What the parentheses name, as written.
    pub(crate) kinds: Vec<syn::Path>,
}

impl Options {
    /// Parses every `#[key_model(...)]` among `attrs`, reporting each
    /// mistake to `cx`.
    pub(crate) fn from_syn(cx: &Ctxt, attrs: &[syn::Attribute]) -> Options {
        let mut krate: Option<syn::Path> = None;
        let mut also = Vec::new();
        for attr in attrs {
            if !attr.path().is_ident(KEY_MODEL) {
                continue;
            }
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(CRATE) {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    let path: syn::Path = lit.parse()?;
                    if krate.is_some() {
                        return Err(meta.error("duplicate `crate` option"));
                    }
                    krate = Some(path);
                    Ok(())
                } else if meta.path.is_ident(ALSO) {
                    let mut option = Also {
                        keyword: meta.path.clone(),
                        kinds: Vec::new(),
                    };
                    // Kept even when a later token is malformed, so the
                    // kinds before it are still judged.
                    let result = meta.parse_nested_meta(|nested| {
                        option.kinds.push(nested.path.clone());
                        if nested.input.is_empty() || nested.input.peek(syn::Token![,]) {
                            Ok(())
                        } else {
                            Err(nested
                                .input
                                .error("`also` takes kind names only: `also(EventDto, AuditDto)`"))
                        }
                    });
                    if result.is_ok() && option.kinds.is_empty() {
                        cx.error_spanned_by(
                            &option.keyword,
                            "`also()` names no kind; name one (`also(EventDto)`) or remove it",
                        );
                    }
                    also.push(option);
                    result
                } else {
                    Err(meta.error(
                        "unknown key_model option; expected `crate = \"path\"` or `also(...)`",
                    ))
                }
            });
            if let Err(err) = result {
                cx.syn_error(err);
            }
        }
        Options {
            krate: krate.unwrap_or_else(|| syn::parse_quote!(::key_model)),
            also,
        }
    }
}
