//! Re-prints tokens as compact, readable Rust for a finding's text:
//! `km::SecretFree`, `W<T>`, `&'a str`, not proc-macro2's `km :: SecretFree`.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

/// The text of a parsed node.
pub(crate) fn node(node: &impl ToTokens) -> String {
    tokens(node.to_token_stream())
}

/// The text of a token stream.
pub(crate) fn tokens(stream: TokenStream) -> String {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    trees_text(&trees)
}

/// The text of a run of token trees.
pub(crate) fn trees_text(trees: &[TokenTree]) -> String {
    let atoms = atoms(trees);
    let mut out = String::new();
    for (i, atom) in atoms.iter().enumerate() {
        if i > 0 && space_between(i.checked_sub(2).map(|j| &atoms[j]), &atoms[i - 1], atom) {
            out.push(' ');
        }
        out.push_str(atom.text());
    }
    out
}

/// A printable unit: a word (identifier, literal, lifetime), an operator
/// (joint punctuation merged: `::`, `->`, `=>`) or a whole group.
enum Atom {
    Word(String),
    Op(String),
    Group(Delimiter, String),
}

impl Atom {
    fn text(&self) -> &str {
        match self {
            Atom::Word(text) | Atom::Op(text) | Atom::Group(_, text) => text,
        }
    }
}

/// The operators of two or three characters kept as one atom. `>>` and
/// `<<` are not among them: in a type they close or open two generics.
const OPERATORS: [&str; 20] = [
    "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "..", "...", "..=", "+=", "-=", "*=",
    "/=", "%=", "^=", "&=", "|=",
];

fn atoms(trees: &[TokenTree]) -> Vec<Atom> {
    let mut atoms = Vec::new();
    // Joint punctuation so far, while it is the start of an operator.
    let mut op = String::new();
    for tree in trees {
        if let TokenTree::Punct(punct) = tree {
            let mut longer = op.clone();
            longer.push(punct.as_char());
            if !op.is_empty() && !OPERATORS.iter().any(|known| known.starts_with(&longer)) {
                atoms.push(Atom::Op(std::mem::take(&mut op)));
                longer = punct.as_char().to_string();
            }
            op = longer;
            if punct.spacing() == Spacing::Alone {
                atoms.push(Atom::Op(std::mem::take(&mut op)));
            }
            continue;
        }
        // A lifetime is `'` (joint) then an identifier.
        if let TokenTree::Ident(ident) = tree
            && op == "'"
        {
            atoms.push(Atom::Word(format!("'{ident}")));
            op.clear();
            continue;
        }
        if !op.is_empty() {
            atoms.push(Atom::Op(std::mem::take(&mut op)));
        }
        atoms.push(match tree {
            TokenTree::Ident(ident) => Atom::Word(ident.to_string()),
            TokenTree::Literal(literal) => Atom::Word(literal.to_string()),
            TokenTree::Group(group) => {
                let inner = tokens(group.stream());
                let text = match group.delimiter() {
                    Delimiter::Parenthesis => format!("({inner})"),
                    Delimiter::Bracket => format!("[{inner}]"),
                    Delimiter::Brace if inner.is_empty() => "{}".to_owned(),
                    Delimiter::Brace => format!("{{ {inner} }}"),
                    Delimiter::None => inner,
                };
                Atom::Group(group.delimiter(), text)
            }
            // Handled above; kept total rather than `unreachable!`.
            TokenTree::Punct(punct) => Atom::Op(punct.as_char().to_string()),
        });
    }
    if !op.is_empty() {
        atoms.push(Atom::Op(op));
    }
    atoms
}

/// Keywords a parenthesis follows with a space (`for (A, B)`, `in [..]`).
const KEYWORDS: [&str; 12] = [
    "as", "dyn", "for", "if", "impl", "in", "match", "move", "mut", "return", "unsafe", "where",
];

fn space_between(earlier: Option<&Atom>, before: &Atom, after: &Atom) -> bool {
    let is_op = |atom: &Atom, text: &str| matches!(atom, Atom::Op(op) if op == text);
    match (before, after) {
        // `?Sized` after `:` or `+`, `x?` after an expression.
        (Atom::Op(_), Atom::Op(op)) if op == "?" => true,
        (_, Atom::Op(op)) if op == "?" => false,
        (Atom::Op(op), _) if op == "?" => !earlier.is_some_and(|atom| matches!(atom, Atom::Op(_))),
        (_, Atom::Op(op)) if matches!(op.as_str(), "," | ";" | ":" | "::" | ">" | "!" | ".") => {
            false
        }
        // `$(...),*`: a repetition's separator and operator.
        (Atom::Op(op), Atom::Op(next)) if op == "," && matches!(next.as_str(), "*" | "+") => false,
        (Atom::Op(op), _)
            if matches!(op.as_str(), "::" | "<" | "&" | "$" | "#" | "!" | "." | "'") =>
        {
            false
        }
        // `$(...)*`, `#(...)*`: the repetition's operator follows the group.
        (Atom::Group(..), Atom::Op(op)) if matches!(op.as_str(), "*" | "+") => {
            !earlier.is_some_and(|atom| is_op(atom, "$") || is_op(atom, "#"))
        }
        (Atom::Word(_), Atom::Op(op)) if op == "<" => false,
        // A call, a macro, `Fn(u8)`, an index: no space, after a keyword one.
        (Atom::Word(word), Atom::Group(Delimiter::Parenthesis | Delimiter::Bracket, _)) => {
            KEYWORDS.contains(&word.as_str())
        }
        (Atom::Op(op), Atom::Group(Delimiter::Parenthesis | Delimiter::Bracket, _)) => op != ">",
        (Atom::Group(..), Atom::Group(Delimiter::Parenthesis | Delimiter::Bracket, _)) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    fn text(source: &str) -> String {
        super::tokens(source.parse().expect("test tokens lex"))
    }

    #[test]
    fn prints_paths_generics_and_lifetimes_compactly() {
        assert_eq!(text("key_model :: SecretFree"), "key_model::SecretFree");
        assert_eq!(
            text("impl < 'a , T : ? Sized + Send > Tr for & 'a W < T >"),
            "impl<'a, T: ?Sized + Send> Tr for &'a W<T>"
        );
        assert_eq!(text("Vec<Vec<u8>>"), "Vec<Vec<u8>>");
        assert_eq!(text("f ( x ) ?"), "f(x)?");
        assert_eq!(
            text("$crate::SecretFree for $t"),
            "$crate::SecretFree for $t"
        );
        assert_eq!(text("$($name: SecretFree),*"), "$($name: SecretFree),*");
        assert_eq!(text("#krate::#name for (A, B)"), "#krate::#name for (A, B)");
        assert_eq!(text("Fn(u8) -> u8"), "Fn(u8) -> u8");
    }
}
