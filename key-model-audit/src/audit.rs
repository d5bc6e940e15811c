//! The audit of one file: parse, collect renames, walk every node.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use crate::finding::{Finding, Kind};
use crate::follow;
use crate::names::{self, Aliases};
use crate::render;
use crate::tokens::{self, Hit};
use crate::walk::{self, Entry};

/// Every finding of one walked entry, and of every file it pulls in by
/// name (`follow.rs`).
pub(crate) fn audit_file(entry: &Entry) -> Vec<Finding> {
    if let Some(error) = &entry.unreadable_dir {
        return vec![unparsed(
            &entry.rel,
            1,
            format!("directory not read: {error}"),
        )];
    }
    let mut findings = Vec::new();
    let mut seen = Vec::new();
    audit_path(&entry.path, &entry.rel, 0, &mut seen, &mut findings);
    findings
}

/// How many `#[path]`/`include!` hops are followed from one walked file;
/// a chain longer than this is a finding.
const MAX_FOLLOW: usize = 16;

fn unparsed(rel: &str, line: usize, text: String) -> Finding {
    Finding {
        file: rel.to_owned(),
        line,
        kind: Kind::Unparsed,
        trait_: None,
        type_: None,
        text,
    }
}

fn audit_path(
    path: &Path,
    rel: &str,
    hops: usize,
    seen: &mut Vec<PathBuf>,
    findings: &mut Vec<Finding>,
) {
    if seen.iter().any(|p| p == path) {
        return;
    }
    seen.push(path.to_owned());
    let source = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => return findings.push(unparsed(rel, 1, format!("file not read: {error}"))),
    };
    let source = match String::from_utf8(source) {
        Ok(source) => source,
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            // The valid prefix is UTF-8: count its lines as text.
            let line = 1 + source_prefix_lines(&error.as_bytes()[..at]);
            return findings.push(unparsed(rel, line, "not UTF-8".to_owned()));
        }
    };
    findings.extend(audit_source(rel, &source));
    let text = source.strip_prefix('\u{feff}').unwrap_or(&source);
    let mut references = Vec::new();
    let mut mods = Vec::new();
    if let Ok(stream) = text.parse::<TokenStream>() {
        follow::references(stream.clone(), &mut references);
        follow::mod_decls(stream, &[], &mut mods);
    }
    // Every span of this file is gone with its syntax tree: free the
    // thread's source map, which otherwise grows with every file audited.
    proc_macro2::extra::invalidate_current_thread_spans();
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let file_name = path
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    for decl in &mods {
        for named in follow::skipped_module_files(dir, &file_name, decl, &walk::SKIPPED_DIRS) {
            references.push(follow::Reference {
                line: decl.line,
                what: "mod",
                path: Some(named),
            });
        }
    }
    for reference in references {
        let Some(named) = reference.path else {
            findings.push(unparsed(
                rel,
                reference.line,
                format!(
                    "{} of a computed path: the file it names is not read",
                    reference.what
                ),
            ));
            continue;
        };
        let target = dir.join(&named);
        let target_rel = follow::relative_name(rel, &named);
        if !target.is_file() {
            findings.push(unparsed(
                rel,
                reference.line,
                format!(
                    "{} {named:?}: no such file beside this one, not read",
                    reference.what
                ),
            ));
        } else if hops >= MAX_FOLLOW {
            findings.push(unparsed(
                rel,
                reference.line,
                format!(
                    "{} {named:?}: more than {MAX_FOLLOW} files deep, not read",
                    reference.what
                ),
            ));
        } else {
            audit_path(&target, &target_rel, hops + 1, seen, findings);
        }
    }
}

/// Deeper nesting than this is not handed to syn, whose recursive descent
/// (and the visitor's) could overflow even the audit threads' stack on
/// machine-generated input; such a file is `unparsed`, and its tokens are
/// scanned. Hand-written Rust stays far below it.
const MAX_DEPTH: usize = 1000;

fn audit_source(rel: &str, source: &str) -> Vec<Finding> {
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    if let Ok(stream) = text.parse::<TokenStream>()
        && let depth = tokens::depth(stream.clone())
        && depth > MAX_DEPTH
    {
        let error = format!(
            "does not parse: groups nest {depth} deep, more than the {MAX_DEPTH} the audit parses"
        );
        return unparsed_with_tokens(rel, 1, error, Some(stream));
    }
    match syn::parse_file(source) {
        Ok(file) => {
            let mut renames = Renames::default();
            renames.visit_file(&file);
            let mut auditor = Auditor {
                file: rel,
                aliases: Aliases::from_edges(&renames.edges),
                findings: Vec::new(),
            };
            auditor.visit_file(&file);
            auditor.findings
        }
        Err(error) => {
            let line = error.span().start().line.max(1);
            // Still read what it says: a file rustc accepts (new syntax) or
            // one `include!`d as an expression may hold an impl.
            unparsed_with_tokens(
                rel,
                line,
                format!("does not parse: {error}"),
                text.parse().ok(),
            )
        }
    }
}

