//! The SQLite key store (`key_model::ring::SqliteKeyStore`) on real files:
//! keys survive closing and reopening, the schema is what
//! `docs/key-model.md` documents and a `sqlite3` shell sees, migrations
//! refuse a newer schema, and corrupt rows fail closed: the key whose rows
//! were altered refuses every operation with a backend error, other keys
//! keep working.

use std::path::Path;
use std::sync::Arc;

use crate::support::{TempDir, name, scope};
use key_model::ring::{MemoryRootKey, SqliteKeyStore};
use key_model::{BackendErrorKind, Envelope, Error, KeyName, KeyRing, StateKind};
use rusqlite::Connection;

fn ring(path: &Path, root: &Arc<MemoryRootKey>) -> KeyRing {
    KeyRing::new(SqliteKeyStore::open(path).unwrap(), Arc::clone(root))
}

/// Edits the file behind the store's back, as an operator's shell would
/// (with foreign keys off, as the `sqlite3` shell has them by default).
fn sql(path: &Path, statement: &str) {
    Connection::open(path)
        .unwrap()
        .execute_batch(&format!("PRAGMA foreign_keys = OFF; {statement}"))
        .unwrap();
}

#[test]
fn keys_survive_closing_and_reopening_the_file() {
    let dir = TempDir::new("sqlite-reopen");
    let file = dir.file("keys.sqlite3");
    let root = Arc::new(MemoryRootKey::generate().unwrap());
    let (acme, key) = (scope("acme"), name("acme", "ssh-session-recording"));
    let first = ring(&file, &root);
    let v1 = first.create_key(&acme, &key).unwrap().key_ref().clone();
    let old = first.encrypt(&acme, &key, b"session 1", b"s1").unwrap();
    first.rotate(&acme, &key).unwrap();
    first.disable(&acme, &v1).unwrap();
    let new = first.encrypt(&acme, &key, b"session 2", b"s2").unwrap();
    drop(first);

    let again = ring(&file, &root);
    assert_eq!(
        again.decrypt(&acme, &new, b"s2").unwrap().as_bytes(),
        b"session 2"
    );
    let e = again.decrypt(&acme, &old, b"s1").unwrap_err();
    assert!(matches!(e, Error::Refused(r) if r.state() == StateKind::Disabled));
    again.enable(&acme, &v1).unwrap();
    assert_eq!(
        again.decrypt(&acme, &old, b"s1").unwrap().as_bytes(),
        b"session 1"
    );
    assert_eq!(SqliteKeyStore::open(&file).unwrap().verify().unwrap(), 1);
}

/// The columns the schema test reads: `tenant`, `purpose`, `version`,
/// `key_ref`, `state`, `origin`, `created_at`, `is_primary`, `length(wrapped)`.
type Row = (String, String, i64, String, String, String, i64, i64, i64);

#[test]
fn the_schema_is_the_documented_one_in_wal_mode() {
    let dir = TempDir::new("sqlite-schema");
    let file = dir.file("keys.sqlite3");
    let root = Arc::new(MemoryRootKey::generate().unwrap());
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let r = ring(&file, &root);
    r.create_key(&acme, &key).unwrap();
    r.rotate(&acme, &key).unwrap();

    let db = Connection::open(&file).unwrap();
    let pragma = |p: &str| -> String {
        db.query_row(&format!("PRAGMA {p}"), [], |row| {
            row.get::<_, rusqlite::types::Value>(0)
        })
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .unwrap()
    };
    assert_eq!(
        pragma("user_version"),
        SqliteKeyStore::SCHEMA_VERSION.to_string()
    );
    assert_eq!(pragma("journal_mode"), "wal");
    let rows: Vec<Row> = db
        .prepare(
            "SELECT tenant, purpose, version, key_ref, state, origin, created_at, is_primary, \
             length(wrapped) FROM key_versions ORDER BY version",
        )
        .unwrap()
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
                row.get(7)?,
                row.get(8)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 2);
    for (i, row) in rows.iter().enumerate() {
        let v = i64::try_from(i).unwrap() + 1;
        assert_eq!(
            (row.0.as_str(), row.1.as_str(), row.2),
            ("acme", "audit-export", v)
        );
        assert_eq!(
            row.3,
            format!("tenants/acme/keys/audit-export/versions/{v}")
        );
        assert_eq!(
            (row.4.as_str(), row.5.as_str()),
            ("enabled", "platform_managed")
        );
        assert!(row.6 > 1_700_000_000, "created_at is unix seconds");
        assert_eq!(row.7, i64::from(v == 2), "version 2 is the primary");
        assert_eq!(row.8, 73, "wrapped: format, nonce, ciphertext, tag");
    }
    let (revision, versions): (i64, i64) = db
        .query_row("SELECT revision, versions FROM keys", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!((revision, versions), (2, 2), "created, then rotated");
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = TempDir::new("sqlite-newer");
    let file = dir.file("keys.sqlite3");
    drop(SqliteKeyStore::open(&file).unwrap());
    sql(
        &file,
        "PRAGMA user_version = 2; CREATE TABLE from_the_future (x INTEGER);",
    );

    let e = SqliteKeyStore::open(&file).unwrap_err();
    assert_eq!(e.kind(), BackendErrorKind::UnsupportedFormat);
    let db = Connection::open(&file).unwrap();
    let version: i64 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
    let tables: i64 = db
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 3, "nothing created or dropped");
}

