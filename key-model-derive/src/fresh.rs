//! Names for generated items that cannot collide with the user's.
//!
//! Generated code sits among the user's tokens: a field's type is written
//! as the user wrote it, inside a block that also declares our helpers. A
//! fixed name (`__S`, `__fields`) is a legal user name too, and the day a
//! user's type or parameter has it, one shadows the other. Hygiene does not
//! help on stable (`Span::mixed_site` hides only local variables, labels
//! and `$crate`), so a generated item is named after a readable base, with
//! underscores appended until no identifier of the input has the name: the
//! user's tokens can then never name it, and messages show the readable
//! base.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;

/// The base of every name [`Fresh::ident`] makes. Only an identifier that
/// is one of them with underscores appended can be one of those names, so
/// only those are kept: a set of every identifier of the input made the
/// walk one of the derives' costliest steps (docs/performance.md).
const BASES: &[&str] = &[
    "SecretFreeField",
    "SecretFreeProof",
    "secret_free_proof",
    "S",
    "key_model_crate",
];

/// The identifiers of the derive input that a generated name could be,
/// for [`Fresh::ident`].
#[derive(Clone)]
pub(crate) struct Fresh {
    taken: BTreeSet<String>,
    /// What else the walk saw.
    pub(crate) seen: Seen,
}

/// Which of the tokens a field type's own walk looks for appear anywhere
/// in the input: where none does, no field's type needs that walk
/// (`fresh::has_placeholder`, the boundary proof's `Marks`), one of the
/// derives' costlier steps per field (docs/performance.md).
#[derive(Clone, Copy, Default)]
pub(crate) struct Seen {
    /// `_`, as an identifier or a punctuation mark.
    pub(crate) underscore: bool,
    /// `Self`.
    pub(crate) self_ty: bool,
    /// `!`.
    pub(crate) bang: bool,
}

impl Fresh {
    /// The identifiers of `input`, the derive input's tokens.
    pub(crate) fn new(input: &TokenStream) -> Fresh {
        let mut fresh = Fresh {
            taken: BTreeSet::new(),
            seen: Seen::default(),
        };
        fresh.collect(input.clone());
        fresh
    }

    fn collect(&mut self, tokens: TokenStream) {
        for tt in tokens {
            match tt {
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    self.seen.underscore |= name == "_";
                    self.seen.self_ty |= name == "Self";
                    let name = name.strip_prefix("r#").unwrap_or(&name);
                    if BASES.contains(&name.trim_end_matches('_')) {
                        self.taken.insert(name.to_owned());
                    }
                }
                TokenTree::Group(group) => self.collect(group.stream()),
                TokenTree::Punct(punct) => {
                    let c = punct.as_char();
                    self.seen.underscore |= c == '_';
                    self.seen.bang |= c == '!';
                }
                TokenTree::Literal(_) => {}
            }
        }
    }

    /// `base`, or `base_`, `base__`, ...: the first that the input does not
    /// use (the result is remembered, so two calls never return one name).
    pub(crate) fn ident(&mut self, base: &str, span: Span) -> syn::Ident {
        // Every base is listed; the golden tests run every derive.
        debug_assert!(BASES.contains(&base), "`{base}` is not in `BASES`");
        let mut name = base.to_owned();
        while self.taken.contains(&name) {
            name.push('_');
        }
        self.taken.insert(name.clone());
        syn::Ident::new(&name, span)
    }
}

/// Whether `ty` contains `_`: the compiler already refused it (E0121) at
/// the field, and a check built from it would add only noise.
///
/// A macro's arguments (`m!(_)`) are not looked into: they are tokens for
/// the macro, which may expand to a type without `_`
/// (`macro_rules! m { ($t:tt) => { KeyMaterial } }`), and skipping such a
/// field would leave it unproven. A group after any `!` is passed over:
/// missing a real `_` there costs one more error, never a skipped check.
pub(crate) fn has_placeholder(ty: &syn::Type) -> bool {
    fn any(tokens: TokenStream) -> bool {
        let mut after_bang = false;
        tokens.into_iter().any(|tt| {
            let macro_arguments = after_bang;
            after_bang = matches!(&tt, TokenTree::Punct(punct) if punct.as_char() == '!');
            match tt {
                TokenTree::Ident(ident) => ident == "_",
                TokenTree::Punct(punct) => punct.as_char() == '_',
                TokenTree::Group(_) if macro_arguments => false,
                TokenTree::Group(group) => any(group.stream()),
                TokenTree::Literal(_) => false,
            }
        })
    }
    any(ty.to_token_stream())
}

#[cfg(test)]
mod tests {
    use super::{Fresh, has_placeholder};

    #[test]
    fn never_a_name_of_the_input() {
        let input: syn::DeriveInput = syn::parse_quote!(
            struct S<SecretFreeField> {
                a: SecretFreeField_,
                b: r#SecretFreeProof,
                c: key_model_crate__,
            }
        );
        let mut fresh = Fresh::new(&quote::ToTokens::to_token_stream(&input));
        let span = proc_macro2::Span::call_site();
        assert_eq!(fresh.ident("SecretFreeField", span), "SecretFreeField__");
        assert_eq!(fresh.ident("SecretFreeField", span), "SecretFreeField___");
        assert_eq!(fresh.ident("SecretFreeProof", span), "SecretFreeProof_");
        assert_eq!(fresh.ident("S", span), "S_");
        // `key_model_crate__` alone is taken: the base itself is free.
        assert_eq!(fresh.ident("key_model_crate", span), "key_model_crate");
        assert_eq!(fresh.ident("secret_free_proof", span), "secret_free_proof");
    }

    /// What the walk notes decides whether a field's type is walked at
    /// all: a `_`, `Self` or `!` anywhere must be seen.
    #[test]
    fn seen() {
        let seen =
            |input: syn::DeriveInput| Fresh::new(&quote::ToTokens::to_token_stream(&input)).seen;
        let plain = seen(syn::parse_quote!(
            struct S {
                a: Vec<u8>,
                b: [u8; 4],
            }
        ));
        assert!(!plain.underscore && !plain.self_ty && !plain.bang);
        let nested = seen(syn::parse_quote!(
            struct S {
                a: (Vec<_>, u8),
            }
        ));
        assert!(nested.underscore && !nested.self_ty && !nested.bang);
        let placeholder = seen(syn::parse_quote!(
            struct S {
                a: _,
            }
        ));
        assert!(placeholder.underscore);
        let macro_self = seen(syn::parse_quote!(
            struct S {
                a: Vec<m!(Self)>,
            }
        ));
        assert!(!macro_self.underscore && macro_self.self_ty && macro_self.bang);
    }

    #[test]
    fn placeholders() {
        assert!(has_placeholder(&syn::parse_quote!(_)));
        assert!(has_placeholder(&syn::parse_quote!(Vec<_>)));
        assert!(!has_placeholder(&syn::parse_quote!(Vec<u8>)));
        // A macro's arguments are the macro's: `m!(_)` may be any type.
        assert!(!has_placeholder(&syn::parse_quote!(m!(_))));
        assert!(!has_placeholder(&syn::parse_quote!(Vec<m![_]>)));
        assert!(has_placeholder(&syn::parse_quote!((m!(u8), _))));
    }
}
