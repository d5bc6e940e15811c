//! Re-spanning generated tokens, so that the compiler reports an error in
//! them at what the user wrote.

use proc_macro2::{Group, Span, TokenStream, TokenTree};

/// `tokens`, every one at `span`, except that the identifiers in `keep`,
/// the generated locals (a match binding, `__state`), keep the hygiene of
/// the call-site span they are declared with: at the span of a field's type
/// from a `macro_rules!` body, the macro's hygiene would hide them.
pub(crate) fn respan_except(tokens: TokenStream, span: Span, keep: &[&syn::Ident]) -> TokenStream {
    // The names, made once: comparing two `Ident`s makes a string of each,
    // through the compiler's bridge, at every comparison.
    let keep: Vec<String> = keep.iter().map(ToString::to_string).collect();
    respan_names(tokens, span, &keep)
}

fn respan_names(tokens: TokenStream, span: Span, keep: &[String]) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            match &tt {
                TokenTree::Group(group) => {
                    let mut inner =
                        Group::new(group.delimiter(), respan_names(group.stream(), span, keep));
                    inner.set_span(span);
                    tt = TokenTree::Group(inner);
                }
                // Resolved where they were (`located_at` keeps a span's
                // hygiene), shown at `span`: the compiler may blame the
                // binding itself (a mismatched argument), and it must then
                // point at the user's tokens too.
                TokenTree::Ident(ident)
                    if !keep.is_empty() && keep.contains(&ident.to_string()) =>
                {
                    let moved = ident.span().located_at(span);
                    tt.set_span(moved);
                }
                _ => tt.set_span(span),
            }
            tt
        })
        .collect()
}

/// `ident` as [`respan_except`] moves an identifier it keeps, without
/// making tokens to walk: shown at `span`, resolved where it was.
pub(crate) fn kept(ident: &syn::Ident, span: Span) -> syn::Ident {
    let mut moved = ident.clone();
    moved.set_span(ident.span().located_at(span));
    moved
}

/// `path` as [`respan`] makes it. The alias every generated path starts
/// with is one identifier, moved without a walk over tokens.
pub(crate) fn path_at(path: &syn::Path, span: Span) -> TokenStream {
    match path.get_ident() {
        Some(ident) => {
            let mut moved = ident.clone();
            moved.set_span(span);
            TokenStream::from(TokenTree::Ident(moved))
        }
        None => respan(quote::ToTokens::to_token_stream(path), span),
    }
}

/// `ty.span()` (syn's `Spanned`: the first token's span, joined to the
/// last's where the compiler can), read off the syntax tree for a path
/// type rather than by printing the type into tokens to walk them, which
/// cost the redacting derives a walk per field (docs/performance.md).
pub(crate) fn type_span(ty: &syn::Type) -> Span {
    if let syn::Type::Path(path) = ty
        && path.qself.is_none()
        && let (Some(first), Some(last)) = (path.path.segments.first(), path.path.segments.last())
    {
        let start = path
            .path
            .leading_colon
            .map_or_else(|| first.ident.span(), |colon| colon.spans[0]);
        let end = match &last.arguments {
            syn::PathArguments::None => last.ident.span(),
            syn::PathArguments::AngleBracketed(args) => args.gt_token.span,
            syn::PathArguments::Parenthesized(_) => return syn::spanned::Spanned::span(ty),
        };
        return start.join(end).unwrap_or(start);
    }
    syn::spanned::Spanned::span(ty)
}

/// `tokens`, every one at `span`.
pub(crate) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    respan_except(tokens, span, &[])
}

/// `impl<...> Trait for Type<...>`, every token at the type's name. An impl
/// the compiler sees as written by a derive gets, under an error of one of
/// a generic type's parameters, "consider manually implementing `Trait` to
/// avoid undesired bounds": for a boundary kind an invitation to a
/// hand-written `unsafe impl`, for the redacting traits to an impl that
/// could leak. The bound is the requirement; the where clause, which keeps
/// its spans, points at the field or parameter that needs it.
pub(crate) fn impl_header(header: TokenStream, ident: &syn::Ident) -> TokenStream {
    respan(header, ident.span())
}
