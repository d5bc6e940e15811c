//! Golden expansion tests: each derive's output on a set of inputs,
//! pretty-printed and compared with a file checked in under `golden/` (as
//! zerocopy-derive's output tests do). A change to what a derive emits
//! shows up as a diff of readable Rust in review.
//!
//! `KEY_MODEL_BLESS=1 cargo test -p key-model-derive --lib golden` rewrites
//! the files (and removes those no case writes); read the diff before
//! committing it.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::boundary::Kind;
use crate::redact::Derive;

#[derive(Clone, Copy)]
enum Which {
    Boundary(Kind),
    Redact(Derive),
}

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Boundary(kind) => kind.name(),
            Which::Redact(derive) => derive.name(),
        }
    }

    fn expand(self, input: &syn::DeriveInput) -> proc_macro2::TokenStream {
        match self {
            Which::Boundary(kind) => crate::boundary_tokens(input, &tokens(input), kind),
            Which::Redact(derive) => crate::redact_tokens(input, &tokens(input), derive),
        }
    }
}

use Which::{Boundary, Redact};

/// The input's tokens, as a compiler would pass them.
fn tokens(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
    quote::ToTokens::to_token_stream(input)
}

/// `(file name, derive, input)`.
const CASES: &[(&str, Which, &str)] = &[
    // Each boundary kind on a struct.
    (
        "secret_free_struct",
        Boundary(Kind::SecretFree),
        "struct Recording { bytes: u64, encryption_key_ref: KeyRef }",
    ),
    (
        "api_dto_struct",
        Boundary(Kind::ApiDto),
        "struct KeyResponse { encryption_key_ref: KeyRef, enabled: bool }",
    ),
    // A field type that calls a macro: the proof is a function, where a
    // `Self` from the macro names no generated struct.
    (
        "api_dto_macro_field",
        Boundary(Kind::ApiDto),
        "struct Node { children: Vec<Self>, label: label_type!() }",
    ),
    (
        "event_dto_struct",
        Boundary(Kind::EventDto),
        "struct KeyRotated(KeyRef);",
    ),
    (
        "export_dto_struct",
        Boundary(Kind::ExportDto),
        "struct SessionRow { session_id: String, bytes: u64 }",
    ),
    ("audit_dto_struct", Boundary(Kind::AuditDto), "struct Unit;"),
    // Every field of every variant is checked, under its `#[cfg]`s.
    (
        "api_dto_enum",
        Boundary(Kind::ApiDto),
        "enum Change {
            Added { key: KeyRef },
            #[cfg(feature = \"b\")]
            Moved(String, #[cfg(unix)] Vec<u16>),
            Cleared,
        }",
    ),
    (
        "event_dto_generic_also",
        Boundary(Kind::EventDto),
        "#[key_model(also(AuditDto, ExportDto))]
        struct Page<'a, T: Clone, const N: usize> where T: Default {
            items: Vec<T>,
            cursor: &'a str,
        }",
    ),
    (
        "api_dto_crate_path",
        Boundary(Kind::ApiDto),
        "#[key_model(crate = \"renamed::km\")]
        struct Page<T> { items: Vec<T> }",
    ),
    // On error, only the errors: no `unsafe impl` at all.
    (
        "api_dto_error_no_stub",
        Boundary(Kind::ApiDto),
        "#[key_model(also(ApiDto, SecretFree), colour = \"red\")]
        struct Page { items: Vec<u8> }",
    ),
    // The redacting derives, each on the same inputs.
    ("redacted_debug_struct", Redact(Derive::Debug), NAMED_STRUCT),
    (
        "redacted_display_struct",
        Redact(Derive::Display),
        NAMED_STRUCT,
    ),
    (
        "redacted_serialize_struct",
        Redact(Derive::Serialize),
        NAMED_STRUCT,
    ),
    // The length passed to serde: the fields always written as one
    // literal, plus one term per field under `skip_serializing_if`.
    (
        "redacted_serialize_skip_if",
        Redact(Derive::Serialize),
        "struct Page { total: u64, #[serde(skip_serializing_if = \"Option::is_none\")] next: Option<String>, #[redact] key: KeyMaterial }",
    ),
    ("redacted_debug_tuple", Redact(Derive::Debug), TUPLE_STRUCT),
    (
        "redacted_display_tuple",
        Redact(Derive::Display),
        TUPLE_STRUCT,
    ),
    (
        "redacted_serialize_tuple",
        Redact(Derive::Serialize),
        TUPLE_STRUCT,
    ),
    ("redacted_debug_enum", Redact(Derive::Debug), ENUM),
    ("redacted_display_enum", Redact(Derive::Display), ENUM),
    ("redacted_serialize_enum", Redact(Derive::Serialize), ENUM),
    ("redacted_debug_generic", Redact(Derive::Debug), GENERIC),
    ("redacted_display_generic", Redact(Derive::Display), GENERIC),
    (
        "redacted_serialize_generic",
        Redact(Derive::Serialize),
        GENERIC,
    ),
    (
        "redacted_serialize_crate_path",
        Redact(Derive::Serialize),
        "#[key_model(crate = \"my::km\")]
        struct Login { user: String, #[redact] password: String }",
    ),
    // On error, the errors and a stub impl.
    (
        "redacted_debug_error_stub",
        Redact(Derive::Debug),
        "struct Login { #[redact(hide)] password: String }",
    ),
    (
        "redacted_serialize_error_stub",
        Redact(Derive::Serialize),
        "#[key_model(crate = \"my::km\")]
        struct Token(#[redact(skip)] String);",
    ),
];

const NAMED_STRUCT: &str = "#[display(\"{tenant} card {card} ({count:>4})\")]
struct Entry {
    tenant: String,
    #[redact]
    key: KeyMaterial,
    #[redact(with = last_four)]
    card: String,
    #[redact(skip)]
    scratch: Vec<u8>,
    count: u32,
}";

const TUPLE_STRUCT: &str = "#[display(\"{0} {2:?}\")]
struct Credential(String, #[redact] KeyMaterial, u8);";

const ENUM: &str = "#[serde(rename_all = \"snake_case\")]
enum Login {
    #[display(\"password for {user}\")]
    Password { user: String, #[redact] password: String },
    #[display(\"token {0}\")]
    Token(String, #[redact] String),
    #[display(\"key\")]
    Key(#[redact] KeyMaterial),
    #[display(\"anonymous\")]
    Anonymous,
}";

const GENERIC: &str = "#[display(\"{label}: {value}\")]
struct Tagged<'a, T, U: Clone> where T: Copy {
    label: &'a str,
    value: T,
    #[redact]
    secret: U,
    marker: PhantomData<U>,
}";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("golden")
}

/// The file's text: the derive and its input as a comment, then the
/// output as Rust.
fn render(which: Which, source: &str) -> String {
    let input: syn::DeriveInput = syn::parse_str(source).expect("case input parses");
    let output = which.expand(&input);
    let file: syn::File = syn::parse2(output.clone())
        .unwrap_or_else(|err| panic!("output is not a Rust file ({err}): {output}"));
    let mut text = format!("// #[derive({})] on:\n//\n", which.name());
    for line in source.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            text.push_str("//\n");
        } else {
            // Indentation as written in `CASES`, less the continuation's.
            let line = line.strip_prefix("        ").unwrap_or(line);
            writeln!(text, "//     {line}").expect("writing to a String");
        }
    }
    text.push('\n');
    text.push_str(&prettyplease::unparse(&file));
    text
}

#[test]
fn expansions_match_the_golden_files() {
    let bless = std::env::var_os("KEY_MODEL_BLESS").is_some_and(|v| v == "1");
    let dir = golden_dir();
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    for &(name, which, source) in CASES {
        assert!(names.insert(name), "two cases named {name}");
        let path = dir.join(format!("{name}.rs"));
        let actual = render(which, source);
        if bless {
            std::fs::create_dir_all(&dir).expect("create golden/");
            std::fs::write(&path, &actual).expect("write golden file");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{name}: the output changed\n--- expected ({})\n{expected}\n--- actual\n{actual}",
                path.display()
            )),
            Err(err) => failures.push(format!("{name}: cannot read {}: {err}", path.display())),
        }
    }
    // A file no case writes is a case that was removed or renamed.
    for entry in std::fs::read_dir(&dir).expect("read golden/") {
        let path = entry.expect("golden/ entry").path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if !names.contains(stem) {
            if bless {
                std::fs::remove_file(&path).expect("remove stale golden file");
            } else {
                failures.push(format!("{}: no case writes this file", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nIf the change is intended: KEY_MODEL_BLESS=1 cargo test -p key-model-derive --lib golden",
        failures.join("\n\n")
    );
}
