//! `FileRootKey`: 32 random bytes in a file created with mode 0600, read
//! back as the same key, and refused when the file could have been seen or
//! replaced (group or other permissions, a symbolic link, not a regular
//! file, a wrong length).

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::sync::Arc;

use crate::support::{TempDir, name, scope};
use key_model::ring::{FileRootKey, MemoryKeyStore};
use key_model::testing::root_key_conformance;
use key_model::{BackendErrorKind, KeyRing};

#[test]
fn a_new_key_file_is_32_bytes_mode_0600_and_the_same_key_when_reopened() {
    let dir = TempDir::new("file-root");
    let path = dir.file("root.key");
    let store = Arc::new(MemoryKeyStore::new());
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let first = KeyRing::new(
        Arc::clone(&store),
        FileRootKey::open_or_create(&path).unwrap(),
    );
    first.create_key(&acme, &key).unwrap();
    let sealed = first.encrypt(&acme, &key, b"rows", b"").unwrap();

    let meta = fs::metadata(&path).unwrap();
    assert_eq!(meta.len(), 32);
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let entries: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no temporary file left behind");

    let again = KeyRing::new(store, FileRootKey::open_or_create(&path).unwrap());
    assert_eq!(
        again.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"rows"
    );
    assert_eq!(fs::metadata(&path).unwrap().len(), 32, "not rewritten");
}

#[test]
fn two_new_key_files_hold_different_keys() {
    let dir = TempDir::new("file-root-two");
    FileRootKey::open_or_create(dir.file("a.key")).unwrap();
    FileRootKey::open_or_create(dir.file("b.key")).unwrap();
    assert_ne!(
        fs::read(dir.file("a.key")).unwrap(),
        fs::read(dir.file("b.key")).unwrap()
    );
}

#[test]
fn the_file_root_key_conforms() {
    let dir = TempDir::new("file-root-conformance");
    root_key_conformance(&FileRootKey::open_or_create(dir.file("root.key")).unwrap());
}

#[test]
fn a_key_file_others_may_read_or_write_is_refused() {
    let dir = TempDir::new("file-root-mode");
    let path = dir.file("root.key");
    FileRootKey::open_or_create(&path).unwrap();
    for mode in [0o640, 0o604, 0o620, 0o602, 0o644, 0o660] {
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        let e = FileRootKey::open_or_create(&path).unwrap_err();
        assert_eq!(e.kind(), BackendErrorKind::Unavailable, "mode {mode:o}");
        assert!(
            e.to_string().contains("group or others"),
            "mode {mode:o}: {e}"
        );
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
    FileRootKey::open_or_create(&path).unwrap();
}

/// A key file another user owns could have been written (or kept a copy
/// of) by that user: refused, whatever its mode. The test runs as root
/// (it must, to give a file away): `chown` to `nobody`, as a deployment
/// that copied the key in as the wrong user would leave it.
#[test]
fn a_key_file_owned_by_another_user_is_refused() {
    use std::os::unix::fs::MetadataExt as _;
    let dir = TempDir::new("file-root-owner");
    let path = dir.file("root.key");
    FileRootKey::open_or_create(&path).unwrap();
    let ours = fs::metadata(&path).unwrap().uid();
    let other = if ours == 65534 { 0 } else { 65534 }; // `nobody`
    if let Err(e) = std::os::unix::fs::chown(&path, Some(other), None) {
        panic!("chown of the key file failed ({e}): run the tests as root, as CI does");
    }
    let e = FileRootKey::open_or_create(&path).unwrap_err();
    assert_eq!(e.kind(), BackendErrorKind::Unavailable, "{e}");
    assert!(e.to_string().contains("not owned by"), "{e}");
    // Given back, it opens again: the owner was the only thing wrong.
    std::os::unix::fs::chown(&path, Some(ours), None).unwrap();
    FileRootKey::open_or_create(&path).unwrap();
}

#[test]
fn a_symbolic_link_a_directory_and_a_wrong_length_are_refused() {
    let dir = TempDir::new("file-root-shape");
    let real = dir.file("real.key");
    FileRootKey::open_or_create(&real).unwrap();
    let link = dir.file("link.key");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let e = FileRootKey::open_or_create(&link).unwrap_err();
    assert!(e.to_string().contains("symbolic link"), "{e}");

    fs::create_dir(dir.file("dir.key")).unwrap();
    let e = FileRootKey::open_or_create(dir.file("dir.key")).unwrap_err();
    assert!(e.to_string().contains("not a regular file"), "{e}");

    for len in [0, 31, 33, 64] {
        let path = dir.file(&format!("len-{len}.key"));
        fs::write(&path, vec![7u8; len]).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let e = FileRootKey::open_or_create(&path).unwrap_err();
        assert_eq!(e.kind(), BackendErrorKind::Corrupt, "{len} bytes");
    }
}

#[test]
fn its_debug_and_errors_show_no_key_bytes() {
    let dir = TempDir::new("file-root-debug");
    let path = dir.file("root.key");
    let root = FileRootKey::open_or_create(&path).unwrap();
    let bytes = fs::read(&path).unwrap();
    let canary = key_model::testing::Canary::from_bytes(bytes.try_into().unwrap());
    canary.assert_no_leak(format!("{root:?} {root:#?}"));
}
