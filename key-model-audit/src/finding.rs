//! What the audit reports, and its two output formats.

use std::fmt::Write as _;

/// The kinds of finding; `as_str` is the name printed, part of the output
/// format.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Kind {
    /// A hand-written impl of `SecretFree` or a kind trait.
    UnsafeImpl,
    /// An impl of the `RootKey` plug point.
    RootKeyImpl,
    /// An impl of the `KeyStore` plug point.
    KeyStoreImpl,
    /// A use of `TenantScope::authorized_by_host`, called or not.
    ScopeConstructor,
    /// A `use ... as` (or a type or trait alias) of a watched name.
    Rename,
    /// A token stream (a macro body or argument, an attribute's arguments,
    /// syntax syn keeps verbatim) that mentions an impl of a watched trait,
    /// an `unsafe impl` of a trait it receives, `authorized_by_host` or a
    /// rename.
    MacroBody,
    /// A file that does not parse (or cannot be read), and whatever its
    /// tokens mention.
    Unparsed,
}

impl Kind {
    /// The name in the output.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::UnsafeImpl => "unsafe-impl",
            Kind::RootKeyImpl => "root-key-impl",
            Kind::KeyStoreImpl => "key-store-impl",
            Kind::ScopeConstructor => "scope-constructor",
            Kind::Rename => "rename",
            Kind::MacroBody => "macro-body",
            Kind::Unparsed => "unparsed",
        }
    }
}

/// One line of the report.
#[derive(Debug)]
pub(crate) struct Finding {
    /// The file, relative to the audited root, `/`-separated.
    pub(crate) file: String,
    /// The line (1-based) where the construct starts.
    pub(crate) line: usize,
    pub(crate) kind: Kind,
    /// The watched trait the finding is about, by its real name
    /// (`SecretFree` for an impl of `Sf` after `use key_model::SecretFree as
    /// Sf`).
    pub(crate) trait_: Option<&'static str>,
    /// The implementing type of an impl (as written); for a scope
    /// constructor, the type it is called on (resolved through renames:
    /// `TenantScope`); for a rename of `TenantScope` or its constructor,
    /// `TenantScope`.
    pub(crate) type_: Option<String>,
    /// The construct, re-printed from its tokens (comments dropped).
    pub(crate) text: String,
}

/// Sorts by file, then line, then the rest, so the output is stable.
pub(crate) fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.kind, &a.text).cmp(&(&b.file, b.line, b.kind, &b.text))
    });
}

/// `FILE:LINE: KIND: TEXT`, one line each.
pub(crate) fn to_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        // Writing into a `String` cannot fail.
        let _ = writeln!(
            out,
            "{}:{}: {}: {}",
            f.file,
            f.line,
            f.kind.as_str(),
            one_line(&f.text)
        );
    }
    out
}

/// A JSON array, one object a line, keys in a fixed order.
///
/// `serde_json` escapes each string (file names and token text may hold
/// quotes, backslashes or control characters); the object is assembled here
/// to keep the key order of the format.
pub(crate) fn to_json(findings: &[Finding]) -> String {
    let string = |s: &str| serde_json::Value::from(s).to_string();
    let nullable = |s: Option<&str>| s.map_or_else(|| "null".to_owned(), string);
    let mut out = String::from("[");
    for (i, f) in findings.iter().enumerate() {
        let _ = write!(
            out,
            "{}\n  {{\"file\": {}, \"line\": {}, \"kind\": {}, \"trait\": {}, \"type\": {}, \"text\": {}}}",
            if i == 0 { "" } else { "," },
            string(&f.file),
            f.line,
            string(f.kind.as_str()),
            nullable(f.trait_),
            nullable(f.type_.as_deref()),
            string(&f.text),
        );
    }
    out.push_str(if findings.is_empty() { "]\n" } else { "\n]\n" });
    out
}

/// A line break in a finding's text (from a parse error message) would
/// break the one-line format.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
