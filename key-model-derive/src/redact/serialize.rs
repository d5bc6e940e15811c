//! `RedactedSerialize`: the calls serde's `#[derive(Serialize)]` makes
//! (same data model: struct, newtype, tuple and unit structs, externally
//! tagged variants, same names and lengths), with the string `"[REDACTED]"`
//! in place of each redacted value.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::ast::{Body, Data, Field, Input, Style};
use super::attr::{Redact, Rule};
use super::bound::Bounds;
use super::pattern;
use crate::dummy;
use crate::span::{impl_header, kept, path_at, respan_except, type_span};
use crate::symbol::{OPTION, PLAIN_TYPES, STR, VEC};

pub(super) fn expand(input: &Input<'_>) -> TokenStream {
    let krate = &input.krate;
    let serde = quote!(#krate::derive_support::serde);
    let ident = input.ident();
    let generics = input.generics();
    let type_name = input
        .serde
        .rename
        .as_ref()
        .map_or_else(|| ident.unraw().to_string(), |n| n.value.clone());

    // The serializer's type parameter, named so that no parameter of the
    // user's can be named the same (see `crate::fresh`).
    let s = input
        .fresh
        .clone()
        .ident("S", proc_macro2::Span::call_site());
    let mut bounds = Bounds::new(generics);
    let written: Vec<&Field<'_>> = match &input.data {
        Data::Struct(body) => body.fields.iter().collect(),
        // A skipped variant's fields are never written, so need nothing.
        Data::Enum(variants) => variants
            .iter()
            .filter(|v| !v.serde.skip)
            .flat_map(|v| v.body.fields.iter())
            .collect(),
    };
    for field in written {
        if field.redact.is_none() && !field.serde.skip {
            // The check trait, so that `Wrapper<KeyMaterial>` fails where it
            // is used with this crate's message.
            let bound = quote!(#krate::derive_support::SerializeUnredacted);
            bounds.insert(field.ty, "Serialize", &bound);
        }
    }

    let body = match &input.data {
        Data::Struct(body) => {
            let pat = pattern(&quote!(Self), body, is_bound);
            let expr = struct_body(krate, &type_name, body, input.serde.rename_all.as_ref());
            quote!(match self { #pat => #expr })
        }
        Data::Enum(variants) if variants.is_empty() => quote!(match *self {}),
        Data::Enum(variants) => {
            let arms = variants.iter().enumerate().map(|(index, variant)| {
                let v = variant.ident;
                let index = u32::try_from(index).expect("more than u32::MAX variants");
                let variant_name = match (&variant.serde.rename, &input.serde.rename_all) {
                    (Some(name), _) => name.value.clone(),
                    (None, Some(rule)) => rule.rule.apply_to_variant(&v.unraw().to_string()),
                    (None, None) => v.unraw().to_string(),
                };
                if variant.serde.skip {
                    // serde's message, which uses the Rust names.
                    let message = format!(
                        "the enum variant {}::{} cannot be serialized",
                        ident.unraw(),
                        v.unraw()
                    );
                    return quote! {
                        Self::#v { .. } => ::core::result::Result::Err(
                            <#s::Error as #serde::ser::Error>::custom(#message)
                        ),
                    };
                }
                let rule = variant
                    .serde
                    .rename_all
                    .as_ref()
                    .or(input.serde.rename_all_fields.as_ref());
                let pat = pattern(&quote!(Self::#v), &variant.body, is_bound);
                let expr =
                    variant_body(krate, &type_name, index, &variant_name, &variant.body, rule);
                quote!(#pat => #expr,)
            });
            quote!(match self { #(#arms)* })
        }
    };
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let where_clause = bounds.where_clause();
    let header = impl_header(
        quote!(impl #impl_generics #serde::Serialize for #ident #ty_generics),
        ident,
    );
    dummy::wrap(
        &input.import,
        [quote! {
            #header #where_clause {
                fn serialize<#s>(&self, __serializer: #s) -> ::core::result::Result<#s::Ok, #s::Error>
                where
                    #s: #serde::Serializer,
                {
                    #body
                }
            }
        }],
    )
}

/// Fields the generated code reads: those written as is or through `with`,
/// and those a `skip_serializing_if` function looks at.
fn is_bound(field: &Field<'_>) -> bool {
    match field.redact {
        Redact::Skip => false,
        _ if field.serde.skip => false,
        Redact::None | Redact::With(_) => true,
        Redact::Full => field.serde.skip_if.is_some(),
    }
}

fn is_written(field: &Field<'_>) -> bool {
    !matches!(field.redact, Redact::Skip) && !field.serde.skip
}

/// The value passed to serde for a field.
fn value(krate: &syn::Path, field: &Field<'_>) -> TokenStream {
    let binding = field.binding();
    let ty = field.ty;
    match &field.redact {
        // `Skip` is only reached for the newtype `check_newtype` refused:
        // any well-typed value keeps the output free of follow-on errors.
        Redact::Full | Redact::Skip => quote!(&#krate::derive_support::Redacted),
        Redact::With(path) => {
            quote_spanned!(path.span()=> &#krate::derive_support::With::<#ty>(#binding, #path))
        }
        Redact::None if is_plain(ty) => quote!(#binding),
        Redact::None => quote!(&#krate::derive_support::serialize_unredacted::<#ty>(#binding)),
    }
}

/// Whether `ty` is written as a primitive, `String` or `str`, or an
/// `Option`, `Vec` or reference of one: types that hold no secret, whose
/// fields are passed to serde as they are, as serde's derive does. The
/// check through `serialize_unredacted` (a call per field, there only for
/// its error message) made `RedactedSerialize` a third slower to compile
/// than serde's derive (docs/performance.md). Were one of these names
/// shadowed by a type that cannot be serialized, the type still fails to
/// compile, with rustc's message (at the derive, naming the field) instead
/// of this crate's (ui-tests: `redact-serialize-shadowed-plain-type-name`).
fn is_plain(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(r) => is_plain(&r.elem),
        syn::Type::Path(path) if path.qself.is_none() && path.path.segments.len() == 1 => {
            let segment = &path.path.segments[0];
            // One string: comparing an `Ident` to a `str` makes one each
            // time, through the compiler's bridge.
            let name = segment.ident.to_string();
            let name = name.as_str();
            match &segment.arguments {
                syn::PathArguments::None => name == STR || PLAIN_TYPES.contains(&name),
                syn::PathArguments::AngleBracketed(args) if name == OPTION || name == VEC => {
                    matches!(
                        args.args.first(),
                        Some(syn::GenericArgument::Type(inner)) if args.args.len() == 1 && is_plain(inner)
                    )
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// Gives every token of the call that writes a field written as is the
/// span of the field's type. rustc reports an unsatisfied bound at the
/// call, and only a call whose tokens all come from the field is shown
/// there: so a secret field is underlined on its own line, not at the
/// derive. The generated locals keep their call-site span (see `respan`).
fn at_field(field: &Field<'_>, tokens: TokenStream) -> TokenStream {
    if field.redact.is_none() {
        // The generated locals keep their call-site span: at the span of a
        // type from a `macro_rules!` body, the macro's hygiene would hide
        // them ("cannot find value `__state`").
        let binding = field.binding();
        let serializer = syn::Ident::new("__serializer", proc_macro2::Span::call_site());
        let state = syn::Ident::new("__state", proc_macro2::Span::call_site());
        respan_except(
            tokens,
            type_span(field.ty),
            &[&binding, &serializer, &state],
        )
    } else {
        tokens
    }
}

/// A written-as-is field's `serialize_field` call, made at the field
/// type's span token by token as [`at_field`] would move them, rather than
/// made and then walked: the walk crossed the compiler's bridge token by
/// token, and was the largest cost of the derive (docs/performance.md).
fn write_at_field(
    krate: &syn::Path,
    field: &Field<'_>,
    trait_name: &str,
    key: Option<&String>,
) -> TokenStream {
    let span = type_span(field.ty);
    let binding = field.binding();
    let serializer = syn::Ident::new("__serializer", proc_macro2::Span::call_site());
    let state = syn::Ident::new("__state", proc_macro2::Span::call_site());
    let krate = path_at(krate, span);
    let ty = field.ty;
    let value = if is_plain(ty) {
        let binding = kept(&binding, span);
        quote!(#binding)
    } else {
        let ty = respan_except(quote!(#ty), span, &[&binding, &serializer, &state]);
        let binding = kept(&binding, span);
        quote_spanned!(span=> &#krate::derive_support::serialize_unredacted::<#ty>(#binding))
    };
    let tr = syn::Ident::new(trait_name, span);
    let state = kept(&state, span);
    let key = key.map(|key| {
        let mut key = proc_macro2::Literal::string(key);
        key.set_span(span);
        quote_spanned!(span=> #key,)
    });
    quote_spanned! {span=>
        #krate::derive_support::serde::ser::#tr::serialize_field(&mut #state, #key #value)?;
    }
}

/// The number of fields written: the count of those always written, as
/// one literal, plus `if path(field) { 0 } else { 1 }` for each under
/// `skip_serializing_if`. (A `+ 1` per field, serde's way, was tokens for
/// the derive to make and for rustc to parse and check, to the same sum.)
fn len(krate: &syn::Path, body: &Body<'_>) -> TokenStream {
    let written: Vec<&Field<'_>> = body.fields.iter().filter(|f| is_written(f)).collect();
    let always = written.iter().filter(|f| f.serde.skip_if.is_none()).count();
    let always = proc_macro2::Literal::usize_unsuffixed(always);
    let terms = written.iter().filter_map(|field| {
        let path = field.serde.skip_if.as_ref()?;
        let call = skip_if(krate, path, field);
        Some(quote!(if #call { 0 } else { 1 }))
    });
    quote!(#always #(+ #terms)*)
}

/// `path(field)`, every token but the binding at `path` (the string
/// literal it was written in): a function of the wrong signature is then
/// reported at what the user wrote, not at the derive.
fn skip_if(krate: &syn::Path, path: &syn::Path, field: &Field<'_>) -> TokenStream {
    let binding = field.binding();
    // Through a call whose bound is the function's signature: the path is
    // then an argument, where a mismatch is reported, at the literal; the
    // binding itself keeps its call-site span.
    respan_except(
        quote!(#krate::derive_support::skip_serializing_if(#path, #binding)),
        path.span(),
        &[&binding],
    )
}

fn key(field: &Field<'_>, rule: Option<&Rule>) -> String {
    match (&field.serde.rename, rule) {
        (Some(name), _) => name.value.clone(),
        (None, Some(rule)) => rule.rule.apply_to_field(&field.name),
        (None, None) => field.name.clone(),
    }
}

/// The `serialize_field` calls, each behind its `skip_serializing_if`;
/// `tr` is `serde::ser::<trait_name>`.
fn fields(
    krate: &syn::Path,
    body: &Body<'_>,
    rule: Option<&Rule>,
    (tr, trait_name): (&TokenStream, &str),
    keyed: bool,
    can_skip: bool,
) -> Vec<TokenStream> {
    body.fields
        .iter()
        .filter(|f| is_written(f))
        .map(|field| {
            let key = key(field, rule);
            let write = if field.redact.is_none() {
                write_at_field(krate, field, trait_name, keyed.then_some(&key))
            } else {
                let value = value(krate, field);
                if keyed {
                    quote!(#tr::serialize_field(&mut __state, #key, #value)?;)
                } else {
                    quote!(#tr::serialize_field(&mut __state, #value)?;)
                }
            };
            match &field.serde.skip_if {
                None => write,
                Some(path) => {
                    let call = skip_if(krate, path, field);
                    let skip = if can_skip {
                        quote!(else { #tr::skip_field(&mut __state, #key)?; })
                    } else {
                        TokenStream::new()
                    };
                    quote!(if !#call { #write } #skip)
                }
            }
        })
        .collect()
}

/// A struct, tuple or variant written field by field: open the serde
/// compound, write each field, end it.
fn compound(tr: &TokenStream, open: &TokenStream, fields: &[TokenStream]) -> TokenStream {
    quote!({
        #[allow(unused_mut)]
        let mut __state = #open?;
        #(#fields)*
        #tr::end(__state)
    })
}

fn struct_body(krate: &syn::Path, name: &str, body: &Body<'_>, rule: Option<&Rule>) -> TokenStream {
    let serde = quote!(#krate::derive_support::serde);
    let len = len(krate, body);
    match body.style {
        Style::Unit => quote!(#serde::Serializer::serialize_unit_struct(__serializer, #name)),
        Style::Tuple if body.fields.len() == 1 => {
            let field = &body.fields[0];
            let value = value(krate, field);
            at_field(
                field,
                quote!(#serde::Serializer::serialize_newtype_struct(__serializer, #name, #value)),
            )
        }
        Style::Tuple => {
            let tr = quote!(#serde::ser::SerializeTupleStruct);
            let fields = fields(
                krate,
                body,
                rule,
                (&tr, "SerializeTupleStruct"),
                false,
                false,
            );
            compound(
                &tr,
                &quote!(#serde::Serializer::serialize_tuple_struct(__serializer, #name, #len)),
                &fields,
            )
        }
        Style::Named => {
            let tr = quote!(#serde::ser::SerializeStruct);
            let fields = fields(krate, body, rule, (&tr, "SerializeStruct"), true, true);
            compound(
                &tr,
                &quote!(#serde::Serializer::serialize_struct(__serializer, #name, #len)),
                &fields,
            )
        }
    }
}

fn variant_body(
    krate: &syn::Path,
    name: &str,
    index: u32,
    variant: &str,
    body: &Body<'_>,
    rule: Option<&Rule>,
) -> TokenStream {
    let serde = quote!(#krate::derive_support::serde);
    let len = len(krate, body);
    match body.style {
        Style::Unit => quote! {
            #serde::Serializer::serialize_unit_variant(__serializer, #name, #index, #variant)
        },
        Style::Tuple if body.fields.len() == 1 => {
            let field = &body.fields[0];
            let value = value(krate, field);
            at_field(
                field,
                quote!(#serde::Serializer::serialize_newtype_variant(__serializer, #name, #index, #variant, #value)),
            )
        }
        Style::Tuple => {
            let tr = quote!(#serde::ser::SerializeTupleVariant);
            let fields = fields(
                krate,
                body,
                rule,
                (&tr, "SerializeTupleVariant"),
                false,
                false,
            );
            compound(
                &tr,
                &quote!(#serde::Serializer::serialize_tuple_variant(__serializer, #name, #index, #variant, #len)),
                &fields,
            )
        }
        Style::Named => {
            let tr = quote!(#serde::ser::SerializeStructVariant);
            let fields = fields(
                krate,
                body,
                rule,
                (&tr, "SerializeStructVariant"),
                true,
                true,
            );
            compound(
                &tr,
                &quote!(#serde::Serializer::serialize_struct_variant(__serializer, #name, #index, #variant, #len)),
                &fields,
            )
        }
    }
}
