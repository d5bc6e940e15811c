//! Format stability (G10): `tests/fixtures/` holds envelopes (binary and
//! text), stored records (JSON) and a SQLite store file, written once by the
//! code of the day they were made with a fixed root key (a `FileRootKey`
//! file, checked in as a test fixture). The current code must read and
//! decrypt every one of them. They are never regenerated: a change that
//! breaks them is a breaking change (see `tests/fixtures/README.md`).
//!
//! The generator is here too: with `KEY_MODEL_WRITE_FIXTURES=1` it writes
//! the fixtures into an empty `tests/fixtures/` (it refuses to overwrite);
//! without, it writes a fresh set into a temporary directory and the reader
//! checks that set as well, so the generator and the reader stay in step.

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use crate::support::{TempDir, name, scope};
use key_model::ring::{FileRootKey, KeyStore, Revision, SqliteKeyStore, StoreCall, StoredKey};
use key_model::testing::EditableKeyStore;
use key_model::{BackendError, Envelope, KeyName, KeyRing, KeyState, TenantId, Timestamp};

const MANIFEST: &str = "envelopes.json";
const RECORDS: &str = "stored-keys.json";
const STORE: &str = "keys.sqlite3";
const ROOT: &str = "root.key";

/// One envelope of the fixtures: its files, and what it must decrypt to.
#[derive(serde::Serialize, serde::Deserialize)]
struct Sealed {
    /// `envelopes/NAME.bin` (binary form) and `envelopes/NAME.txt` (text).
    name: String,
    key_ref: String,
    context: String,
    plaintext: String,
}

fn checked_in() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The SQLite store, with a copy of every record the ring writes: the
/// fixtures' JSON records (only the ring may read a store).
struct Copying {
    sqlite: SqliteKeyStore,
    copy: EditableKeyStore,
}

impl KeyStore for Copying {
    fn load(
        &self,
        call: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        self.sqlite.load(call, name)
    }

    fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        self.sqlite.list(call, tenant)
    }

    fn save(
        &self,
        call: &StoreCall,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        let revision = self.sqlite.save(call, key, expected)?;
        let copied = self.copy.record(key.name())?.map(|(_, r)| r);
        self.copy.write(key, copied)?;
        Ok(revision)
    }
}

impl Copying {
    fn open(dir: &Path) -> std::sync::Arc<Copying> {
        std::sync::Arc::new(Copying {
            sqlite: SqliteKeyStore::open(dir.join(STORE)).unwrap(),
            copy: EditableKeyStore::new(),
        })
    }
}

/// What the generator does, against the ring it is given.
fn write_fixtures(dir: &Path) {
    fs::create_dir_all(dir.join("envelopes")).unwrap();
    let store = Copying::open(dir);
    let ring = KeyRing::new(
        std::sync::Arc::clone(&store),
        FileRootKey::open_or_create(dir.join(ROOT)).unwrap(),
    );
    let (acme, globex) = (scope("acme"), scope("globex"));
    let recordings = name("acme", "ssh-session-recording");
    let exports = name("acme", "audit-export");
    let theirs = name("globex", "ssh-session-recording");
    let mut sealed = Vec::new();
    let mut seal = |scope, key, label: &str, context: &str, plaintext: &str| {
        let envelope: Envelope = ring
            .encrypt(scope, key, plaintext.as_bytes(), context.as_bytes())
            .unwrap();
        fs::write(
            dir.join(format!("envelopes/{label}.bin")),
            envelope.as_bytes(),
        )
        .unwrap();
        fs::write(
            dir.join(format!("envelopes/{label}.txt")),
            envelope.to_string(),
        )
        .unwrap();
        sealed.push(Sealed {
            name: label.to_owned(),
            key_ref: envelope.key_ref().to_string(),
            context: context.to_owned(),
            plaintext: plaintext.to_owned(),
        });
    };

    ring.create_key(&acme, &recordings).unwrap();
    seal(
        &acme,
        &recordings,
        "acme-recording-v1",
        "sess_1",
        "$ ls -la\n",
    );
    ring.rotate(&acme, &recordings).unwrap();
    seal(
        &acme,
        &recordings,
        "acme-recording-v2",
        "sess_2",
        "$ sudo reboot\n",
    );
    seal(&acme, &recordings, "acme-recording-v2-empty", "", "");

    // Every state the ring writes, on one key: v1 disabled, v2 destroyed,
    // v3 scheduled for destruction, v4 the primary.
    let v1 = ring.create_key(&acme, &exports).unwrap().key_ref().clone();
    let v2 = ring.rotate(&acme, &exports).unwrap().key_ref().clone();
    let v3 = ring.rotate(&acme, &exports).unwrap().key_ref().clone();
    ring.rotate(&acme, &exports).unwrap();
    ring.disable(&acme, &v1).unwrap();
    ring.disable(&acme, &v2).unwrap();
    ring.schedule_destruction(&acme, &v2, Timestamp::from_unix_seconds(1_800_000_000))
        .unwrap();
    ring.destroy(&acme, &v2).unwrap();
    ring.disable(&acme, &v3).unwrap();
    ring.schedule_destruction(&acme, &v3, Timestamp::from_unix_seconds(1_900_000_000))
        .unwrap();
    seal(
        &acme,
        &exports,
        "acme-export-v4",
        "export-2026-11",
        "id,amount\n1,42\n",
    );

    ring.create_key(&globex, &theirs).unwrap();
    seal(
        &globex,
        &theirs,
        "globex-recording-v1",
        "sess_9",
        "globex\u{2019}s session",
    );

    let records: Vec<StoredKey> = [&recordings, &exports, &theirs]
        .iter()
        .map(|key| store.copy.record(key).unwrap().unwrap().0)
        .collect();
    fs::write(
        dir.join(RECORDS),
        serde_json::to_string_pretty(&records).unwrap() + "\n",
    )
    .unwrap();
    fs::write(
        dir.join(MANIFEST),
        serde_json::to_string_pretty(&sealed).unwrap() + "\n",
    )
    .unwrap();
    drop((ring, store));
    // Fold the write-ahead log into the file, so the fixture is one file.
    rusqlite::Connection::open(dir.join(STORE))
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    for leftover in ["-wal", "-shm"] {
        let _ = fs::remove_file(dir.join(format!("{STORE}{leftover}")));
    }
}

