//! Bounds inferred the way serde's derive infers them: for the type
//! parameters (and associated types of them) that a field written as is
//! mentions, so a parameter used only by redacted fields, or only inside
//! `PhantomData`, needs nothing. Bounding the parameters rather than the
//! field types keeps recursive types (`children: Vec<Tree<T>>`) from
//! requiring their own impl.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};

use crate::span::respan;
use crate::symbol::PHANTOM_DATA;

pub(crate) struct Bounds<'a> {
    generics: &'a syn::Generics,
    params: BTreeSet<String>,
    predicates: Vec<TokenStream>,
    /// The (parameter, kind of bound) pairs already bounded.
    seen: BTreeSet<(String, &'static str)>,
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

    /// Requires `bound` of every type parameter (or associated type of
    /// one) that `ty` mentions, once per parameter and `kind` of bound: the
    /// first field to need it names it (a bound that names its field gives
    /// the error at the use site a message that names the field).
    pub(crate) fn insert(&mut self, ty: &syn::Type, kind: &'static str, bound: &TokenStream) {
        // Without type parameters nothing is found: the walk, and the
        // bound's re-spanning, would be the derive's time for nothing.
        if self.params.is_empty() {
            return;
        }
        let mut found = Vec::new();
        self.walk(ty, &mut found);
        if found.is_empty() {
            return;
        }
        // Spanned at the field's type, so that an unsatisfied bound at a
        // use (`Labeled<KeyMaterial>`) points at the field that needs it.
        let bound = respan(bound.clone(), syn::spanned::Spanned::span(ty));
        for bounded in found {
            if self.seen.insert((bounded.to_string(), kind)) {
                self.predicates.push(quote!(#bounded: #bound));
            }
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

    fn is_param(&self, ident: &syn::Ident) -> bool {
        self.params.contains(&ident.to_string())
    }

    fn walk(&self, ty: &syn::Type, found: &mut Vec<TokenStream>) {
        match ty {
            syn::Type::Path(path) => self.walk_path(ty, path, found),
            syn::Type::Reference(r) => self.walk(&r.elem, found),
            syn::Type::Slice(s) => self.walk(&s.elem, found),
            syn::Type::Array(a) => self.walk(&a.elem, found),
            syn::Type::Ptr(p) => self.walk(&p.elem, found),
            syn::Type::Paren(p) => self.walk(&p.elem, found),
            syn::Type::Group(g) => self.walk(&g.elem, found),
            syn::Type::Tuple(t) => {
                for elem in &t.elems {
                    self.walk(elem, found);
                }
            }
            // Function pointers format and serialize (or not) whatever
            // their argument types; trait objects and `impl Trait` cannot
            // be fixed by a bound on a parameter.
            syn::Type::FnPtr(_)
            | syn::Type::TraitObject(_)
            | syn::Type::ImplTrait(_)
            | syn::Type::Never(_)
            | syn::Type::Infer(_) => {}
            // A macro or unknown syntax: bound the whole type if it might
            // mention a parameter.
            _ => {
                if self.mentions(ty.to_token_stream()) {
                    found.push(ty.to_token_stream());
                }
            }
        }
    }

    fn walk_path(&self, ty: &syn::Type, path: &syn::TypePath, found: &mut Vec<TokenStream>) {
        if let Some(qself) = &path.qself {
            // `<T as Trait>::Assoc`: bound the projection itself.
            if self.mentions(qself.ty.to_token_stream()) {
                found.push(ty.to_token_stream());
            }
            return;
        }
        let segments = &path.path.segments;
        if path.path.leading_colon.is_none()
            && let Some(first) = segments.first()
            && self.is_param(&first.ident)
        {
            if segments.len() == 1 {
                found.push(first.ident.to_token_stream());
            } else {
                // `T::Assoc`: the parameter itself need not be bounded.
                found.push(ty.to_token_stream());
            }
            return;
        }
        if segments.last().is_some_and(|s| s.ident == PHANTOM_DATA) {
            return;
        }
        for segment in segments {
            match &segment.arguments {
                syn::PathArguments::None => {}
                syn::PathArguments::AngleBracketed(args) => {
                    for arg in &args.args {
                        match arg {
                            syn::GenericArgument::Type(t) => self.walk(t, found),
                            syn::GenericArgument::AssocType(a) => self.walk(&a.ty, found),
                            _ => {}
                        }
                    }
                }
                syn::PathArguments::Parenthesized(args) => {
                    for input in &args.inputs {
                        self.walk(&input.ty, found);
                    }
                    if let syn::ReturnType::Type(_, output) = &args.output {
                        self.walk(output, found);
                    }
                }
            }
        }
    }

    /// Whether tokens name one of the type parameters.
    fn mentions(&self, tokens: TokenStream) -> bool {
        tokens.into_iter().any(|tt| match tt {
            TokenTree::Ident(ident) => self.is_param(&ident),
            TokenTree::Group(group) => self.mentions(group.stream()),
            TokenTree::Punct(_) | TokenTree::Literal(_) => false,
        })
    }
}