#[test]
fn a_file_that_is_not_a_key_store_is_not_adopted() {
    let dir = TempDir::new("sqlite-foreign");
    let file = dir.file("other.sqlite3");
    sql(
        &file,
        "CREATE TABLE keys (id INTEGER PRIMARY KEY, secret BLOB);",
    );
    let e = SqliteKeyStore::open(&file).unwrap_err();
    assert_eq!(e.kind(), BackendErrorKind::Corrupt);
    let version: i64 = Connection::open(&file)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 0, "the failed migration was rolled back");
}

/// A store with two keys of two versions each, and an envelope under every
/// version; `corrupt` then edits the victim's rows with SQL.
struct Corruption {
    dir: TempDir,
    root: Arc<MemoryRootKey>,
    victim: KeyName,
    other: KeyName,
    sealed: Vec<(KeyName, Envelope)>,
}

impl Corruption {
    fn new() -> Corruption {
        let dir = TempDir::new("sqlite-corrupt");
        let root = Arc::new(MemoryRootKey::generate().unwrap());
        let (acme, victim, other) = (
            scope("acme"),
            name("acme", "victim"),
            name("acme", "bystander"),
        );
        let r = ring(&dir.file("keys.sqlite3"), &root);
        let mut sealed = Vec::new();
        for key in [&victim, &other] {
            r.create_key(&acme, key).unwrap();
            sealed.push((key.clone(), r.encrypt(&acme, key, b"v1", b"").unwrap()));
            r.rotate(&acme, key).unwrap();
            sealed.push((key.clone(), r.encrypt(&acme, key, b"v2", b"").unwrap()));
        }
        // The bystander's material stays cached in no ring: every check
        // below starts from the file, as a restarted process does.
        Corruption {
            dir,
            root,
            victim,
            other,
            sealed,
        }
    }

    fn file(&self) -> std::path::PathBuf {
        self.dir.file("keys.sqlite3")
    }

    /// The victim refuses everything with a backend error; the other key
    /// works; `SqliteKeyStore::verify` reports the file corrupt if the
    /// corruption is one the store can see (`structural`: not altered
    /// wrapped bytes, which only the root key detects).
    fn check(&self, what: &str, structural: bool) {
        let acme = scope("acme");
        let r = ring(&self.file(), &self.root);
        let backend = |e: Result<_, Error>, op: &str| match e {
            Err(Error::Backend(_)) => {}
            Err(other) => panic!("{what}: {op} failed with {other:?}, not a backend error"),
            Ok(()) => panic!("{what}: {op} succeeded on a corrupt key"),
        };
        backend(
            r.encrypt(&acme, &self.victim, b"x", b"").map(drop),
            "encrypt",
        );
        backend(r.rotate(&acme, &self.victim).map(drop), "rotate");
        backend(r.versions(&acme, &self.victim).map(drop), "versions");
        let v1 = self.victim.at_version(key_model::KeyVersion::FIRST);
        backend(r.disable(&acme, &v1).map(drop), "disable");
        for (key, envelope) in &self.sealed {
            let opened = r.decrypt(&acme, envelope, b"");
            if key == &self.victim {
                backend(opened.map(drop), "decrypt");
            } else {
                let v = envelope.key_ref().version().get();
                assert_eq!(
                    opened.unwrap().as_bytes(),
                    format!("v{v}").as_bytes(),
                    "{what}"
                );
            }
        }
        r.encrypt(&acme, &self.other, b"x", b"").unwrap();
        r.rotate(&acme, &self.other).unwrap();
        let store = SqliteKeyStore::open(self.file()).unwrap();
        assert_eq!(
            store.verify().is_err(),
            structural,
            "{what}: verify's verdict"
        );
        drop(store);
        // The other key's record still loads, into a ring that starts from
        // the file (the store answers the ring only).
        let fresh = ring(&self.file(), &self.root);
        assert!(!fresh.versions(&acme, &self.other).unwrap().is_empty());
    }
}

#[test]
fn an_unknown_state_that_is_no_state_name_fails_the_key_closed() {
    let c = Corruption::new();
    sql(
        &c.file(),
        "UPDATE key_versions SET state = 'Enabled; DROP' WHERE purpose = 'victim' AND version = 1",
    );
    c.check("malformed state", true);
}

#[test]
fn altered_wrapped_bytes_fail_the_key_closed() {
    let c = Corruption::new();
    // Flip one bit of version 1's tag, in place.
    let db = Connection::open(c.file()).unwrap();
    let select = "SELECT wrapped FROM key_versions WHERE purpose = 'victim' AND version = 1";
    let mut wrapped: Vec<u8> = db.query_row(select, [], |r| r.get(0)).unwrap();
    *wrapped.last_mut().unwrap() ^= 1;
    db.execute(
        "UPDATE key_versions SET wrapped = ?1 WHERE purpose = 'victim' AND version = 1",
        [&wrapped],
    )
    .unwrap();
    drop(db);
    c.check("altered wrapped bytes", false);
}

