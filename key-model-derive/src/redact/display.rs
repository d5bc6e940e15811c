//! `RedactedDisplay`: `#[display("...")]` on a struct or on each variant,
//! with std's `format!` syntax. Each placeholder is resolved to a field
//! here, so that naming a redacted, skipped or unknown field is an error,
//! and then rewritten to a generated argument: a `Display` placeholder gets
//! the field through `display_unredacted` (whose failing bound names the
//! field and the fix when the type is a secret), a `with` field gets its
//! function.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::{Body, Data, Field, Input, Style};
use super::attr::{DisplayAttr, Redact};
use super::bound::Bounds;
use super::fmt::{self, Arg, Count, Piece, Precision};
use super::pattern;
use crate::ctxt::Ctxt;
use crate::dummy;
use crate::span::{impl_header, respan_except};

/// The struct, or each variant: the pattern that matches it, its fields,
/// and its format string.
fn targets<'m, 'a>(
    input: &'m Input<'a>,
) -> Vec<(TokenStream, &'m Body<'a>, Option<&'m DisplayAttr>)> {
    match &input.data {
        Data::Struct(body) => vec![(quote!(Self), body, input.display.as_ref())],
        Data::Enum(variants) => variants
            .iter()
            .map(|variant| {
                let v = variant.ident;
                (quote!(Self::#v), &variant.body, variant.display.as_ref())
            })
            .collect(),
    }
}

/// Resolves the format string of each target against its fields,
/// reporting every bad placeholder to `cx` (a missing format string was
/// reported by `valid`).
pub(super) fn resolve(cx: &Ctxt, input: &Input<'_>) -> Vec<Written> {
    targets(input)
        .into_iter()
        .filter_map(|(_, body, display)| Written::resolve(cx, body, &display?.lit))
        .collect()
}

/// The impl, from the format strings `resolve` found valid, one per target.
pub(super) fn expand(input: &Input<'_>, formats: &[Written]) -> TokenStream {
    let krate = &input.krate;
    let ident = input.ident();
    let generics = input.generics();
    let mut bounds = Bounds::new(generics);

    let mut arms = Vec::new();
    for ((path, body, display), written) in targets(input).into_iter().zip(formats) {
        let Some(display) = display else { continue };
        for use_ in &written.uses {
            let field = &body.fields[use_.field];
            if let Class::Trait(tr) = use_.class {
                if tr == Trait::Display {
                    // The check trait, so that `Wrapper<KeyMaterial>` fails
                    // where it is used with this crate's message.
                    let bound = quote!(#krate::derive_support::DisplayUnredacted);
                    bounds.insert(field.ty, tr.name(), &bound);
                } else {
                    bounds.insert(field.ty, tr.name(), &tr.path());
                }
            }
        }
        let used: Vec<&str> = written
            .uses
            .iter()
            .map(|u| body.fields[u.field].name.as_str())
            .collect();
        let pat = pattern(&path, body, |f| used.contains(&f.name.as_str()));
        let args = written.uses.iter().map(|use_| {
            let name = &use_.arg;
            let value = use_.value(krate, &body.fields[use_.field]);
            quote!(#name = #value)
        });
        let lit = syn::LitStr::new(&written.format, display.lit.span());
        arms.push(quote! {
            // `format_args!` itself, not `write!`: an error inside `write!`
            // names std's internal `$crate::__export::format_args`.
            #pat => ::core::fmt::Formatter::write_fmt(__f, ::core::format_args!(#lit #(, #args)*)),
        });
    }
    let body = if matches!(&input.data, Data::Enum(v) if v.is_empty()) {
        quote!(match *self {})
    } else {
        quote!(match self { #(#arms)* })
    };
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let where_clause = bounds.where_clause();
    let header = impl_header(
        quote!(impl #impl_generics ::core::fmt::Display for #ident #ty_generics),
        ident,
    );
    dummy::wrap(
        &input.import,
        [quote! {
            #header #where_clause {
                fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    #body
                }
            }
        }],
    )
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Trait {
    Display,
    Debug,
    LowerHex,
    UpperHex,
    Octal,
    Binary,
    LowerExp,
    UpperExp,
    Pointer,
}

impl Trait {
    fn from_spec(ty: &str) -> Option<Trait> {
        Some(match ty {
            "" => Trait::Display,
            "?" | "x?" | "X?" => Trait::Debug,
            "x" => Trait::LowerHex,
            "X" => Trait::UpperHex,
            "o" => Trait::Octal,
            "b" => Trait::Binary,
            "e" => Trait::LowerExp,
            "E" => Trait::UpperExp,
            "p" => Trait::Pointer,
            _ => return None,
        })
    }

    /// The trait's name in `core::fmt`.
    fn name(self) -> &'static str {
        match self {
            Trait::Display => "Display",
            Trait::Debug => "Debug",
            Trait::LowerHex => "LowerHex",
            Trait::UpperHex => "UpperHex",
            Trait::Octal => "Octal",
            Trait::Binary => "Binary",
            Trait::LowerExp => "LowerExp",
            Trait::UpperExp => "UpperExp",
            Trait::Pointer => "Pointer",
        }
    }

    /// The identity function of `key_model::derive_support` that checks
    /// this trait at the field (`Display` has `display_unredacted`).
    fn checker(self) -> &'static str {
        match self {
            Trait::Display => "display_unredacted",
            Trait::Debug => "debug_field",
            Trait::LowerHex => "lower_hex_field",
            Trait::UpperHex => "upper_hex_field",
            Trait::Octal => "octal_field",
            Trait::Binary => "binary_field",
            Trait::LowerExp => "lower_exp_field",
            Trait::UpperExp => "upper_exp_field",
            Trait::Pointer => "pointer_field",
        }
    }

    fn path(self) -> TokenStream {
        let name = syn::Ident::new(self.name(), Span::call_site());
        quote!(::core::fmt::#name)
    }
}

/// How a generated argument presents its field.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    /// Formatted with this trait; `Display` goes through the checked
    /// `display_unredacted`.
    Trait(Trait),
    /// A `with` field, in `{}` or `{:?}`: the function writes it.
    With,
    /// A width or precision: the field's `usize` value.
    Count,
}

struct Use {
    field: usize,
    class: Class,
    arg: syn::Ident,
}

impl Use {
    /// The argument's expression. Every token but the field's binding is
    /// spanned at the field's type, so that a type without the trait the
    /// placeholder needs (or a count that is not a `usize`) is reported at
    /// the field, not at the derive (the placeholder itself cannot be
    /// pointed at on stable).
    fn value(&self, krate: &syn::Path, field: &Field<'_>) -> TokenStream {
        let binding = field.binding();
        let ty = field.ty;
        let tokens = match (&self.class, &field.redact) {
            (Class::With, Redact::With(path)) => {
                return quote_spanned!(path.span()=> &#krate::derive_support::With::<#ty>(#binding, #path));
            }
            (Class::Trait(Trait::Display), _) => {
                quote!(&#krate::derive_support::display_unredacted::<#ty>(#binding))
            }
            // A count is the field's `usize`, checked by the call.
            // The block is the argument the compiler blames, spanned at the
            // field (the binding inside keeps its hygiene and span).
            (Class::Count, _) => quote!(#krate::derive_support::count_field({ #binding })),
            (Class::Trait(Trait::Pointer), _) => {
                quote!(#krate::derive_support::pointer_field::<#ty>(#binding))
            }
            (Class::Trait(tr), _) => {
                let checker = syn::Ident::new(tr.checker(), Span::call_site());
                quote!(#krate::derive_support::#checker::<#ty>(&#binding))
            }
            (Class::With, _) => unreachable!("`With` is only chosen for a `with` field"),
        };
        respan_except(tokens, ty.span(), &[&binding])
    }
}

/// A format string resolved against the fields and rewritten to name the
/// generated arguments.
pub(super) struct Written {
    format: String,
    uses: Vec<Use>,
}

impl Written {
    fn resolve(cx: &Ctxt, body: &Body<'_>, lit: &syn::LitStr) -> Option<Written> {
        let pieces = match fmt::parse(&lit.value()) {
            Ok(pieces) => pieces,
            Err(message) => {
                cx.error_spanned_by(lit, message);
                return None;
            }
        };
        let mut resolver = Resolver {
            cx,
            body,
            lit,
            range: 0..0,
            next: 0,
            args: BTreeMap::new(),
            ok: true,
        };
        let mut format = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(text) => format.push_str(&text),
                Piece::Placeholder(p) => {
                    resolver.range = p.range.clone();
                    let precision = match &p.spec.precision {
                        None => String::new(),
                        // `.*` takes the next positional argument before
                        // the value does, as in std.
                        Some(Precision::Star) => {
                            format!(".{}$", resolver.arg(&Arg::Next, Some(Class::Count), ""))
                        }
                        Some(Precision::Count(count)) => format!(".{}", resolver.count(count)),
                    };
                    let width = match &p.spec.width {
                        None => String::new(),
                        Some(count) => resolver.count(count),
                    };
                    let name = resolver.arg(&p.arg, None, &p.spec.ty);
                    let spec = format!("{}{width}{precision}{}", p.spec.flags, p.spec.ty);
                    format.push('{');
                    format.push_str(&name);
                    if !spec.is_empty() {
                        format.push(':');
                        format.push_str(&spec);
                    }
                    format.push('}');
                }
            }
        }
        if !resolver.ok {
            return None;
        }
        let uses = resolver
            .args
            .into_iter()
            .map(|((field, class), arg)| Use { field, class, arg })
            .collect();
        Some(Written { format, uses })
    }
}

struct Resolver<'c, 'b, 'a> {
    cx: &'c Ctxt,
    body: &'b Body<'a>,
    lit: &'b syn::LitStr,
    /// The placeholder being resolved, in bytes of the string's value.
    range: core::ops::Range<usize>,
    next: usize,
    args: BTreeMap<(usize, Class), syn::Ident>,
    ok: bool,
}

impl Resolver<'_, '_, '_> {
    /// Records an error and returns a stand-in name, so that resolution
    /// goes on and every bad placeholder of the string is reported.
    fn error(&mut self, message: String) -> String {
        self.cx
            .syn_error(syn::Error::new(self.placeholder_span(), message));
        self.ok = false;
        "_".to_owned()
    }

    /// The span of the placeholder being resolved where the compiler can
    /// point inside a literal (nightly's `Literal::subspan`, for a plain
    /// string whose source is its value), else of the whole literal.
    fn placeholder_span(&self) -> Span {
        let token = self.lit.token();
        let source = token.to_string();
        let plain = source
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .is_some_and(|inner| inner == self.lit.value());
        let range = self.range.start + 1..self.range.end + 1;
        plain
            .then(|| token.subspan(range))
            .flatten()
            .unwrap_or_else(|| self.lit.span())
    }

    fn count(&mut self, count: &Count) -> String {
        match count {
            Count::Literal(digits) => digits.clone(),
            Count::Arg(arg) => format!("{}$", self.arg(arg, Some(Class::Count), "")),
        }
    }

    /// The generated argument for `arg` formatted as `ty` (or used as a
    /// count), or an error naming the placeholder.
    fn arg(&mut self, arg: &Arg, count: Option<Class>, ty: &str) -> String {
        // As the user wrote it (`{name}` for a value, `name$` for a count),
        // with the position an implicit `{}` or `.*` stands for.
        let shown = match (arg, count) {
            (Arg::Next, None) => format!("`{{}}` (position {})", self.next),
            (Arg::Next, Some(_)) => format!("`.*` (position {})", self.next),
            (Arg::Index(i), None) => format!("`{{{i}}}`"),
            (Arg::Name(name), None) => format!("`{{{name}}}`"),
            (Arg::Index(i), Some(_)) => format!("`{i}$`"),
            (Arg::Name(name), Some(_)) => format!("`{name}$`"),
        };
        let arg = match arg {
            // The implicit position counter, as std's: explicit positions
            // do not move it.
            Arg::Next => {
                self.next += 1;
                &Arg::Index(self.next - 1)
            }
            explicit => explicit,
        };
        let found = match (arg, self.body.style) {
            (Arg::Name(name), Style::Named) => {
                self.body.fields.iter().position(|f| &f.name == name)
            }
            (Arg::Index(i), Style::Tuple) => (*i < self.body.fields.len()).then_some(*i),
            (Arg::Index(_), Style::Named) => {
                return self.error(format!(
                    "{shown}: the fields are named, so name the field instead of its position"
                ));
            }
            _ => None,
        };
        let Some(index) = found else {
            let known: Vec<String> = self
                .body
                .fields
                .iter()
                .filter(|f| !matches!(f.redact, Redact::Full | Redact::Skip))
                .map(|f| format!("`{{{}}}`", f.name))
                .collect();
            let hint = if known.is_empty() {
                "there is no field that can be displayed".to_owned()
            } else {
                format!("fields that can be displayed: {}", known.join(", "))
            };
            return self.error(format!("{shown} names no field of this type; {hint}"));
        };
        let field = &self.body.fields[index];
        let class = match (&field.redact, count) {
            (Redact::Full, _) => {
                return self.error(format!(
                    "{shown} names a `#[redact]` field, which must never be displayed: remove it from the format string, or use `#[redact(with = path)]` to display what `path` chooses"
                ));
            }
            (Redact::Skip, _) => {
                return self.error(format!(
                    "{shown} names a `#[redact(skip)]` field, which must never be displayed: remove it from the format string"
                ));
            }
            // A count is the field's own `usize`: its value would show as
            // the padding or the precision, past the function.
            (Redact::With(_), Some(_)) => {
                return self.error(format!(
                    "{shown} is a `#[redact(with = ...)]` field: only its function may write it, so it cannot be a width or a precision, whose value shows in the output"
                ));
            }
            (_, Some(class)) => class,
            (Redact::With(_), None) => {
                if !ty.is_empty() && ty != "?" {
                    return self.error(format!(
                        "{shown} is a `#[redact(with = ...)]` field: its function writes it, so only `{{}}` and `{{:?}}` apply, not `{{:{ty}}}`"
                    ));
                }
                Class::With
            }
            (Redact::None, None) => match Trait::from_spec(ty) {
                Some(tr) => Class::Trait(tr),
                None => return self.error(format!("unknown format trait `{ty}` in `{{:{ty}}}`")),
            },
        };
        let next_index = self.args.len();
        let ident = self
            .args
            .entry((index, class))
            .or_insert_with(|| format_ident!("__arg{}", next_index));
        ident.to_string()
    }
}