/// Checks a fixture set in `from`: copied first (opening a SQLite file in
/// WAL mode writes beside it, and git does not keep the key file's 0600).
fn check_fixtures(from: &Path) {
    let work = TempDir::new("fixtures");
    fs::copy(from.join(STORE), work.file(STORE)).unwrap();
    fs::copy(from.join(ROOT), work.file(ROOT)).unwrap();
    fs::set_permissions(work.file(ROOT), fs::Permissions::from_mode(0o600)).unwrap();

    let sealed: Vec<Sealed> =
        serde_json::from_str(&fs::read_to_string(from.join(MANIFEST)).unwrap()).unwrap();
    assert_eq!(sealed.len(), 5, "the fixtures' envelopes");
    let records: Vec<StoredKey> =
        serde_json::from_str(&fs::read_to_string(from.join(RECORDS)).unwrap()).unwrap();
    assert_eq!(records.len(), 3, "the fixtures' stored records");

    // The SQLite file, as today's store reads it; its rows hold the JSON
    // records' wrapped material, version for version (read with SQL: only
    // the ring may read a store), and the ring over it sees their metadata
    // (below).
    let sqlite = SqliteKeyStore::open(work.file(STORE)).unwrap();
    assert_eq!(sqlite.verify().unwrap(), 3);
    let rows: std::collections::BTreeMap<String, Option<Vec<u8>>> =
        rusqlite::Connection::open(work.file(STORE))
            .unwrap()
            .prepare("SELECT key_ref, wrapped FROM key_versions")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let versions: Vec<_> = records.iter().flat_map(StoredKey::versions).collect();
    assert_eq!(rows.len(), versions.len(), "one SQLite row per version");
    for v in &versions {
        assert_eq!(
            rows[&v.metadata().key_ref().to_string()].as_deref(),
            v.wrapped().map(key_model::ring::WrappedKey::as_bytes),
            "the SQLite row and the JSON record agree"
        );
    }
    // The JSON records, as a store that keeps serde's form reads them.
    let json = EditableKeyStore::new();
    for record in &records {
        json.write(record, None).unwrap();
    }

    let root = || FileRootKey::open_or_create(work.file(ROOT)).unwrap();
    for ring in [KeyRing::new(sqlite, root()), KeyRing::new(json, root())] {
        for record in &records {
            let tenant = scope(record.name().tenant().as_str());
            let stored: Vec<_> = record
                .versions()
                .iter()
                .map(key_model::ring::StoredVersion::metadata)
                .collect();
            let seen = ring.versions(&tenant, record.name()).unwrap();
            assert_eq!(
                seen.iter().collect::<Vec<_>>(),
                stored,
                "the ring sees the JSON record's metadata"
            );
        }
        for s in &sealed {
            let binary = Envelope::from_bytes(
                &fs::read(from.join(format!("envelopes/{}.bin", s.name))).unwrap(),
            )
            .unwrap();
            let text: Envelope = fs::read_to_string(from.join(format!("envelopes/{}.txt", s.name)))
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(binary, text, "{}: the two forms are one envelope", s.name);
            assert_eq!(binary.key_ref().to_string(), s.key_ref, "{}", s.name);
            let tenant = scope(binary.key_ref().tenant().as_str());
            let opened = ring
                .decrypt(&tenant, &binary, s.context.as_bytes())
                .unwrap();
            assert_eq!(opened.as_bytes(), s.plaintext.as_bytes(), "{}", s.name);
        }
        let states: Vec<String> = ring
            .versions(&scope("acme"), &name("acme", "audit-export"))
            .unwrap()
            .iter()
            .map(|m| match m.state() {
                KeyState::DestroyScheduled { at } => format!("scheduled {}", at.unix_seconds()),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            states,
            ["Disabled", "Destroyed", "scheduled 1900000000", "Enabled"]
        );
    }
}

#[test]
fn the_checked_in_fixtures_still_read_and_decrypt() {
    check_fixtures(&checked_in());
}

#[test]
fn the_generator_writes_what_the_reader_reads() {
    if std::env::var_os("KEY_MODEL_WRITE_FIXTURES").is_some_and(|v| v == "1") {
        let dir = checked_in();
        assert!(
            !dir.join(STORE).exists() && !dir.join(ROOT).exists(),
            "the fixtures exist: they are never regenerated (tests/fixtures/README.md)"
        );
        write_fixtures(&dir);
        check_fixtures(&dir);
        return;
    }
    let fresh = TempDir::new("fixtures-fresh");
    write_fixtures(fresh.path());
    check_fixtures(fresh.path());
}