/// The `unparsed` finding of a file, and the token scan of its tokens, if
/// it has any.
fn unparsed_with_tokens(
    rel: &str,
    line: usize,
    text: String,
    stream: Option<TokenStream>,
) -> Vec<Finding> {
    let mut findings = vec![Finding {
        file: rel.to_owned(),
        line,
        kind: Kind::Unparsed,
        trait_: None,
        type_: None,
        text,
    }];
    if let Some(stream) = stream {
        let mut edges = Vec::new();
        tokens::rename_edges(stream.clone(), &mut edges);
        let aliases = Aliases::from_edges(&edges);
        let mut hits = Vec::new();
        tokens::scan(stream, &aliases, &mut hits);
        findings.extend(hits.into_iter().map(|hit| Finding {
            file: rel.to_owned(),
            line: hit.line,
            kind: Kind::Unparsed,
            trait_: hit.trait_,
            type_: hit.type_,
            text: format!("its tokens say: {}", hit.text),
        }));
    }
    findings
}

/// The first pass: every `A as B` of the file (imports, type and trait
/// aliases, macro tokens), so that the second pass knows what `B` is
/// wherever it is used, before or after the import.
#[derive(Default)]
struct Renames {
    edges: Vec<(String, String)>,
}

impl<'ast> Visit<'ast> for Renames {
    fn visit_use_rename(&mut self, node: &'ast syn::UseRename) {
        self.edges.push((unraw(&node.ident), unraw(&node.rename)));
    }

    fn visit_item_type(&mut self, node: &'ast syn::ItemType) {
        if let Some(last) = type_last_ident(&node.ty) {
            self.edges.push((last, unraw(&node.ident)));
        }
        visit::visit_item_type(self, node);
    }

    fn visit_item_trait_alias(&mut self, node: &'ast syn::ItemTraitAlias) {
        for last in bound_last_idents(&node.bounds) {
            self.edges.push((last, unraw(&node.ident)));
        }
        visit::visit_item_trait_alias(self, node);
    }

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        tokens::rename_edges(node.tokens.clone(), &mut self.edges);
    }

    fn visit_attribute(&mut self, node: &'ast syn::Attribute) {
        if let syn::Meta::List(list) = &node.meta {
            tokens::rename_edges(list.tokens.clone(), &mut self.edges);
        }
        visit::visit_attribute(self, node);
    }

    fn visit_item(&mut self, node: &'ast syn::Item) {
        if let syn::Item::Verbatim(stream) = node {
            tokens::rename_edges(stream.clone(), &mut self.edges);
        }
        visit::visit_item(self, node);
    }
}

/// The second pass: the findings.
struct Auditor<'a> {
    file: &'a str,
    aliases: Aliases,
    findings: Vec<Finding>,
}

