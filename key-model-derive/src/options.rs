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

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::ctxt::Ctxt;
use crate::fresh::Fresh;
use crate::span::respan;
use crate::symbol::{ALSO, CRATE, KEY_MODEL};

/// The options of one derive input.
pub(crate) struct Options {
    /// How generated code reaches key-model.
    pub(crate) krate: Krate,
    /// Every `also(...)`, in the order written.
    pub(crate) also: Vec<Also>,
}

/// key-model as generated code reaches it: one import, `use <crate>::
/// key_model as <alias>;`, spanned at the `crate = "..."` literal (or the
/// derive), and every path through the alias but the boundary derives'
/// field proof, which writes `<crate>::key_model` out (`full`). A wrong
/// path is then two errors at the literal the user wrote, both naming
/// `key_model`: "unresolved import `std::key_model`", and "cannot find
/// `key_model` in `std`" for the proof; the compiler reports nothing more
/// for the paths through an import that failed (no error at every field,
/// no generated module's name). `key_model` is an
/// item of key-model's root (`pub extern crate self as key_model`), so the
/// import finds it through a renamed dependency or a re-export as well, and
/// a look-alike module must name the real crate to be accepted at all.
pub(crate) struct Krate {
    /// The alias, for every generated path.
    pub(crate) path: syn::Path,
    /// The import, placed in the generated block before anything else.
    pub(crate) import: TokenStream,
    /// `<path>::key_model` written out, for the field proof of the boundary
    /// derives, which is generated in a block without the import: a field
    /// type from a macro (`looks_plain!()`, expanding to
    /// `key_model_crate::TenantId`) would resolve through the import there
    /// and to the user's own `key_model_crate` at the field, and the proof
    /// would check another type than the field has.
    pub(crate) full: syn::Path,
    /// The input's identifiers and the alias, for every other generated
    /// name: collected here once per derive, because the walk over the
    /// whole input is one of the costliest steps of a derive
    /// (docs/performance.md), and each generated name clones the set.
    pub(crate) fresh: Fresh,
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
    /// mistake to `cx`; `tokens` is `input` as written, for `Fresh`.
    pub(crate) fn from_syn(cx: &Ctxt, input: &syn::DeriveInput, tokens: &TokenStream) -> Options {
        let attrs = &input.attrs;
        let mut krate: Option<(syn::Path, Span)> = None;
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
                    krate = Some((path, lit.span()));
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
        let written = krate.is_some();
        let (path, span) = krate.unwrap_or_else(|| (default_path(), Span::call_site()));
        let mut fresh = Fresh::new(tokens);
        let alias = fresh.ident("key_model_crate", Span::call_site());
        // The whole item at the literal: rustc reports the failed import
        // at the item when its tokens do not all come from one place.
        // Without the option every token is made at the call site already,
        // and re-spanning them there would change nothing.
        let import = quote!(use #path::key_model as #alias;);
        let import = if written {
            respan(import, span)
        } else {
            import
        };
        // `<path>::key_model`, every token at `span`: those of `path`
        // already are (`LitStr::parse` spans them at the literal).
        let mut full = path;
        full.segments.push_punct(syn::Token![::](span));
        full.segments
            .push_value(syn::Ident::new(KEY_MODEL, span).into());
        Options {
            krate: Krate {
                path: syn::Path::from(alias),
                import,
                full,
                fresh,
            },
            also,
        }
    }
}

/// `::key_model`, made without parsing.
fn default_path() -> syn::Path {
    let span = Span::call_site();
    let mut path = syn::Path::from(syn::Ident::new(KEY_MODEL, span));
    path.leading_colon = Some(syn::Token![::](span));
    path
}
