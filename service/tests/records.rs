//! The records' behaviour suite, run against every backend: the SQLite
//! file (the embedded default) and PostgreSQL (a throwaway cluster the
//! test starts, `key_model_tests::postgres`; not installed is a failure
//! that says `bash scripts/install-test-deps.sh`, never a skip). Then what
//! only one backend can be made to do: reopen a file, corrupt a row behind
//! the service's back, carry a newer schema.

use std::path::PathBuf;

use key_model::{Envelope, KeyRef, TenantId, Timestamp};
use key_model_service::dto::{Actor, AuditAction, AuditEvent, RecordingStatus, SshSessionRecord};
use key_model_service::records::{Records, RecordsErrorKind, SessionPolicy, random_text};
use key_model_tests::postgres::{Cluster, Database};

fn tenant(name: &str) -> TenantId {
    name.parse().unwrap()
}

fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("km-records-{what}-{}", random_text(8)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A record of `tenant` and an envelope-shaped recording (the records
/// store bytes; these need not decrypt).
fn record(tenant: &TenantId, n: u64) -> (SshSessionRecord, Envelope) {
    let key_ref: KeyRef = format!("tenants/{tenant}/keys/ssh-session-recording/versions/1")
        .parse()
        .unwrap();
    let record = SshSessionRecord {
        session_id: format!("sess_{}", random_text(12)),
        tenant: tenant.clone(),
        status: RecordingStatus::Sealed,
        started_at: Timestamp::from_unix_seconds(1_764_400_000 + n),
        bytes: n,
        encryption_key_ref: key_ref,
    };
    (record, envelope_of(n))
}

/// A real envelope (sealed by a throwaway ring), so `Envelope::from_bytes`
/// is what the service does with the stored bytes.
fn envelope_of(n: u64) -> Envelope {
    use key_model::KeyRing;
    use key_model::ring::{MemoryKeyStore, MemoryRootKey};
    let ring = KeyRing::new(MemoryKeyStore::new(), MemoryRootKey::generate().unwrap());
    let scope = key_model_service::auth::platform_scope(tenant("acme"));
    let name = "tenants/acme/keys/ssh-session-recording".parse().unwrap();
    ring.create_key(&scope, &name).unwrap();
    ring.encrypt(&scope, &name, format!("recording {n}").as_bytes(), b"aad")
        .unwrap()
}

fn uploaded(record: &SshSessionRecord) -> AuditEvent {
    AuditEvent {
        action: AuditAction::RecordingUploaded,
        actor: Actor::TenantAdmin,
        key_ref: Some(record.encryption_key_ref.clone()),
        session_id: Some(record.session_id.clone()),
    }
}

/// The suite: what every backend must do the same.
fn behaves(records: &Records) {
    let (acme, globex) = (tenant("acme"), tenant("globex"));

    // Tenants and tokens: a token signs its tenant in, nothing else does;
    // an existing tenant is not added twice; a new token retires the old.
    let token = records.add_tenant(&acme).unwrap();
    assert!(token.starts_with("kmt_") && token.len() == 36, "{token}");
    assert_eq!(
        records.tenant_for_token(&token).unwrap(),
        Some(acme.clone())
    );
    assert_eq!(records.tenant_for_token("kmt_wrong").unwrap(), None);
    assert_eq!(records.tenant_for_token("").unwrap(), None);
    assert_eq!(
        records.add_tenant(&acme).unwrap_err().kind,
        RecordsErrorKind::Exists
    );
    let newer = records.issue_token(&acme).unwrap();
    assert_eq!(
        records.tenant_for_token(&token).unwrap(),
        None,
        "the old token still works"
    );
    assert_eq!(
        records.tenant_for_token(&newer).unwrap(),
        Some(acme.clone())
    );
    let globex_token = records.issue_token(&globex).unwrap();
    assert_eq!(
        records.tenant_for_token(&globex_token).unwrap(),
        Some(globex.clone())
    );
    assert_eq!(records.tenants().unwrap(), [acme.clone(), globex.clone()]);

    // Sessions with their recordings, each upload audited in the same
    // transaction; numbers from the database, increasing.
    let mut ids = Vec::new();
    let mut last_seq = 0;
    for n in 0..5 {
        let (r, env) = record(&acme, n);
        let entry = records.insert_session(&r, &env, uploaded(&r)).unwrap();
        assert!(entry.seq > last_seq, "{} after {last_seq}", entry.seq);
        last_seq = entry.seq;
        ids.push(r.session_id.clone());
        assert_eq!(records.recording(&r).unwrap(), env.as_bytes());
        assert_eq!(records.session(&acme, &r.session_id).unwrap(), Some(r));
    }
    let (theirs, env) = record(&globex, 9);
    records
        .insert_session(&theirs, &env, uploaded(&theirs))
        .unwrap();
    // Another tenant's record is not found, exactly as a missing one.
    assert_eq!(records.session(&acme, &theirs.session_id).unwrap(), None);
    assert_eq!(records.session(&acme, "sess_000000000000").unwrap(), None);

    // Pages, newest first, from SQL.
    let (first, next) = records.sessions(&acme, 0, 2).unwrap();
    let got: Vec<&str> = first.iter().map(|r| r.session_id.as_str()).collect();
    assert_eq!(got, [ids[4].as_str(), ids[3].as_str()]);
    assert_eq!(next, Some(2));
    let (last, next) = records.sessions(&acme, 4, 2).unwrap();
    assert_eq!((last.len(), next), (1, None));
    assert_eq!(last[0].session_id, ids[0]);
    let (exact, next) = records.sessions(&acme, 3, 2).unwrap();
    assert_eq!(
        (exact.len(), next),
        (2, None),
        "a full last page has no next"
    );
    assert!(records.sessions(&acme, 50, 10).unwrap().0.is_empty());
    assert_eq!(records.all_sessions(&acme).unwrap().len(), 5);
    assert_eq!(records.all_sessions(&globex).unwrap().len(), 1);

    // The audit log: entries of one tenant only, newest first, paged.
    let event = AuditEvent {
        action: AuditAction::KeyRotated,
        actor: Actor::Platform,
        key_ref: Some(
            "tenants/acme/keys/ssh-session-recording/versions/2"
                .parse()
                .unwrap(),
        ),
        session_id: None,
    };
    let rotated = records.audit(&acme, event.clone()).unwrap();
    assert!(rotated.seq > last_seq);
    let (page, next) = records.audit_page(&acme, 0, 2).unwrap();
    assert_eq!(page[0], rotated);
    assert_eq!(page[1].event.action, AuditAction::RecordingUploaded);
    assert_eq!(page[1].event.session_id.as_deref(), Some(ids[4].as_str()));
    assert_eq!(next, Some(2));
    let all = records.all_audit(&acme).unwrap();
    assert_eq!(all.len(), 6);
    assert!(all.windows(2).all(|w| w[0].seq > w[1].seq));
    assert!(all.iter().all(|e| e.tenant == acme));
    assert_eq!(records.all_audit(&globex).unwrap().len(), 1);

    portal_sessions(records, &acme);
}

/// Portal sessions: found while live, refused once idle or old, deleted on
/// sign-out; a clock given as an argument, so no test sleeps.
fn portal_sessions(records: &Records, acme: &TenantId) {
    let policy = SessionPolicy::DEFAULT;
    let t0 = Timestamp::from_unix_seconds(1_800_000_000);
    let at = |secs: u64| Timestamp::from_unix_seconds(t0.unix_seconds() + secs);
    let id = records.start_portal_session(acme, t0).unwrap();
    assert_eq!(id.len(), 32);
    assert_eq!(records.portal_tenant(&id, t0).unwrap(), Some(acme.clone()));
    assert_eq!(records.portal_tenant("nosuchsession", t0).unwrap(), None);

    // Used every 29 minutes, it lives on (each use resets the idle clock)...
    let idle = policy.idle.as_secs();
    let mut now = 0;
    while now + idle - 60 < policy.absolute.as_secs() {
        now += idle - 60;
        assert_eq!(
            records.portal_tenant(&id, at(now)).unwrap(),
            Some(acme.clone()),
            "refused at {now} s"
        );
    }
    // ...until 8 hours after sign-in, however busy.
    assert_eq!(
        records
            .portal_tenant(&id, at(policy.absolute.as_secs()))
            .unwrap(),
        None
    );
    // Gone for good: the row was deleted, an earlier clock does not revive it.
    assert_eq!(records.portal_tenant(&id, t0).unwrap(), None);

    // Idle for 30 minutes: refused.
    let idle_one = records.start_portal_session(acme, t0).unwrap();
    assert_eq!(
        records.portal_tenant(&idle_one, at(idle - 1)).unwrap(),
        Some(acme.clone())
    );
    assert_eq!(
        records.portal_tenant(&idle_one, at(2 * idle - 2)).unwrap(),
        Some(acme.clone())
    );
    // Exactly 30 minutes after its last use.
    assert_eq!(
        records.portal_tenant(&idle_one, at(3 * idle - 2)).unwrap(),
        None
    );

    // Sign-out deletes the row at once.
    let ended = records.start_portal_session(acme, t0).unwrap();
    records.end_portal_session(&ended).unwrap();
    assert_eq!(records.portal_tenant(&ended, t0).unwrap(), None);
}

#[test]
fn sqlite_records_behave() {
    let dir = temp_dir("suite");
    let records = Records::open(&dir).unwrap();
    behaves(&records);
    let _ = std::fs::remove_dir_all(dir);
}

fn pg_database() -> Database {
    Cluster::shared().database()
}

#[test]
fn postgres_records_behave() {
    let db = pg_database();
    let records = Records::connect(&db.connection_string()).unwrap();
    behaves(&records);
    // The recordings are in the database, as bytea, nowhere else.
    let stored = db.psql("SELECT count(*) FROM service_ssh_sessions WHERE length(recording) > 0");
    assert_eq!(stored.trim(), "6");
}

#[test]
fn sqlite_records_survive_a_reopen() {
    let dir = temp_dir("reopen");
    let acme = tenant("acme");
    let (r, env) = record(&acme, 1);
    let token = {
        let records = Records::open(&dir).unwrap();
        let token = records.add_tenant(&acme).unwrap();
        records.insert_session(&r, &env, uploaded(&r)).unwrap();
        token
    };
    let records = Records::open(&dir).unwrap();
    assert_eq!(
        records.tenant_for_token(&token).unwrap(),
        Some(acme.clone())
    );
    assert_eq!(
        records.session(&acme, &r.session_id).unwrap(),
        Some(r.clone())
    );
    assert_eq!(records.recording(&r).unwrap(), env.as_bytes());
    // Nothing lives beside the database: the directory holds the file and
    // SQLite's own WAL companions only.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "records.sqlite3",
            "records.sqlite3-shm",
            "records.sqlite3-wal"
        ]
    );
    // The token is stored as its hash, never as itself.
    drop(records);
    let file = std::fs::read(dir.join("records.sqlite3")).unwrap();
    let wal = std::fs::read(dir.join("records.sqlite3-wal")).unwrap_or_default();
    for bytes in [&file, &wal] {
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the token is stored in the clear"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Corrupt rows, written behind the service's back, as an operator's
/// `sqlite3` shell would: each read is a clear error, never a panic, and
/// never another tenant's record.
#[test]
fn sqlite_corrupt_rows_are_clear_errors() {
    let dir = temp_dir("corrupt");
    let acme = tenant("acme");
    let records = Records::open(&dir).unwrap();
    let (r, env) = record(&acme, 1);
    records.insert_session(&r, &env, uploaded(&r)).unwrap();
    let raw = rusqlite::Connection::open(dir.join("records.sqlite3")).unwrap();
    for (what, sql) in [
        (
            "unknown status",
            "UPDATE ssh_sessions SET status = 'exfiltrated'",
        ),
        (
            "another tenant's key",
            "UPDATE ssh_sessions SET status = 'sealed', key_ref = 'tenants/globex/keys/ssh-session-recording/versions/1'",
        ),
        (
            "malformed key reference",
            "UPDATE ssh_sessions SET key_ref = 'tenants/acme/keys/x/versions/01'",
        ),
        (
            "malformed id",
            "UPDATE ssh_sessions SET key_ref = 'tenants/acme/keys/ssh-session-recording/versions/1', session_id = '../../etc'",
        ),
        (
            "negative length",
            "UPDATE ssh_sessions SET session_id = 'sess_000000000001', bytes = -1",
        ),
    ] {
        raw.execute_batch(sql).unwrap();
        let err = records.sessions(&acme, 0, 10).unwrap_err();
        assert_eq!(err.kind, RecordsErrorKind::Corrupt, "{what}: {err}");
        assert!(
            !err.to_string().contains("globex") && !err.to_string().contains("etc"),
            "{what}: {err}"
        );
    }
    raw.execute_batch("UPDATE audit SET action = 'key_stolen'")
        .unwrap();
    assert_eq!(
        records.all_audit(&acme).unwrap_err().kind,
        RecordsErrorKind::Corrupt
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let dir = temp_dir("newer");
    drop(Records::open(&dir).unwrap());
    let raw = rusqlite::Connection::open(dir.join("records.sqlite3")).unwrap();
    raw.pragma_update(None, "user_version", 99).unwrap();
    let err = Records::open(&dir).unwrap_err();
    assert_eq!(err.kind, RecordsErrorKind::NewerSchema, "{err}");
    let version: i64 = raw
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 99);
    let _ = std::fs::remove_dir_all(dir);

    let db = pg_database();
    drop(Records::connect(&db.connection_string()).unwrap());
    db.psql("UPDATE service_schema SET version = 99");
    let err = Records::connect(&db.connection_string()).unwrap_err();
    assert_eq!(err.kind, RecordsErrorKind::NewerSchema, "{err}");
    assert_eq!(db.psql("SELECT version FROM service_schema").trim(), "99");
}

#[test]
fn postgres_corrupt_rows_are_clear_errors() {
    let db = pg_database();
    let acme = tenant("acme");
    let records = Records::connect(&db.connection_string()).unwrap();
    let (r, env) = record(&acme, 1);
    records.insert_session(&r, &env, uploaded(&r)).unwrap();
    db.psql("UPDATE service_ssh_sessions SET key_ref = 'tenants/globex/keys/ssh-session-recording/versions/1'");
    let err = records.session(&acme, &r.session_id).unwrap_err();
    assert_eq!(err.kind, RecordsErrorKind::Corrupt, "{err}");
    db.psql("UPDATE service_audit SET at = -5");
    assert_eq!(
        records.all_audit(&acme).unwrap_err().kind,
        RecordsErrorKind::Corrupt
    );
}