impl Auditor<'_> {
    fn push(
        &mut self,
        line: usize,
        kind: Kind,
        trait_: Option<&'static str>,
        type_: Option<String>,
        text: String,
    ) {
        self.findings.push(Finding {
            file: self.file.to_owned(),
            line: line.max(1),
            kind,
            trait_,
            type_,
            text,
        });
    }

    /// Scans a token stream `where_` names (`macro_rules! m`, `quote!`,
    /// `#[attr]`).
    fn scan_tokens(&mut self, stream: TokenStream, where_: &str) {
        let mut hits = Vec::new();
        tokens::scan(stream, &self.aliases, &mut hits);
        for Hit {
            line,
            trait_,
            type_,
            text,
        } in hits
        {
            self.push(
                line,
                Kind::MacroBody,
                trait_,
                type_,
                format!("in {where_}: {text}"),
            );
        }
    }

    /// A macro invocation's tokens: visited as Rust when they are items or
    /// comma-separated expressions (`assert!`, `vec!`, `cfg_if!`-free item
    /// lists), so a call in them is a `scope-constructor` as anywhere else;
    /// scanned as tokens when they are not (`macro_rules!` arms, `quote!`
    /// with interpolations, custom syntax).
    fn visit_macro_tokens(&mut self, mac: &syn::Macro, where_: &str) {
        let exprs = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(file) = syn::parse2::<syn::File>(mac.tokens.clone()) {
            self.visit_file(&file);
        } else if let Ok(exprs) = syn::parse::Parser::parse2(exprs, mac.tokens.clone()) {
            for expr in &exprs {
                self.visit_expr(expr);
            }
        } else {
            self.scan_tokens(mac.tokens.clone(), where_);
        }
    }

    /// Reports the leaves of a `use` tree that name a watched item.
    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &str) {
        match tree {
            syn::UseTree::Path(path) => {
                let prefix = format!("{prefix}{}::", path.ident);
                self.use_tree(&path.tree, &prefix);
            }
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(tree, prefix);
                }
            }
            syn::UseTree::Name(name) => {
                if unraw(&name.ident) == names::AUTHORIZED_BY_HOST {
                    let text = format!("use {prefix}{}", name.ident);
                    self.push(
                        line(name.ident.span()),
                        Kind::ScopeConstructor,
                        None,
                        qualifier(prefix, &self.aliases),
                        text,
                    );
                }
            }
            syn::UseTree::Rename(rename) => {
                let from = unraw(&rename.ident);
                let text = format!("use {prefix}{} as {}", rename.ident, rename.rename);
                if let Some(real) = self.aliases.resolve(&from) {
                    let (trait_, type_) = tokens::watched_fields(real);
                    self.push(
                        line(rename.ident.span()),
                        Kind::Rename,
                        trait_,
                        type_,
                        text.clone(),
                    );
                }
                if from == names::AUTHORIZED_BY_HOST {
                    self.push(
                        line(rename.ident.span()),
                        Kind::ScopeConstructor,
                        None,
                        qualifier(prefix, &self.aliases),
                        text,
                    );
                }
            }
            syn::UseTree::Glob(_) => {}
        }
    }

    /// Reports a path that ends in `authorized_by_host` (`what`: called or
    /// named).
    fn constructor_path(
        &mut self,
        qself: Option<&syn::QSelf>,
        path: &syn::Path,
        text: String,
    ) -> bool {
        let Some(last) = path.segments.last() else {
            return false;
        };
        if unraw(&last.ident) != names::AUTHORIZED_BY_HOST {
            return false;
        }
        let type_name = match qself {
            Some(qself) => type_last_ident(&qself.ty),
            None if path.segments.len() >= 2 => {
                Some(unraw(&path.segments[path.segments.len() - 2].ident))
            }
            None => None,
        };
        let type_ = type_name.map(|name| self.aliases.resolve(&name).map_or(name, str::to_owned));
        let at = qself.map_or_else(|| path.span(), |qself| qself.lt_token.span);
        self.push(line(at), Kind::ScopeConstructor, None, type_, text);
        true
    }
}

