//! Attribute parsing: `#[redact(...)]` on fields, `#[display("...")]` on
//! structs and variants, and the `#[serde(...)]` options that shape
//! serialization. Every mistake is reported at its own token.

use proc_macro2::TokenTree;
use syn::meta::ParseNestedMeta;

use super::case::RenameRule;
use crate::ctxt::Ctxt;
use crate::symbol::{
    DISPLAY, REDACT, RENAME, RENAME_ALL, RENAME_ALL_FIELDS, SERDE, SERDE_UNSUPPORTED_CONTAINER,
    SERDE_UNSUPPORTED_FIELD, SERDE_UNSUPPORTED_VARIANT, SERIALIZE, SKIP, SKIP_SERIALIZING,
    SKIP_SERIALIZING_IF, WITH,
};

pub(crate) const REDACT_ON_CONTAINER: &str =
    "`#[redact]` goes on a field, not on the type: mark each secret field";
pub(crate) const REDACT_ON_VARIANT: &str =
    "`#[redact]` goes on a field, not on a variant: mark each secret field of the variant";

/// What `#[redact]` says about a field.
pub(crate) enum Redact {
    /// No `#[redact]`: the field is written as is.
    None,
    /// `#[redact]`: `[REDACTED]` in its place.
    Full,
    /// `#[redact(skip)]`: left out.
    Skip,
    /// `#[redact(with = path)]`: `path(&field, formatter)` writes it.
    With(syn::Path),
}

impl Redact {
    pub(crate) fn is_none(&self) -> bool {
        matches!(self, Redact::None)
    }
}

/// Parses the `#[redact]` attributes of a field. A second `#[redact]` is an
/// error at the second one.
pub(crate) fn redact(cx: &Ctxt, attrs: &[syn::Attribute]) -> Redact {
    let mut seen = false;
    let mut found: Option<Redact> = None;
    for attr in attrs {
        if !attr.path().is_ident(REDACT) {
            continue;
        }
        let parsed = parse_redact(cx, attr);
        if seen {
            cx.error_spanned_by(attr, "duplicate `#[redact]` attribute");
        } else {
            seen = true;
            found = parsed;
        }
    }
    // A malformed `#[redact]` was reported; what it stands for no longer
    // matters, since no impl but a stub is emitted.
    found.unwrap_or(Redact::None)
}

fn parse_redact(cx: &Ctxt, attr: &syn::Attribute) -> Option<Redact> {
    match &attr.meta {
        syn::Meta::Path(_) => Some(Redact::Full),
        syn::Meta::NameValue(meta) => {
            cx.error_spanned_by(
                meta,
                "expected `#[redact]`, `#[redact(skip)]` or `#[redact(with = path)]`",
            );
            None
        }
        syn::Meta::List(list) => {
            if list.tokens.is_empty() {
                cx.error_spanned_by(list, "write `#[redact]` without parentheses, or give an option: `skip`, `with = path`");
                return None;
            }
            let mut found: Option<Redact> = None;
            let result = attr.parse_nested_meta(|meta| {
                let option = if meta.path.is_ident(SKIP) {
                    if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                        return Err(meta
                            .input
                            .error("`skip` takes no value: write `#[redact(skip)]`"));
                    }
                    Redact::Skip
                } else if meta.path.is_ident(WITH) {
                    Redact::With(parse_path(&meta)?)
                } else {
                    return Err(
                        meta.error("unknown redact option; expected `skip` or `with = path`")
                    );
                };
                if found.is_some() {
                    return Err(meta.error(
                        "`#[redact]` takes one option: `skip` or `with = path`, not both or twice",
                    ));
                }
                found = Some(option);
                Ok(())
            });
            match result {
                Ok(()) => found,
                Err(err) => {
                    cx.syn_error(err);
                    None
                }
            }
        }
    }
}

