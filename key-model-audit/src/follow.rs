//! The files a source file pulls in by name: `#[path = "..."] mod m;`
//! (also inside `#[cfg_attr(..., path = "...")]`) and `include!("...")`.
//!
//! The walk reads `.rs` files outside `target/` and `.git` only, but rustc
//! compiles whatever such a reference names: `#[path = "hatch.txt"] mod
//! hatch;` or `include!("hatch.in")` would otherwise hide the impl in it.
//! Each reference is resolved against the directory of the file that holds
//! it (rustc's rule outside inline modules) and that file is audited too; a
//! reference the audit cannot follow (a computed `include!(concat!(...))`,
//! a file it cannot find) is itself a finding, never a silent skip. A file
//! the walk also reads gives the same findings twice, which `main` drops.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// One file named by another: the line of the reference, and the literal
/// path, or `None` when it is computed (not one string literal).
pub(crate) struct Reference {
    pub(crate) line: usize,
    pub(crate) what: &'static str,
    pub(crate) path: Option<String>,
}

/// Every `#[... path = "..." ...]` and `include!(...)` in `stream`, at any
/// depth (attributes, macro bodies and arguments included).
pub(crate) fn references(stream: TokenStream, out: &mut Vec<Reference>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                if let Some(TokenTree::Group(group)) = next_non_bang(&trees, i + 1)
                    && group.delimiter() == Delimiter::Bracket
                {
                    path_attributes(group.stream(), out);
                }
            }
            TokenTree::Ident(ident) if ident == "include" => {
                if let (Some(TokenTree::Punct(bang)), Some(TokenTree::Group(args))) =
                    (trees.get(i + 1), trees.get(i + 2))
                    && bang.as_char() == '!'
                {
                    out.push(Reference {
                        line: ident.span().start().line.max(1),
                        what: "include!",
                        path: single_string(args.stream()),
                    });
                }
            }
            _ => {}
        }
        if let TokenTree::Group(group) = tree {
            references(group.stream(), out);
        }
    }
}

/// The group after `#` or `#!`.
fn next_non_bang(trees: &[TokenTree], i: usize) -> Option<&TokenTree> {
    match trees.get(i)? {
        TokenTree::Punct(bang) if bang.as_char() == '!' => trees.get(i + 1),
        tree => Some(tree),
    }
}

/// `path = "..."` at the top of an attribute or inside a `cfg_attr(...)`.
fn path_attributes(stream: TokenStream, out: &mut Vec<Reference>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == "path" => {
                if let (Some(TokenTree::Punct(eq)), Some(value)) =
                    (trees.get(i + 1), trees.get(i + 2))
                    && eq.as_char() == '='
                {
                    out.push(Reference {
                        line: ident.span().start().line.max(1),
                        what: "#[path]",
                        path: single_string(value.clone().into()),
                    });
                }
            }
            TokenTree::Group(group) => path_attributes(group.stream(), out),
            _ => {}
        }
    }
}

/// The value of a stream that is one string literal (raw or not).
fn single_string(stream: TokenStream) -> Option<String> {
    syn::parse2::<syn::LitStr>(stream)
        .ok()
        .map(|lit| lit.value())
}

/// `rel`'s directory joined with `path`, `.` and `..` folded where they can
/// be, `/`-separated like the walk's names.
pub(crate) fn relative_name(rel: &str, path: &str) -> String {
    if std::path::Path::new(path).is_absolute() {
        return path.to_owned();
    }
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    parts.retain(|part| *part != "." && !part.is_empty());
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(source: &str) -> Vec<(usize, &'static str, Option<String>)> {
        let mut out = Vec::new();
        references(source.parse().unwrap(), &mut out);
        out.into_iter().map(|r| (r.line, r.what, r.path)).collect()
    }

    #[test]
    fn path_attributes_and_includes_are_found_wherever_they_are() {
        let source = "#[path = \"a.txt\"] mod a;\n\
                      #[cfg_attr(unix, path = r\"b.in\")] mod b;\n\
                      macro_rules! m { () => { include!(\"c.inc\"); } }\n\
                      include!(concat!(\"d\", \".x\"));\n\
                      fn f() { let path = \"config.toml\"; }\n";
        assert_eq!(
            found(source),
            [
                (1, "#[path]", Some("a.txt".to_owned())),
                (2, "#[path]", Some("b.in".to_owned())),
                (3, "include!", Some("c.inc".to_owned())),
                (4, "include!", None),
            ]
        );
    }

    #[test]
    fn names_are_resolved_against_the_file_directory() {
        assert_eq!(relative_name("src/lib.rs", "hatch.txt"), "src/hatch.txt");
        assert_eq!(relative_name("lib.rs", "./x/../y.in"), "y.in");
        assert_eq!(relative_name("a/b.rs", "../../c.rs"), "../c.rs");
    }
}
