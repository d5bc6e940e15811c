//! Bounds inferred the way std's and serde's derives should: only for the
//! field types that mention a type parameter, so `Wrapper<T>` with a
//! redacted `T` needs nothing of `T`.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};

pub(crate) struct Bounds<'a> {
    generics: &'a syn::Generics,
    params: BTreeSet<String>,
    predicates: Vec<TokenStream>,
    seen: BTreeSet<String>,
}

impl<'a> Bounds<'a> {
    pub(crate) fn new(generics: &'a syn::Generics) -> Self {
        Bounds {
            generics,
            params: generics
                .type_params()
                .map(|p| p.ident.to_string())
                .collect(),
            predicates: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    /// Requires `ty: bound` if `ty` mentions a type parameter.
    pub(crate) fn insert(&mut self, ty: &syn::Type, bound: &TokenStream) {
        if !mentions(ty.to_token_stream(), &self.params) {
            return;
        }
        let predicate = quote!(#ty: #bound);
        if self.seen.insert(predicate.to_string()) {
            self.predicates.push(predicate);
        }
    }

    /// The where clause of the impl: the input's own, plus the inferred
    /// predicates.
    pub(crate) fn where_clause(&self) -> TokenStream {
        let existing = self
            .generics
            .where_clause
            .as_ref()
            .map(|w| w.predicates.iter().collect::<Vec<_>>())
            .unwrap_or_default();
        let inferred = &self.predicates;
        if existing.is_empty() && inferred.is_empty() {
            return TokenStream::new();
        }
        quote!(where #(#existing,)* #(#inferred,)*)
    }
}

/// Whether a type's tokens name one of `params` (a token scan: `T`,
/// `Vec<T>`, `T::Assoc`, `[T; 4]`, `fn(T)`...).
fn mentions(tokens: TokenStream, params: &BTreeSet<String>) -> bool {
    tokens.into_iter().any(|tt| match tt {
        TokenTree::Ident(ident) => params.contains(&ident.to_string()),
        TokenTree::Group(group) => mentions(group.stream(), params),
        TokenTree::Punct(_) | TokenTree::Literal(_) => false,
    })
}