/// `with = path::to::function`, or the same path in a string as serde
/// writes it.
fn parse_path(meta: &ParseNestedMeta<'_>) -> syn::Result<syn::Path> {
    if !meta.input.peek(syn::Token![=]) {
        return Err(meta.error(
            "`with` needs the function that writes the field: `#[redact(with = path::to::function)]`",
        ));
    }
    let value = meta.value()?;
    if value.peek(syn::LitStr) {
        let lit: syn::LitStr = value.parse()?;
        let path: syn::Path = lit.parse()?;
        Ok(path)
    } else {
        value.parse::<syn::Path>().map_err(|err| {
            syn::Error::new(
                err.span(),
                "expected the path of a function `fn(&T, &mut core::fmt::Formatter<'_>) -> core::fmt::Result`",
            )
        })
    }
}

/// `#[display("...")]`.
pub(crate) struct DisplayAttr {
    pub(crate) lit: syn::LitStr,
}

pub(crate) fn display(cx: &Ctxt, attrs: &[syn::Attribute]) -> Option<DisplayAttr> {
    let mut seen = false;
    let mut found = None;
    for attr in attrs {
        if !attr.path().is_ident(DISPLAY) {
            continue;
        }
        let parsed = if let syn::Meta::List(list) = &attr.meta {
            if let Ok(format) = list.parse_args::<syn::LitStr>() {
                Some(DisplayAttr { lit: format })
            } else {
                cx.error_spanned_by(
                    &list.tokens,
                    "expected one format string: `#[display(\"...\")]`",
                );
                None
            }
        } else {
            cx.error_spanned_by(&attr.meta, "expected `#[display(\"...\")]`");
            None
        };
        if seen {
            cx.error_spanned_by(attr, "duplicate `#[display]` attribute");
        } else {
            seen = true;
            found = parsed;
        }
    }
    found
}

/// Whether a `#[display]` is present, well formed or not (a malformed one
/// has its own error).
pub(crate) fn has_display(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident(DISPLAY))
}

/// A serialized name given by `rename = "..."` or `rename(serialize = "...")`.
pub(crate) struct Name {
    pub(crate) value: String,
}

/// A `rename_all`-style rule, with its literal for error spans.
pub(crate) struct Rule {
    pub(crate) rule: RenameRule,
    pub(crate) lit: syn::LitStr,
}

#[derive(Default)]
pub(crate) struct ContainerSerde {
    pub(crate) rename: Option<Name>,
    pub(crate) rename_all: Option<Rule>,
    pub(crate) rename_all_fields: Option<Rule>,
}

#[derive(Default)]
pub(crate) struct VariantSerde {
    pub(crate) rename: Option<Name>,
    pub(crate) rename_all: Option<Rule>,
    pub(crate) skip: bool,
}

#[derive(Default)]
pub(crate) struct FieldSerde {
    pub(crate) rename: Option<Name>,
    pub(crate) skip: bool,
    pub(crate) skip_if: Option<syn::Path>,
}

pub(crate) fn container_serde(cx: &Ctxt, attrs: &[syn::Attribute]) -> ContainerSerde {
    let mut out = ContainerSerde::default();
    for_each_serde(cx, attrs, |meta| {
        if meta.path.is_ident(RENAME) {
            set(&meta, &mut out.rename, name(&meta)?)
        } else if meta.path.is_ident(RENAME_ALL) {
            set(&meta, &mut out.rename_all, rule(&meta)?)
        } else if meta.path.is_ident(RENAME_ALL_FIELDS) {
            set(&meta, &mut out.rename_all_fields, rule(&meta)?)
        } else {
            unsupported_or_skip(&meta, SERDE_UNSUPPORTED_CONTAINER)
        }
    });
    out
}

