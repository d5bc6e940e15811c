//! A borrowed model of the input to a redacting derive: the type's shape,
//! its fields, and what the attributes say about each.

use proc_macro2::Span;
use syn::ext::IdentExt;

use super::Derive;
use super::attr::{self, ContainerSerde, DisplayAttr, FieldSerde, Redact, VariantSerde};
use crate::ctxt::Ctxt;
use crate::symbol::{DISPLAY, REDACT};

pub(crate) struct Input<'a> {
    pub(crate) original: &'a syn::DeriveInput,
    pub(crate) krate: syn::Path,
    /// The import `krate` names (see `crate::options::Krate`), for the
    /// generated block.
    pub(crate) import: proc_macro2::TokenStream,
    /// The input's identifiers, for generated names (see
    /// `crate::options::Krate`).
    pub(crate) fresh: crate::fresh::Fresh,
    pub(crate) data: Data<'a>,
    /// `#[display("...")]` on the type (`RedactedDisplay` only; an error on
    /// an enum, see `valid`).
    pub(crate) display: Option<DisplayAttr>,
    pub(crate) serde: ContainerSerde,
}

pub(crate) enum Data<'a> {
    Struct(Body<'a>),
    Enum(Vec<Variant<'a>>),
}

/// The fields of a struct or of one variant, and how they are written.
pub(crate) struct Body<'a> {
    pub(crate) style: Style,
    pub(crate) fields: Vec<Field<'a>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `{ a: A }`, even with no field.
    Named,
    /// `(A, B)`, even with one or no field.
    Tuple,
    /// No braces or parentheses.
    Unit,
}

pub(crate) struct Variant<'a> {
    pub(crate) original: &'a syn::Variant,
    pub(crate) ident: &'a syn::Ident,
    pub(crate) body: Body<'a>,
    pub(crate) display: Option<DisplayAttr>,
    pub(crate) serde: VariantSerde,
}

pub(crate) struct Field<'a> {
    pub(crate) original: &'a syn::Field,
    pub(crate) member: syn::Member,
    /// The field's name as std's `Debug` and serde print it: the identifier
    /// without `r#`, or the index of a tuple field.
    pub(crate) name: String,
    pub(crate) ty: &'a syn::Type,
    pub(crate) redact: Redact,
    pub(crate) serde: FieldSerde,
}

impl Field<'_> {
    /// The identifier bound to this field in generated `match` arms.
    pub(crate) fn binding(&self) -> syn::Ident {
        syn::Ident::new(&format!("__field_{}", self.name), Span::call_site())
    }
}

impl<'a> Input<'a> {
    pub(crate) fn from_syn(
        cx: &Ctxt,
        input: &'a syn::DeriveInput,
        derive: Derive,
        krate: &crate::options::Krate,
    ) -> Option<Self> {
        let serde = if derive == Derive::Serialize {
            attr::container_serde(cx, &input.attrs)
        } else {
            ContainerSerde::default()
        };
        let data = match &input.data {
            syn::Data::Struct(data) => Data::Struct(Body::from_syn(cx, &data.fields, derive)),
            syn::Data::Enum(data) => Data::Enum(
                data.variants
                    .iter()
                    .map(|variant| Variant::from_syn(cx, variant, derive))
                    .collect(),
            ),
            syn::Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    format!(
                        "{} does not support unions: it cannot know which field is live",
                        derive.name()
                    ),
                );
                return None;
            }
        };
        let display = if derive == Derive::Display {
            attr::display(cx, &input.attrs)
        } else {
            None
        };
        reject_misplaced(cx, &input.attrs, attr::REDACT_ON_CONTAINER);
        Some(Input {
            original: input,
            krate: krate.path.clone(),
            import: krate.import.clone(),
            fresh: krate.fresh.clone(),
            data,
            display,
            serde,
        })
    }

    pub(crate) fn ident(&self) -> &'a syn::Ident {
        &self.original.ident
    }

    pub(crate) fn generics(&self) -> &'a syn::Generics {
        &self.original.generics
    }

    /// Every field of the type, across variants.
    pub(crate) fn all_fields(&self) -> Vec<&Field<'a>> {
        match &self.data {
            Data::Struct(body) => body.fields.iter().collect(),
            Data::Enum(variants) => variants.iter().flat_map(|v| v.body.fields.iter()).collect(),
        }
    }
}

impl<'a> Body<'a> {
    fn from_syn(cx: &Ctxt, fields: &'a syn::Fields, derive: Derive) -> Self {
        let style = match fields {
            syn::Fields::Named(_) => Style::Named,
            syn::Fields::Unnamed(_) => Style::Tuple,
            syn::Fields::Unit => Style::Unit,
        };
        let mut fields: Vec<Field<'a>> = fields
            .iter()
            .enumerate()
            .map(|(index, field)| Field::from_syn(cx, index, field, derive))
            .collect();
        if let ([only], Style::Tuple) = (fields.as_mut_slice(), style) {
            {
                // serde writes the one field of a newtype whatever its skip
                // options say; so does RedactedSerialize.
                only.serde.skip = false;
                only.serde.skip_if = None;
            }
        }
        Body { style, fields }
    }
}

impl<'a> Variant<'a> {
    fn from_syn(cx: &Ctxt, variant: &'a syn::Variant, derive: Derive) -> Self {
        let display = if derive == Derive::Display {
            attr::display(cx, &variant.attrs)
        } else {
            None
        };
        let serde = if derive == Derive::Serialize {
            attr::variant_serde(cx, &variant.attrs)
        } else {
            VariantSerde::default()
        };
        reject_misplaced(cx, &variant.attrs, attr::REDACT_ON_VARIANT);
        Variant {
            original: variant,
            ident: &variant.ident,
            body: Body::from_syn(cx, &variant.fields, derive),
            display,
            serde,
        }
    }
}

impl<'a> Field<'a> {
    fn from_syn(cx: &Ctxt, index: usize, field: &'a syn::Field, derive: Derive) -> Self {
        let (member, name) = if let Some(ident) = &field.ident {
            (syn::Member::Named(ident.clone()), ident.unraw().to_string())
        } else {
            let span = syn::spanned::Spanned::span(&field.ty);
            let index = syn::Index {
                index: u32::try_from(index).expect("more than u32::MAX fields"),
                span,
            };
            let name = index.index.to_string();
            (syn::Member::Unnamed(index), name)
        };
        if derive == Derive::Display {
            for attr in &field.attrs {
                if attr.path().is_ident(DISPLAY) {
                    cx.error_spanned_by(
                        attr,
                        "`#[display(\"...\")]` goes on the struct or on a variant, not on a field",
                    );
                }
            }
        }
        let serde = if derive == Derive::Serialize {
            attr::field_serde(cx, &field.attrs)
        } else {
            FieldSerde::default()
        };
        Field {
            original: field,
            member,
            name,
            ty: &field.ty,
            redact: attr::redact(cx, &field.attrs),
            serde,
        }
    }
}

/// `#[redact]` belongs on fields; anywhere else it would silently do
/// nothing, so it is an error.
fn reject_misplaced(cx: &Ctxt, attrs: &[syn::Attribute], message: &str) {
    for attr in attrs {
        if attr.path().is_ident(REDACT) {
            cx.error_spanned_by(attr, message);
        }
    }
}
