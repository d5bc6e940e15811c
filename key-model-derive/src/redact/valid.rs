//! The checks that look across the model rather than at one attribute:
//! layouts the generated code cannot borrow from, options in the wrong
//! place for the input's shape, a newtype whose only field is skipped, and
//! `RedactedDisplay`'s format strings resolved against the fields (naming a
//! redacted, skipped or unknown field is an error). Each mistake is
//! reported to the `Ctxt` at its token.
//!
//! An attribute in the wrong place (`#[redact]` on a type or variant,
//! `#[display]` on a field) is reported while parsing instead, beside the
//! other errors of the same attribute list and in source order.

use super::Derive;
use super::ast::{Body, Data, Input, Style};
use super::attr::{self, Redact};
use super::display::{self, Written};
use crate::ctxt::Ctxt;
use crate::symbol::{PACKED, REPR};

/// What validation found that the expansion needs.
pub(crate) struct Valid {
    /// `RedactedDisplay`: one resolved format string per struct or
    /// variant, in order (empty for the other derives).
    pub(crate) formats: Vec<Written>,
}

pub(crate) fn check(cx: &Ctxt, input: &Input<'_>, derive: Derive) -> Valid {
    check_repr(cx, &input.original.attrs);
    let mut formats = Vec::new();
    match derive {
        Derive::Debug => {}
        Derive::Display => {
            check_display(cx, input);
            formats = display::resolve(cx, input);
        }
        Derive::Serialize => check_serialize(cx, input),
    }
    Valid { formats }
}

/// Fields of a `#[repr(packed)]` type cannot be borrowed, and the generated
/// code borrows every field it writes.
fn check_repr(cx: &Ctxt, attrs: &[syn::Attribute]) {
    for attr in attrs {
        if !attr.path().is_ident(REPR) {
            continue;
        }
        // Other repr options are not ours to judge; unparseable ones are
        // left to rustc.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(PACKED) {
                cx.error_spanned_by(
                    &meta.path,
                    "the redacting derives do not support `#[repr(packed)]`: its fields cannot be borrowed",
                );
            }
            if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                let _: proc_macro2::TokenTree = meta.input.parse()?;
            }
            Ok(())
        });
    }
}

/// A format string on the struct, or on every variant and not on the enum.
fn check_display(cx: &Ctxt, input: &Input<'_>) {
    match &input.data {
        Data::Struct(_) => {
            if !attr::has_display(&input.original.attrs) {
                cx.error_spanned_by(
                    input.ident(),
                    "RedactedDisplay needs a format string: add `#[display(\"...\")]` to the struct",
                );
            }
        }
        Data::Enum(variants) => {
            for variant in variants {
                if !attr::has_display(&variant.original.attrs) {
                    cx.error_spanned_by(
                        variant.ident,
                        "RedactedDisplay needs a format string for every variant: add `#[display(\"...\")]`",
                    );
                }
            }
            if let Some(display) = &input.display {
                cx.error_spanned_by(
                    &display.lit,
                    "on an enum, put `#[display(\"...\")]` on each variant, not on the enum",
                );
            }
        }
    }
}

fn check_serialize(cx: &Ctxt, input: &Input<'_>) {
    match &input.data {
        Data::Struct(body) => {
            if let Some(rule) = &input.serde.rename_all_fields {
                cx.error_spanned_by(&rule.lit, "`rename_all_fields` applies to enums only");
            }
            check_newtype(cx, body);
        }
        // A skipped variant is never written, so its shape does not matter.
        Data::Enum(variants) => {
            for variant in variants.iter().filter(|v| !v.serde.skip) {
                check_newtype(cx, &variant.body);
            }
        }
    }
}

/// serde writes the one field of a newtype struct or variant
/// unconditionally; leaving it out would have to change the data model, so
/// it is refused rather than guessed.
fn check_newtype(cx: &Ctxt, body: &Body<'_>) {
    if body.style == Style::Tuple && body.fields.len() == 1 {
        let field = &body.fields[0];
        if matches!(field.redact, Redact::Skip) {
            cx.error_spanned_by(
                field.original,
                "RedactedSerialize cannot skip the only field of a newtype: use `#[redact]` to write \"[REDACTED]\" instead",
            );
        }
    }
}
