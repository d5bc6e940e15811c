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
//! A plain `mod name;` is followed when the file rustc loads for it lies
//! under a directory the walk skips (`mod target;`, `target/mod.rs`).

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// One file named by another: the line of the reference, and the literal
/// path, or `None` when it is computed (not one string literal).
pub(crate) struct Reference {
    pub(crate) line: usize,
    pub(crate) what: &'static str,
    pub(crate) path: Option<String>,
}

/// A `mod name;` declaration, inside the inline modules `inline`.
pub(crate) struct ModDecl {
    pub(crate) line: usize,
    pub(crate) inline: Vec<String>,
    pub(crate) name: String,
}

/// Every `mod name;` in `stream`, with the inline modules around it.
pub(crate) fn mod_decls(stream: TokenStream, inline: &[String], out: &mut Vec<ModDecl>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    // The body of an inline `mod name { ... }`, read with `name` pushed.
    let mut body_at = None;
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(keyword) if keyword == "mod" => {
                let Some(TokenTree::Ident(name)) = trees.get(i + 1) else {
                    continue;
                };
                let name = name.to_string();
                let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
                match trees.get(i + 2) {
                    Some(TokenTree::Punct(semi)) if semi.as_char() == ';' => out.push(ModDecl {
                        line: keyword.span().start().line.max(1),
                        inline: inline.to_vec(),
                        name,
                    }),
                    Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => {
                        let mut nested = inline.to_vec();
                        nested.push(name);
                        mod_decls(body.stream(), &nested, out);
                        body_at = Some(i + 2);
                    }
                    _ => {}
                }
            }
            TokenTree::Group(group) if body_at != Some(i) => {
                mod_decls(group.stream(), inline, out);
            }
            _ => {}
        }
    }
}

/// The files rustc may load for `decl` in the file `file_name`, relative
/// to that file's directory, that the walk skips (they lie under a
/// `target/` or `.git` directory: `mod target;` loads `target/mod.rs`).
/// Both readings are tried: the file as a crate root or `mod.rs`, whose
/// modules are beside it, and as another module file, whose modules are in
/// the directory of its name; a candidate that does not exist is dropped.
pub(crate) fn skipped_module_files(
    dir: &std::path::Path,
    file_name: &str,
    decl: &ModDecl,
    skipped: &[&str],
) -> Vec<String> {
    let stem = file_name.strip_suffix(".rs").unwrap_or(file_name);
    let prefixes: Vec<Vec<&str>> = if matches!(file_name, "lib.rs" | "main.rs" | "mod.rs") {
        vec![Vec::new()]
    } else {
        vec![Vec::new(), vec![stem]]
    };
    let file = format!("{}.rs", decl.name);
    let mut out = Vec::new();
    for prefix in prefixes {
        let mut parts: Vec<&str> = prefix;
        parts.extend(decl.inline.iter().map(String::as_str));
        for tail in [vec![file.as_str()], vec![decl.name.as_str(), "mod.rs"]] {
            let mut candidate = parts.clone();
            candidate.extend(tail);
            let hidden = candidate[..candidate.len() - 1]
                .iter()
                .any(|part| skipped.contains(part));
            let rel = candidate.join("/");
            if hidden && dir.join(&rel).is_file() && !out.contains(&rel) {
                out.push(rel);
            }
        }
    }
    out
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

/// `path = "..."` as a whole attribute, or as one of the attributes of a
/// `cfg_attr(PREDICATE, ...)`. Nothing deeper: `#[utoipa::path(get, path =
/// "/api/x")]` is another crate's attribute whose arguments name a URL,
/// not a module file.
fn path_attributes(stream: TokenStream, out: &mut Vec<Reference>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    match trees.as_slice() {
        [TokenTree::Ident(ident), TokenTree::Punct(eq), value, ..]
            if ident == "path" && eq.as_char() == '=' =>
        {
            out.push(Reference {
                line: ident.span().start().line.max(1),
                what: "#[path]",
                path: single_string(value.clone().into()),
            });
        }
        [TokenTree::Ident(ident), TokenTree::Group(args)] if ident == "cfg_attr" => {
            let mut parts = vec![TokenStream::new()];
            for tree in args.stream() {
                match &tree {
                    TokenTree::Punct(comma) if comma.as_char() == ',' => {
                        parts.push(TokenStream::new());
                    }
                    _ => parts.last_mut().expect("one part at least").extend([tree]),
                }
            }
            // The first part is the predicate.
            for part in parts.into_iter().skip(1) {
                path_attributes(part, out);
            }
        }
        _ => {}
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
                      fn f() { let path = \"config.toml\"; }\n\
                      #[utoipa::path(get, path = \"/api/x\")] fn g() {}\n";
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
    fn module_declarations_carry_their_inline_modules() {
        let mut out = Vec::new();
        let source = "mod a;\nmod b { mod r#target; fn f() {} }\nmod c {}";
        mod_decls(source.parse().unwrap(), &[], &mut out);
        let found: Vec<_> = out
            .iter()
            .map(|d| (d.line, d.inline.join("/"), d.name.as_str()))
            .collect();
        assert_eq!(
            found,
            [(1, String::new(), "a"), (2, "b".to_owned(), "target")]
        );
    }

    #[test]
    fn names_are_resolved_against_the_file_directory() {
        assert_eq!(relative_name("src/lib.rs", "hatch.txt"), "src/hatch.txt");
        assert_eq!(relative_name("lib.rs", "./x/../y.in"), "y.in");
        assert_eq!(relative_name("a/b.rs", "../../c.rs"), "../c.rs");
    }
}
