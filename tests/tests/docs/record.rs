//! One `SshSessionRecord`: the canonical record of `docs/vn-12.md` has the
//! same fields and status variants in the README, `docs/boundary.md`, the
//! walkthrough and the UI pass case.

use std::fs;

use crate::repo_root;

/// The first `struct SshSessionRecord` and `enum RecordingStatus` in
/// `text`, as their field and variant declarations: comments, attributes,
/// `pub` and line breaks left out, so a one-line enum and a documented one
/// compare equal.
fn record_shape(text: &str) -> Vec<String> {
    let mut shape = Vec::new();
    for item in ["struct SshSessionRecord {", "enum RecordingStatus {"] {
        let start = text
            .find(item)
            .unwrap_or_else(|| panic!("no `{item}` in:\n{text}"));
        let body = &text[start + item.len()..];
        let body: String = body[..body.find('}').unwrap()]
            .lines()
            .map(|l| l.split("//").next().unwrap().trim())
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join(" ");
        shape.push(item.to_owned());
        shape.extend(
            body.split(',')
                .map(|d| d.trim().trim_start_matches("pub ").to_owned())
                .filter(|d| !d.is_empty()),
        );
    }
    shape
}

#[test]
fn one_ssh_session_record_everywhere() {
    let root = repo_root();
    let read = |path: &str| fs::read_to_string(root.join(path)).unwrap();
    let canonical = record_shape(&read("docs/vn-12.md"));
    assert_eq!(
        canonical,
        [
            "struct SshSessionRecord {",
            "session_id: String",
            "tenant: TenantId",
            "status: RecordingStatus",
            "started_at: Timestamp",
            "bytes: u64",
            "encryption_key_ref: KeyRef",
            "enum RecordingStatus {",
            "Recording",
            "Sealed",
            "Purged",
        ]
    );
    for path in [
        "README.md",
        "docs/boundary.md",
        "key-model/examples/walkthrough.rs",
        "ui-tests/pass/ssh-session-record.rs",
    ] {
        assert_eq!(record_shape(&read(path)), canonical, "{path}");
    }
}

#[test]
fn the_record_shape_sees_a_changed_field() {
    let canonical =
        "struct SshSessionRecord {\n    bytes: u64,\n}\nenum RecordingStatus {\n    Sealed,\n}\n";
    let renamed = canonical.replace("bytes: u64", "size_bytes: usize");
    assert_ne!(record_shape(canonical), record_shape(&renamed));
    let documented = "/// x\n#[derive(ApiDto)]\npub struct SshSessionRecord {\n    /// n\n    pub bytes: u64, // why\n}\nenum RecordingStatus { Sealed }\n";
    assert_eq!(record_shape(canonical), record_shape(documented));
}