pub(crate) fn variant_serde(cx: &Ctxt, attrs: &[syn::Attribute]) -> VariantSerde {
    let mut out = VariantSerde::default();
    for_each_serde(cx, attrs, |meta| {
        if meta.path.is_ident(RENAME) {
            set(&meta, &mut out.rename, name(&meta)?)
        } else if meta.path.is_ident(RENAME_ALL) {
            set(&meta, &mut out.rename_all, rule(&meta)?)
        } else if meta.path.is_ident(SKIP) || meta.path.is_ident(SKIP_SERIALIZING) {
            out.skip = true;
            Ok(())
        } else {
            unsupported_or_skip(&meta, SERDE_UNSUPPORTED_VARIANT)
        }
    });
    out
}

pub(crate) fn field_serde(cx: &Ctxt, attrs: &[syn::Attribute]) -> FieldSerde {
    let mut out = FieldSerde::default();
    for_each_serde(cx, attrs, |meta| {
        if meta.path.is_ident(RENAME) {
            set(&meta, &mut out.rename, name(&meta)?)
        } else if meta.path.is_ident(SKIP) || meta.path.is_ident(SKIP_SERIALIZING) {
            out.skip = true;
            Ok(())
        } else if meta.path.is_ident(SKIP_SERIALIZING_IF) {
            let lit: syn::LitStr = meta.value()?.parse()?;
            set(&meta, &mut out.skip_if, Some(lit.parse()?))
        } else {
            unsupported_or_skip(&meta, SERDE_UNSUPPORTED_FIELD)
        }
    });
    out
}

fn for_each_serde(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    mut f: impl FnMut(ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs {
        if !attr.path().is_ident(SERDE) {
            continue;
        }
        if let Err(err) = attr.parse_nested_meta(&mut f) {
            cx.syn_error(err);
        }
    }
}

fn set<T>(meta: &ParseNestedMeta<'_>, slot: &mut Option<T>, value: Option<T>) -> syn::Result<()> {
    let Some(value) = value else { return Ok(()) };
    if slot.is_some() {
        let name = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        return Err(meta.error(format!("duplicate serde option `{name}`")));
    }
    *slot = Some(value);
    Ok(())
}

/// `= "x"` or `(serialize = "x", deserialize = "y")`; only the serialize
/// half matters here. `None` when only a deserialize name is given.
fn serialize_lit(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<syn::LitStr>> {
    if meta.input.peek(syn::Token![=]) {
        return Ok(Some(meta.value()?.parse()?));
    }
    let mut found = None;
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident(SERIALIZE) {
            found = Some(inner.value()?.parse()?);
        } else {
            skip_value(&inner)?;
        }
        Ok(())
    })?;
    Ok(found)
}

fn name(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Name>> {
    Ok(serialize_lit(meta)?.map(|lit| Name { value: lit.value() }))
}

fn rule(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Rule>> {
    let Some(lit) = serialize_lit(meta)? else {
        return Ok(None);
    };
    match RenameRule::from_str(&lit.value()) {
        Some(rule) => Ok(Some(Rule { rule, lit })),
        None => Err(syn::Error::new(
            lit.span(),
            format!(
                "unknown rename rule `{}`; expected one of {}",
                lit.value(),
                RenameRule::NAMES
            ),
        )),
    }
}

/// An option of `unsupported` (serde's options that change the shape of
/// the output, which this derive does not reproduce) is refused: ignoring
/// it would make the output silently differ from what serde's derive (and
/// a `Deserialize` beside it) expects. Anything else unknown is serde's.
fn unsupported_or_skip(meta: &ParseNestedMeta<'_>, unsupported: &[&str]) -> syn::Result<()> {
    if let Some(ident) = meta.path.get_ident() {
        let name = ident.to_string();
        if unsupported.contains(&name.as_str()) {
            return Err(meta.error(format!(
                "RedactedSerialize does not support `#[serde({name})]`: it changes the shape of the output, which this derive would not reproduce"
            )));
        }
    }
    skip_value(meta)
}

/// Consumes an option's value (`= ...` or `(...)`) without reading it: the
/// option is serde's, for `Deserialize` or for what does not concern us.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    while !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        let _: TokenTree = meta.input.parse()?;
    }
    Ok(())
}
