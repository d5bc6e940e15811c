//! The audit, run as the real binary: over the fixture tree (every trick
//! the greps missed, and what must not be a finding), over this repository,
//! and with bad command lines.
//!
//! The expected outputs are checked in under `tests/expected/`. When the
//! repository changes (an impl added, a file moved), rewrite the list of
//! this repository's findings, read its diff, and commit it:
//!
//! ```sh
//! KEY_MODEL_AUDIT_BLESS=1 cargo test -p key-model-audit --test audit workspace
//! ```
//!
//! The same variable rewrites the fixture expectations (`... --test audit
//! fixture`), which change only with the fixtures or the output format.
//! The repository's list includes the fixture tree
//! (`key-model-audit/tests/fixtures/tree/...`): it is what `cargo run -p
//! key-model-audit -- .` prints at the root, nothing filtered.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    crate_dir().join("tests/fixtures/tree")
}

fn audit(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_key-model-audit"))
        .args(args)
        .output()
        .expect("the audit binary runs")
}

/// Runs the audit, which must succeed, and returns its standard output.
fn audit_ok(args: &[&std::ffi::OsStr]) -> String {
    let output = audit(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the output is UTF-8")
}

/// Compares `actual` with the checked-in `expected/<name>`, or rewrites it
/// under `KEY_MODEL_AUDIT_BLESS=1`.
fn check_expected(name: &str, actual: &str) {
    let path = crate_dir().join("tests/expected").join(name);
    if std::env::var_os("KEY_MODEL_AUDIT_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("the expected file is writable");
        eprintln!("blessed {}", path.display());
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let diff: Vec<String> = diff_lines(&expected, actual);
        panic!(
            "the audit's output differs from tests/expected/{name} ({} lines differ):\n{}\n\
             if the change is intended: KEY_MODEL_AUDIT_BLESS=1 cargo test -p key-model-audit --test audit",
            diff.len(),
            diff.join("\n"),
        );
    }
}

/// The lines only in `expected` (`-`) and only in `actual` (`+`).
fn diff_lines(expected: &str, actual: &str) -> Vec<String> {
    let missing = expected
        .lines()
        .filter(|line| !actual.lines().any(|a| a == *line))
        .map(|l| format!("-{l}"));
    let extra = actual
        .lines()
        .filter(|line| !expected.lines().any(|e| e == *line))
        .map(|l| format!("+{l}"));
    let mut diff: Vec<String> = missing.chain(extra).collect();
    if diff.is_empty() && expected != actual {
        diff.push("(same lines, another order or line ending)".to_owned());
    }
    diff
}

#[test]
fn fixture_tree_text_output_is_the_expected_list() {
    let out = audit_ok(&[fixtures().as_os_str()]);
    check_expected("fixtures.txt", &out);
}

#[test]
fn fixture_tree_json_output_is_the_expected_list() {
    let out = audit_ok(&["--json".as_ref(), fixtures().as_os_str()]);
    check_expected("fixtures.json", &out);
}

/// `--json` holds the same findings as the text output, in the same order,
/// with the fields the format promises.
#[test]
fn json_and_text_list_the_same_findings() {
    let text = audit_ok(&[fixtures().as_os_str()]);
    let json = audit_ok(&[fixtures().as_os_str(), "--json".as_ref()]);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("--json prints JSON");
    let objects = parsed.as_array().expect("an array");
    assert_eq!(objects.len(), text.lines().count());
    for (object, line) in objects.iter().zip(text.lines()) {
        let keys: Vec<&str> = object
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        for key in ["file", "line", "kind", "trait", "type", "text"] {
            assert!(keys.contains(&key), "{key} missing in {object}");
        }
        let prefix = format!(
            "{}:{}: {}: ",
            object["file"].as_str().unwrap(),
            object["line"],
            object["kind"].as_str().unwrap()
        );
        assert!(line.starts_with(&prefix), "{line} vs {prefix}");
        let kind = object["kind"].as_str().unwrap();
        if matches!(kind, "unsafe-impl" | "root-key-impl" | "key-store-impl") {
            assert!(
                object["trait"].is_string() && object["type"].is_string(),
                "{object}"
            );
        }
    }
}

/// The fixture tree exercises every kind, and none of what must not be a
/// finding is one.
#[test]
fn fixture_tree_has_every_kind_and_no_false_finding() {
    let out = audit_ok(&[fixtures().as_os_str()]);
    for kind in [
        "unsafe-impl",
        "root-key-impl",
        "key-store-impl",
        "scope-constructor",
        "rename",
        "macro-body",
        "unparsed",
    ] {
        assert!(out.contains(&format!(": {kind}: ")), "no {kind} finding");
    }
    for quiet in ["unrelated.rs:", "target/", "not_rust.txt"] {
        assert!(
            !out.lines().any(|line| line.starts_with(quiet)),
            "{quiet} has a finding:\n{out}"
        );
    }
    // Every trait a rename hides is reported by its real name.
    let json = audit_ok(&["--json".as_ref(), fixtures().join("renames.rs").as_os_str()]);
    assert!(json.contains(r#""line": 13, "kind": "unsafe-impl", "trait": "SecretFree", "type": "V", "text": "unsafe impl Sf for V""#));
}

/// What `cargo run -p key-model-audit -- .` prints at the root of this
/// repository. Re-bless with the command in this file's doc comment.
#[test]
fn workspace_audit_is_the_expected_list() {
    let root = crate_dir().join("..");
    let out = audit_ok(&[root.as_os_str()]);
    check_expected("workspace.txt", &out);
}

#[test]
fn one_file_is_named_by_its_file_name() {
    let out = audit_ok(&[fixtures().join("deep/a/b/leaf.rs").as_os_str()]);
    assert_eq!(
        out,
        "leaf.rs:2: unsafe-impl: unsafe impl key_model::SecretFree for Leaf\n"
    );
}

#[test]
fn a_directory_without_findings_prints_nothing() {
    let empty = fixtures().join("target");
    // `target` is skipped only below the root; named as the root, it is read.
    assert!(audit_ok(&[empty.as_os_str()]).contains("skipped.rs:2: unsafe-impl"));
    let none = crate_dir().join("tests/expected");
    assert_eq!(audit_ok(&[none.as_os_str()]), "");
    assert_eq!(audit_ok(&["--json".as_ref(), none.as_os_str()]), "[]\n");
}

fn usage_error(args: &[&std::ffi::OsStr], message: &str) {
    let output = audit(args);
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(message) && stderr.contains("usage: key-model-audit"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let here = crate_dir();
    usage_error(&[], "missing PATH");
    usage_error(
        &[Path::new("no/such/dir").as_os_str()],
        "no such file or directory: no/such/dir",
    );
    usage_error(
        &["--jsno".as_ref(), here.as_os_str()],
        "unknown option `--jsno`",
    );
    usage_error(&[here.as_os_str(), here.as_os_str()], "one PATH only");
}

#[test]
fn help_exits_0() {
    let out = audit_ok(&["--help".as_ref()]);
    assert!(out.starts_with("usage: key-model-audit [--json] PATH"));
}

/// Machine-generated nesting deep enough to overflow a recursive parser is
/// an `unparsed` finding whose tokens are still scanned, not a crash.
#[test]
fn deep_nesting_is_unparsed_not_a_crash() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("deep-nesting");
    std::fs::create_dir_all(&dir).unwrap();
    let depth = 50_000;
    let source = format!(
        "fn f() {{ let _ = {}1{}; }}\nunsafe impl SecretFree for Deep {{}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    std::fs::write(dir.join("deep.rs"), source).unwrap();
    let out = audit_ok(&[dir.as_os_str()]);
    assert_eq!(
        out,
        "deep.rs:1: unparsed: does not parse: groups nest 50001 deep, more than the 1000 the audit parses\n\
         deep.rs:2: unparsed: its tokens say: unsafe impl SecretFree for Deep\n"
    );
}
