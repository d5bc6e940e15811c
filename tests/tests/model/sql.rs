//! The SQL integrations parse strictly on the way in: every input the
//! identifier table rejects is rejected when read from a row, the error
//! names the type and never the value, and an unknown state reads as the
//! fail-closed `Unrecognized`.

use key_model::{KeyName, KeyPurpose, KeyRef, KeyState, KeyVersion, TenantId, Timestamp};

use crate::identifiers::REJECTED_KEY_REFS;

/// Values that must never appear in an error: they stand for a secret put
/// in the wrong column.
const SECRET_LIKE: &[&str] = &["sk_live_51HxQ", "tenants/sk_live_51HxQ/keys/a/versions/1"];

fn states() -> Vec<KeyState> {
    vec![
        KeyState::Enabled,
        KeyState::Disabled,
        KeyState::DestroyScheduled {
            at: Timestamp::from_unix_seconds(1_796_725_328),
        },
        KeyState::Destroyed,
    ]
}

mod rusqlite_rows {
    use rusqlite::{Connection, params};

    use super::*;

    fn db() -> Connection {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch(
            "CREATE TABLE t (tenant TEXT, purpose TEXT, name TEXT, key_ref TEXT, version INTEGER, state TEXT)",
        )
        .unwrap();
        db
    }

    fn read<T: rusqlite::types::FromSql>(db: &Connection, column: &str) -> rusqlite::Result<T> {
        db.query_row(&format!("SELECT {column} FROM t"), [], |row| row.get(0))
    }

    #[test]
    fn every_type_round_trips_through_a_row() {
        let db = db();
        let key_ref: KeyRef = "tenants/acme/keys/billing/versions/4294967295"
            .parse()
            .unwrap();
        for state in states() {
            db.execute("DELETE FROM t", []).unwrap();
            db.execute(
                "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    key_ref.tenant(),
                    key_ref.purpose(),
                    key_ref.name(),
                    key_ref,
                    key_ref.version(),
                    state
                ],
            )
            .unwrap();
            assert_eq!(read::<TenantId>(&db, "tenant").unwrap(), *key_ref.tenant());
            assert_eq!(
                read::<KeyPurpose>(&db, "purpose").unwrap(),
                *key_ref.purpose()
            );
            assert_eq!(read::<KeyName>(&db, "name").unwrap(), key_ref.name());
            assert_eq!(read::<KeyRef>(&db, "key_ref").unwrap(), key_ref);
            assert_eq!(
                read::<KeyVersion>(&db, "version").unwrap(),
                key_ref.version()
            );
            assert_eq!(read::<KeyState>(&db, "state").unwrap(), state);
        }
        // The stored forms are plain: text, and the version as an integer.
        let (text, version): (String, i64) = db
            .query_row("SELECT key_ref, version FROM t", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(text, key_ref.to_string());
        assert_eq!(version, i64::from(u32::MAX));
    }

    #[test]
    fn a_row_cannot_smuggle_a_non_canonical_reference() {
        let db = db();
        db.execute("INSERT INTO t (key_ref) VALUES ('')", [])
            .unwrap();
        for &(input, ..) in REJECTED_KEY_REFS.iter().chain(
            &SECRET_LIKE
                .iter()
                .map(|s| (*s, key_model::ParseErrorKind::Empty, None, ""))
                .collect::<Vec<_>>(),
        ) {
            db.execute("UPDATE t SET key_ref = ?1", [input]).unwrap();
            let err = read::<KeyRef>(&db, "key_ref").expect_err(input);
            let message = err.to_string();
            assert!(
                message.contains("the column does not hold a canonical key reference"),
                "{message}"
            );
            if input.len() > 2 {
                assert!(!message.contains(input), "{message} echoes {input:?}");
            }
        }
    }

    #[test]
    fn malformed_versions_and_states_are_errors_that_do_not_echo() {
        let db = db();
        db.execute("INSERT INTO t (version, state) VALUES (0, 'enabled')", [])
            .unwrap();
        for bad in [0, -1, i64::from(u32::MAX) + 1] {
            db.execute("UPDATE t SET version = ?1", [bad]).unwrap();
            let message = read::<KeyVersion>(&db, "version").unwrap_err().to_string();
            assert!(message.contains("canonical key version"), "{message}");
        }
        // Text where the number belongs is a type error, not a parse (a
        // text that looks like a number is stored as one: SQLite's
        // affinity of an INTEGER column).
        db.execute("UPDATE t SET version = 'v7'", []).unwrap();
        assert!(read::<KeyVersion>(&db, "version").is_err());

        for bad in SECRET_LIKE
            .iter()
            .map(|s| format!("{{\"destroy_scheduled\":{{\"at\":\"{s}\"}}}}"))
            .chain([String::new(), "destroy_scheduled".to_owned()])
        {
            db.execute("UPDATE t SET state = ?1", [&bad]).unwrap();
            let message = read::<KeyState>(&db, "state").unwrap_err().to_string();
            assert!(message.contains("canonical key state"), "{message}");
            for secret in SECRET_LIKE {
                assert!(!message.contains(secret), "{message}");
            }
        }
        for secret in SECRET_LIKE {
            db.execute("UPDATE t SET tenant = ?1", [secret]).unwrap();
            let message = read::<TenantId>(&db, "tenant").unwrap_err().to_string();
            assert!(!message.contains(secret), "{message}");
        }
    }

    #[test]
    fn an_unknown_state_reads_as_unrecognized_and_fails_closed() {
        let db = db();
        db.execute("INSERT INTO t (state) VALUES ('quarantined')", [])
            .unwrap();
        let state = read::<KeyState>(&db, "state").unwrap();
        assert!(matches!(state, KeyState::Unrecognized(_)));
        assert!(key_model::policy::check(key_model::Operation::Decrypt, &state, true).is_err());
        // Written back unchanged.
        db.execute("UPDATE t SET state = ?1", [&state]).unwrap();
        assert_eq!(read::<String>(&db, "state").unwrap(), "quarantined");
    }
}