#[test]
fn a_version_row_moved_to_another_tenant_fails_both_keys_closed() {
    let c = Corruption::new();
    // Another tenant with a key of the same purpose, then version 1 of the
    // victim rewritten as one of its rows.
    let globex = scope("globex");
    let theirs = name("globex", "victim");
    let r = ring(&c.file(), &c.root);
    r.create_key(&globex, &theirs).unwrap();
    drop(r);
    sql(
        &c.file(),
        "UPDATE key_versions SET tenant = 'globex', version = 7, \
         key_ref = 'tenants/globex/keys/victim/versions/7' \
         WHERE tenant = 'acme' AND purpose = 'victim' AND version = 1",
    );
    c.check("row moved to another tenant", true);
    let r = ring(&c.file(), &c.root);
    assert!(matches!(
        r.encrypt(&globex, &theirs, b"x", b""),
        Err(Error::Backend(_))
    ));
}

#[test]
fn a_row_whose_tenant_alone_was_changed_fails_closed() {
    let c = Corruption::new();
    sql(
        &c.file(),
        "UPDATE key_versions SET tenant = 'globex' WHERE purpose = 'victim' AND version = 2",
    );
    c.check("tenant column changed", true);
}

#[test]
fn two_primaries_fail_the_key_closed() {
    let c = Corruption::new();
    sql(
        &c.file(),
        "UPDATE key_versions SET is_primary = 1 WHERE purpose = 'victim'",
    );
    c.check("two primaries", true);
}

/// A state name this version does not know, as a newer key-model would
/// write it, is not corruption: it loads as `Unrecognized` and that
/// version refuses every operation (G6), while the key's other versions
/// work.
#[test]
fn a_newer_state_name_refuses_its_version_only() {
    let c = Corruption::new();
    sql(
        &c.file(),
        "UPDATE key_versions SET state = 'quarantined' WHERE purpose = 'victim' AND version = 1",
    );
    let acme = scope("acme");
    let r = ring(&c.file(), &c.root);
    let (_, v1_envelope) = &c.sealed[0];
    let e = r.decrypt(&acme, v1_envelope, b"").unwrap_err();
    assert!(
        matches!(e, Error::Refused(r) if r.state() == StateKind::Unrecognized),
        "{e:?}"
    );
    let (_, v2_envelope) = &c.sealed[1];
    assert_eq!(
        r.decrypt(&acme, v2_envelope, b"").unwrap().as_bytes(),
        b"v2"
    );
    // Saving the key again keeps the name it does not know.
    r.rotate(&acme, &c.victim).unwrap();
    let state: String = Connection::open(c.file())
        .unwrap()
        .query_row(
            "SELECT state FROM key_versions WHERE purpose = 'victim' AND version = 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(state, "quarantined");
}

/// Two rings over one SQLite file through two connections, as two
/// processes on one host would be: a disable on A is refused by B at most
/// B's cache lifetime after it returned. Measured: the time from A's
/// `disable` returning to B's first refusal, B decrypting in a loop.
#[test]
fn a_disable_through_one_connection_is_honoured_by_another_within_the_lifetime() {
    use std::time::{Duration, Instant};
    let ttl = Duration::from_millis(200);
    let dir = TempDir::new("sqlite-bound");
    let file = dir.file("keys.sqlite3");
    let root = Arc::new(MemoryRootKey::generate().unwrap());
    let a = ring(&file, &root);
    let b = ring(&file, &root).with_cache_ttl(ttl);
    let (acme, key) = (scope("acme"), name("acme", "audit-export"));
    let v1 = a.create_key(&acme, &key).unwrap().key_ref().clone();
    let sealed = a.encrypt(&acme, &key, b"rows", b"").unwrap();
    a.rotate(&acme, &key).unwrap();
    let mut worst = Duration::ZERO;
    for _ in 0..3 {
        assert!(b.decrypt(&acme, &sealed, b"").is_ok());
        a.disable(&acme, &v1).unwrap();
        let disabled = Instant::now();
        while b.decrypt(&acme, &sealed, b"").is_ok() {
            assert!(disabled.elapsed() < ttl * 5, "B never refused");
        }
        worst = worst.max(disabled.elapsed());
        a.enable(&acme, &v1).unwrap();
        let enabled = Instant::now();
        while b.decrypt(&acme, &sealed, b"").is_err() {
            assert!(enabled.elapsed() < ttl * 5, "B never followed the enable");
        }
    }
    println!("worst time to refuse after disable: {worst:?} (cache lifetime {ttl:?})");
    assert!(
        worst <= ttl + Duration::from_millis(100),
        "{worst:?} is beyond the lifetime {ttl:?} plus a 100 ms margin"
    );
}
