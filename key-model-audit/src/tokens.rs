//! The scan of token streams that are not parsed as items: macro bodies,
//! macro arguments, attribute arguments, syntax syn keeps verbatim, and a
//! whole file that does not parse.
//!
//! Tokens carry no comments and no line breaks, so `unsafe /* SAFETY */
//! impl` is `unsafe impl` here too. The scan recognises three shapes at any
//! depth of nesting:
//!
//! - `impl ... TRAIT ... for TYPE`, where the last identifier before `for`
//!   outside `<...>` is a watched trait or a rename of one (`impl<T>
//!   $crate::SecretFree for W<T>`), and `unsafe impl $tr for ...` /
//!   `unsafe impl #tr for ...`, whose trait is substituted by the macro
//!   (a `macro_rules!` that takes the trait as an argument);
//! - `authorized_by_host`, anywhere;
//! - `NAME as ALIAS`, a rename of a watched name (a `use` a macro expands).

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use crate::names::{self, Aliases};
use crate::render;

/// A match in a token stream.
pub(crate) struct Hit {
    /// The line of its first token.
    pub(crate) line: usize,
    /// The watched trait, if the hit is about one.
    pub(crate) trait_: Option<&'static str>,
    /// As in [`crate::finding::Finding::type_`].
    pub(crate) type_: Option<String>,
    /// The matched tokens, re-printed.
    pub(crate) text: String,
}

/// Adds every `A as B` of `stream` to `edges`, as `(A, B)`.
pub(crate) fn rename_edges(stream: TokenStream, edges: &mut Vec<(String, String)>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(group) = tree {
            rename_edges(group.stream(), edges);
        } else if let Some((from, to)) = rename_at(&trees, i) {
            edges.push((from, to));
        }
    }
}

/// Every hit in `stream`, in order.
pub(crate) fn scan(stream: TokenStream, aliases: &Aliases, hits: &mut Vec<Hit>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Group(group) => scan(group.stream(), aliases, hits),
            TokenTree::Ident(_) => {
                let name = word(tree);
                if name.as_deref() == Some("impl") {
                    hits.extend(impl_at(&trees, i, aliases));
                } else if name.as_deref() == Some(names::AUTHORIZED_BY_HOST) {
                    hits.push(constructor_at(&trees, i, aliases));
                } else if let Some((from, to)) = rename_at(&trees, i)
                    && let Some(real) = aliases.resolve(&from)
                {
                    let (trait_, type_) = watched_fields(real);
                    hits.push(Hit {
                        line: line_of(tree),
                        trait_,
                        type_,
                        text: format!("{from} as {to}"),
                    });
                }
            }
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
}

/// How deep groups nest in `stream` (0 for no group), counted without
/// recursion: this is the guard that runs before anything recursive.
pub(crate) fn depth(stream: TokenStream) -> usize {
    let mut deepest = 0;
    let mut open = vec![stream.into_iter()];
    while let Some(level) = open.last_mut() {
        match level.next() {
            Some(TokenTree::Group(group)) => {
                open.push(group.stream().into_iter());
                deepest = deepest.max(open.len() - 1);
            }
            Some(_) => {}
            None => {
                open.pop();
            }
        }
    }
    deepest
}

/// The `trait` and `type` fields of a finding about the watched name
/// `real`: a trait is a trait, `TenantScope` and its constructor are about
/// the type `TenantScope`.
pub(crate) fn watched_fields(real: &'static str) -> (Option<&'static str>, Option<String>) {
    if names::impl_kind(real).is_some() {
        (Some(real), None)
    } else {
        (None, Some(names::TENANT_SCOPE.to_owned()))
    }
}

/// The identifier `tree` is, `r#` stripped.
pub(crate) fn word(tree: &TokenTree) -> Option<String> {
    match tree {
        TokenTree::Ident(ident) => {
            let text = ident.to_string();
            Some(
                text.strip_prefix("r#")
                    .map_or_else(|| text.clone(), str::to_owned),
            )
        }
        _ => None,
    }
}

/// The line (1-based) of a token.
pub(crate) fn line_of(tree: &TokenTree) -> usize {
    tree.span().start().line.max(1)
}

fn is_punct(tree: Option<&TokenTree>, c: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(punct)) if punct.as_char() == c)
}

/// `A as B` starting at `trees[i]`.
fn rename_at(trees: &[TokenTree], i: usize) -> Option<(String, String)> {
    let from = word(&trees[i])?;
    if word(trees.get(i + 1)?).as_deref() != Some("as") {
        return None;
    }
    Some((from, word(trees.get(i + 2)?)?))
}

