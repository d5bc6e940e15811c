//! A borrowed model of the derive input: the fields whose types must be
//! proven secret-free, each with the `#[cfg]`s that decide whether it exists.

use crate::ctxt::Ctxt;
use crate::symbol::CFG;

/// A struct or enum to derive on.
pub(crate) struct Input<'a> {
    pub(crate) original: &'a syn::DeriveInput,
    /// Every field of the struct, or of every variant of the enum.
    pub(crate) fields: Vec<Field<'a>>,
}

/// One field, wherever it is declared.
pub(crate) struct Field<'a> {
    pub(crate) ty: &'a syn::Type,
    /// The field's own `#[cfg]`s, and its variant's: a check must vanish
    /// exactly when its field does.
    pub(crate) cfgs: Vec<&'a syn::Attribute>,
}

impl<'a> Input<'a> {
    /// The model of `input`, or `None` (with the reason reported to `cx`)
    /// for input the derives do not support.
    pub(crate) fn from_syn(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Input<'a>> {
        let fields = match &input.data {
            syn::Data::Struct(data) => Field::multiple(&data.fields, &[]),
            syn::Data::Enum(data) => data
                .variants
                .iter()
                .flat_map(|variant| Field::multiple(&variant.fields, &variant.attrs))
                .collect(),
            syn::Data::Union(data) => {
                // A union's fields share storage, and which one is live is
                // known only at run time: serde does not derive for unions
                // either, so no boundary type needs one.
                cx.error_spanned_by(
                    data.union_token,
                    "boundary derives do not support unions; use a struct or an enum",
                );
                return None;
            }
        };
        Some(Input {
            original: input,
            fields,
        })
    }
}

impl<'a> Field<'a> {
    fn multiple(fields: &'a syn::Fields, variant_attrs: &'a [syn::Attribute]) -> Vec<Field<'a>> {
        fields
            .iter()
            .map(|field| Field {
                ty: &field.ty,
                cfgs: cfgs(variant_attrs).chain(cfgs(&field.attrs)).collect(),
            })
            .collect()
    }
}

fn cfgs(attrs: &[syn::Attribute]) -> impl Iterator<Item = &syn::Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident(CFG))
}