impl<'ast> Visit<'ast> for Auditor<'_> {
    fn visit_item_impl(&mut self, node: &'ast syn::ItemImpl) {
        if let Some((path, _)) = &node.trait_
            && let Some(last) = path.segments.last()
            && let Some(real) = self.aliases.resolve(&unraw(&last.ident))
            && let Some(kind) = names::impl_kind(real)
        {
            let at = node
                .unsafety
                .map_or(node.impl_token.span, |unsafety| unsafety.span);
            let text = format!(
                "{}impl{} {}{} for {}",
                if node.unsafety.is_some() {
                    "unsafe "
                } else {
                    ""
                },
                render::node(&node.generics),
                if node.modifiers.polarity.is_some() {
                    "!"
                } else {
                    ""
                },
                render::node(path),
                render::node(&node.self_ty),
            );
            self.push(
                line(at),
                kind,
                Some(real),
                Some(render::node(&node.self_ty)),
                text,
            );
        }
        visit::visit_item_impl(self, node);
    }

    fn visit_item_use(&mut self, node: &'ast syn::ItemUse) {
        let prefix = if node.leading_colon.is_some() {
            "::"
        } else {
            ""
        };
        self.use_tree(&node.tree, prefix);
        visit::visit_item_use(self, node);
    }

    fn visit_item_type(&mut self, node: &'ast syn::ItemType) {
        if let Some(last) = type_last_ident(&node.ty)
            && let Some(real) = self.aliases.resolve(&last)
        {
            let (trait_, type_) = tokens::watched_fields(real);
            let text = format!("type {} = {}", node.ident, render::node(&node.ty));
            self.push(
                line(node.type_token.span),
                Kind::Rename,
                trait_,
                type_,
                text,
            );
        }
        visit::visit_item_type(self, node);
    }

    fn visit_item_trait_alias(&mut self, node: &'ast syn::ItemTraitAlias) {
        for last in bound_last_idents(&node.bounds) {
            if let Some(real) = self.aliases.resolve(&last) {
                let (trait_, type_) = tokens::watched_fields(real);
                let text = format!("trait {} = {}", node.ident, render::node(&node.bounds));
                self.push(
                    line(node.trait_token.span),
                    Kind::Rename,
                    trait_,
                    type_,
                    text,
                );
            }
        }
        visit::visit_item_trait_alias(self, node);
    }

    fn visit_expr_call(&mut self, node: &'ast syn::ExprCall) {
        if let syn::Expr::Path(func) = &*node.func {
            let text = format!("{}(..)", render::node(func));
            if self.constructor_path(func.qself.as_ref(), &func.path, text) {
                // The path is reported as a call: not once more as a path.
                for arg in &node.args {
                    self.visit_expr(arg);
                }
                return;
            }
        }
        visit::visit_expr_call(self, node);
    }

    fn visit_expr_path(&mut self, node: &'ast syn::ExprPath) {
        let text = render::node(node);
        self.constructor_path(node.qself.as_ref(), &node.path, text);
        visit::visit_expr_path(self, node);
    }

    fn visit_expr_method_call(&mut self, node: &'ast syn::ExprMethodCall) {
        if unraw(&node.method) == names::AUTHORIZED_BY_HOST {
            let text = format!(".{}(..)", node.method);
            self.push(
                line(node.method.span()),
                Kind::ScopeConstructor,
                None,
                None,
                text,
            );
        }
        visit::visit_expr_method_call(self, node);
    }

    fn visit_item_macro(&mut self, node: &'ast syn::ItemMacro) {
        for attr in &node.attrs {
            self.visit_attribute(attr);
        }
        match &node.ident {
            // A `macro_rules!` body is arms of patterns and templates: tokens.
            Some(ident) => {
                let where_ = format!("{}! {ident}", render::node(&node.mac.path));
                self.scan_tokens(node.mac.tokens.clone(), &where_);
            }
            None => self.visit_macro(&node.mac),
        }
    }

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        let where_ = format!("{}!", render::node(&node.path));
        self.visit_macro_tokens(node, &where_);
    }

    fn visit_attribute(&mut self, node: &'ast syn::Attribute) {
        if let syn::Meta::List(list) = &node.meta {
            let where_ = format!("#[{}(..)]", render::node(&list.path));
            self.scan_tokens(list.tokens.clone(), &where_);
        }
        visit::visit_attribute(self, node);
    }

    fn visit_item(&mut self, node: &'ast syn::Item) {
        if let syn::Item::Verbatim(stream) = node {
            self.scan_tokens(stream.clone(), "an item syn does not parse");
        }
        visit::visit_item(self, node);
    }

    fn visit_impl_item(&mut self, node: &'ast syn::ImplItem) {
        if let syn::ImplItem::Verbatim(stream) = node {
            self.scan_tokens(stream.clone(), "an impl item syn does not parse");
        }
        visit::visit_impl_item(self, node);
    }

    fn visit_trait_item(&mut self, node: &'ast syn::TraitItem) {
        if let syn::TraitItem::Verbatim(stream) = node {
            self.scan_tokens(stream.clone(), "a trait item syn does not parse");
        }
        visit::visit_trait_item(self, node);
    }

    fn visit_expr(&mut self, node: &'ast syn::Expr) {
        if let syn::Expr::Verbatim(stream) = node {
            self.scan_tokens(stream.clone(), "an expression syn does not parse");
        }
        visit::visit_expr(self, node);
    }
}

fn unraw(ident: &syn::Ident) -> String {
    syn::ext::IdentExt::unraw(ident).to_string()
}

fn line(span: proc_macro2::Span) -> usize {
    span.start().line
}

/// The type whose function a `use` prefix (`key_model::TenantScope::`)
/// names, resolved through renames.
fn qualifier(prefix: &str, aliases: &Aliases) -> Option<String> {
    let name = prefix
        .trim_end_matches("::")
        .rsplit("::")
        .next()
        .filter(|name| !name.is_empty())?;
    let name = name.strip_prefix("r#").unwrap_or(name);
    Some(
        aliases
            .resolve(name)
            .map_or_else(|| name.to_owned(), str::to_owned),
    )
}

/// The last identifier of a path type (`key_model::TenantScope`).
fn type_last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|last| unraw(&last.ident)),
        syn::Type::Paren(inner) => type_last_ident(&inner.elem),
        syn::Type::Group(inner) => type_last_ident(&inner.elem),
        _ => None,
    }
}

/// The last identifier of each trait bound's path.
fn bound_last_idents(bounds: &Punctuated<syn::TypeParamBound, syn::Token![+]>) -> Vec<String> {
    bounds
        .iter()
        .filter_map(|bound| match bound {
            syn::TypeParamBound::Trait(bound) => {
                bound.path.segments.last().map(|last| unraw(&last.ident))
            }
            _ => None,
        })
        .collect()
}

/// The line breaks in a valid UTF-8 prefix.
fn source_prefix_lines(prefix: &[u8]) -> usize {
    std::str::from_utf8(prefix).map_or(0, |text| {
        text.lines()
            .count()
            .saturating_sub(usize::from(!text.ends_with('\n')))
    })
}