/// The impl whose `impl` keyword is `trees[i]`, if it names a watched trait
/// or an `unsafe impl` names a substituted one.
fn impl_at(trees: &[TokenTree], i: usize, aliases: &Aliases) -> Option<Hit> {
    let unsafety = i > 0 && word(&trees[i - 1]).as_deref() == Some("unsafe");
    let start = if unsafety { i - 1 } else { i };
    // The last identifier outside angle brackets before `for` ends the
    // trait's path; `$x` / `#x` is a macro's substitution.
    let mut depth = 0_usize;
    let mut trait_name: Option<(String, bool)> = None;
    let mut for_at = None;
    let mut repeated = false;
    for j in i + 1..trees.len() {
        match &trees[j] {
            TokenTree::Punct(punct) => match punct.as_char() {
                '<' => depth += 1,
                // `->` in `Fn() -> T` closes nothing.
                '>' if !arrow_end(trees, j) => depth = depth.saturating_sub(1),
                ';' if depth == 0 => return None,
                _ => {}
            },
            TokenTree::Ident(_) => {
                let name = word(&trees[j])?;
                if name == "for" && depth == 0 {
                    for_at = Some(j);
                    break;
                }
                if name == "impl" {
                    return None;
                }
                if depth == 0 {
                    let substituted = j > 0
                        && (is_punct(trees.get(j - 1), '$') || is_punct(trees.get(j - 1), '#'));
                    trait_name = Some((name, substituted));
                }
            }
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace && depth == 0 => {
                return None;
            }
            // `$($tr)::+` or `#(#tr)::*`: a trait path the macro repeats
            // in, whatever it is.
            TokenTree::Group(_)
                if depth == 0
                    && (is_punct(trees.get(j - 1), '$') || is_punct(trees.get(j - 1), '#')) =>
            {
                repeated = true;
            }
            TokenTree::Group(_) | TokenTree::Literal(_) => {}
        }
    }
    let for_at = for_at?;
    let (name, substituted) = match trait_name {
        Some((name, substituted)) => (name, substituted || repeated),
        None if repeated => (String::new(), true),
        None => return None,
    };
    let real = aliases
        .resolve(&name)
        .filter(|real| names::impl_kind(real).is_some());
    if real.is_none() && !(unsafety && substituted) {
        return None;
    }
    let end = self_type_end(trees, for_at + 1);
    Some(Hit {
        line: line_of(&trees[start]),
        trait_: real,
        type_: Some(render::trees_text(&trees[for_at + 1..end])),
        text: render::trees_text(&trees[start..end]),
    })
}

/// Whether the `>` at `trees[j]` ends a `->`.
fn arrow_end(trees: &[TokenTree], j: usize) -> bool {
    j > 0
        && matches!(&trees[j - 1], TokenTree::Punct(p) if p.as_char() == '-' && p.spacing() == Spacing::Joint)
}

/// Where the self type that starts at `from` ends: at the body, a `where`
/// or a `;` outside angle brackets.
fn self_type_end(trees: &[TokenTree], from: usize) -> usize {
    let mut depth = 0_usize;
    for (j, tree) in trees.iter().enumerate().skip(from) {
        match tree {
            TokenTree::Punct(punct) => match punct.as_char() {
                '<' => depth += 1,
                '>' if !arrow_end(trees, j) => depth = depth.saturating_sub(1),
                ';' if depth == 0 => return j,
                _ => {}
            },
            TokenTree::Ident(_) if depth == 0 && word(tree).as_deref() == Some("where") => {
                return j;
            }
            TokenTree::Group(group) if depth == 0 && group.delimiter() == Delimiter::Brace => {
                return j;
            }
            _ => {}
        }
    }
    trees.len()
}

/// The use of `authorized_by_host` at `trees[i]`, with the path before it
/// (`$crate::TenantScope::`) and its arguments.
fn constructor_at(trees: &[TokenTree], i: usize, aliases: &Aliases) -> Hit {
    let is_path_sep = |j: usize| {
        j >= 2
            && matches!(&trees[j - 2], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
            && is_punct(trees.get(j - 1), ':')
    };
    let mut start = i;
    let mut qualifier = None;
    while is_path_sep(start) && start >= 3 {
        match &trees[start - 3] {
            TokenTree::Ident(_) => {
                if qualifier.is_none() {
                    qualifier = word(&trees[start - 3]);
                }
                start -= 3;
            }
            // `<TenantScope>::authorized_by_host`: the type is before `>`.
            TokenTree::Punct(p) if p.as_char() == '>' => {
                if qualifier.is_none() {
                    qualifier = trees[..start - 3].iter().rev().find_map(word);
                }
                break;
            }
            _ => break,
        }
    }
    if start > 0 && (is_punct(trees.get(start - 1), '$') || is_punct(trees.get(start - 1), '#')) {
        start -= 1;
    }
    let mut end = i + 1;
    if matches!(trees.get(end), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
    {
        end += 1;
    }
    Hit {
        line: line_of(&trees[start]),
        trait_: None,
        type_: qualifier.map(|name| aliases.resolve(&name).map_or(name, str::to_owned)),
        text: render::trees_text(&trees[start..end]),
    }
}
