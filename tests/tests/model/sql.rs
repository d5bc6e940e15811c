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

/// postgres-types' traits, called as the driver calls them: a parameter is
/// written into a buffer, a column is read from the bytes the server sent
/// (text and integers in the binary format). No server is needed to check
/// what key-model decides.
mod postgres_values {
    use bytes::BytesMut;
    use postgres_types::{FromSql, ToSql, Type};

    use super::*;

    fn write<T: ToSql>(value: &T, ty: &Type) -> Vec<u8> {
        let mut buf = BytesMut::new();
        value.to_sql_checked(ty, &mut buf).unwrap();
        buf.to_vec()
    }

    #[test]
    fn every_type_round_trips_through_a_value() {
        let key_ref: KeyRef = "tenants/acme/keys/billing/versions/4294967295"
            .parse()
            .unwrap();
        for ty in [Type::TEXT, Type::VARCHAR] {
            let raw = write(&key_ref, &ty);
            assert_eq!(raw, key_ref.to_string().as_bytes());
            assert_eq!(KeyRef::from_sql(&ty, &raw).unwrap(), key_ref);
            let raw = write(&key_ref.name(), &ty);
            assert_eq!(KeyName::from_sql(&ty, &raw).unwrap(), key_ref.name());
            let raw = write(key_ref.tenant(), &ty);
            assert_eq!(TenantId::from_sql(&ty, &raw).unwrap(), *key_ref.tenant());
            let raw = write(key_ref.purpose(), &ty);
            assert_eq!(KeyPurpose::from_sql(&ty, &raw).unwrap(), *key_ref.purpose());
            for state in states() {
                let raw = write(&state, &ty);
                assert_eq!(KeyState::from_sql(&ty, &raw).unwrap(), state);
            }
        }
        let raw = write(&key_ref.version(), &Type::INT8);
        assert_eq!(raw, i64::from(u32::MAX).to_be_bytes());
        assert_eq!(
            KeyVersion::from_sql(&Type::INT8, &raw).unwrap(),
            key_ref.version()
        );
        // An INTEGER column holds a version up to i32::MAX, no further.
        let small = KeyVersion::new(7).unwrap();
        let raw = write(&small, &Type::INT4);
        assert_eq!(KeyVersion::from_sql(&Type::INT4, &raw).unwrap(), small);
        let mut buf = BytesMut::new();
        let Err(err) = key_ref.version().to_sql_checked(&Type::INT4, &mut buf) else {
            panic!("u32::MAX fits no INTEGER column");
        };
        assert_eq!(
            err.to_string(),
            "the column does not hold a canonical key version"
        );
        // Types that hold none of these are refused before any bytes are read.
        assert!(!<KeyRef as FromSql>::accepts(&Type::INT8));
        assert!(!<KeyVersion as FromSql>::accepts(&Type::TEXT));
    }

    #[test]
    fn a_value_cannot_smuggle_a_non_canonical_reference() {
        for &(input, ..) in REJECTED_KEY_REFS {
            let err = KeyRef::from_sql(&Type::TEXT, input.as_bytes()).expect_err(input);
            assert_eq!(
                err.to_string(),
                "the column does not hold a canonical key reference"
            );
        }
        for secret in SECRET_LIKE {
            for err in [
                KeyRef::from_sql(&Type::TEXT, secret.as_bytes()).unwrap_err(),
                TenantId::from_sql(&Type::TEXT, secret.as_bytes()).unwrap_err(),
                KeyState::from_sql(
                    &Type::TEXT,
                    format!("{{\"destroy_scheduled\":{{\"at\":\"{secret}\"}}}}").as_bytes(),
                )
                .unwrap_err(),
            ] {
                assert!(!err.to_string().contains(secret), "{err}");
            }
        }
        let err = KeyRef::from_sql(&Type::TEXT, b"tenants/\xff/keys/a/versions/1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the column does not hold a canonical key reference"
        );
        for n in [0_i64, -1, i64::from(u32::MAX) + 1] {
            let err = KeyVersion::from_sql(&Type::INT8, &n.to_be_bytes()).unwrap_err();
            assert_eq!(
                err.to_string(),
                "the column does not hold a canonical key version"
            );
        }
        let err = KeyVersion::from_sql(&Type::INT8, b"short").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the column does not hold a canonical key version"
        );
    }

    #[test]
    fn an_unknown_state_reads_as_unrecognized() {
        let state = KeyState::from_sql(&Type::TEXT, b"quarantined").unwrap();
        assert!(matches!(state, KeyState::Unrecognized(_)));
        assert_eq!(write(&state, &Type::TEXT), b"quarantined");
    }
}

/// sqlx for Postgres: what a bound parameter sends, and which column types
/// each type reads. (sqlx has no public way to make a `PgValueRef` without
/// a server, so decoding is the same text read and strict parser the
/// rusqlite and postgres tests above exercise, `integrations/sql.rs`.)
mod sqlx_values {
    use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, Postgres};
    use sqlx::{Encode, Type};

    use super::*;

    fn sent<T: for<'q> Encode<'q, Postgres>>(value: &T) -> Vec<u8> {
        let mut buf = PgArgumentBuffer::default();
        let _ = Encode::<Postgres>::encode_by_ref(value, &mut buf).unwrap();
        buf.to_vec()
    }

    #[test]
    fn parameters_are_the_column_forms() {
        let key_ref: KeyRef = "tenants/acme/keys/billing/versions/4294967295"
            .parse()
            .unwrap();
        assert_eq!(sent(&key_ref), key_ref.to_string().as_bytes());
        assert_eq!(sent(&key_ref.name()), b"tenants/acme/keys/billing");
        assert_eq!(sent(key_ref.tenant()), b"acme");
        assert_eq!(sent(key_ref.purpose()), b"billing");
        assert_eq!(sent(&key_ref.version()), i64::from(u32::MAX).to_be_bytes());
        assert_eq!(sent(&KeyState::Enabled), b"enabled");
        assert_eq!(
            sent(&states()[2]),
            br#"{"destroy_scheduled":{"at":1796725328}}"#
        );
    }

    #[test]
    fn each_type_reads_only_its_column_types() {
        let text = PgTypeInfo::with_name("TEXT");
        let varchar = PgTypeInfo::with_name("VARCHAR");
        let int8 = PgTypeInfo::with_name("INT8");
        assert!(<KeyRef as Type<Postgres>>::compatible(&text));
        assert!(<KeyRef as Type<Postgres>>::compatible(&varchar));
        assert!(<KeyState as Type<Postgres>>::compatible(&text));
        assert!(!<KeyRef as Type<Postgres>>::compatible(&int8));
        assert!(<KeyVersion as Type<Postgres>>::compatible(&int8));
        assert!(!<KeyVersion as Type<Postgres>>::compatible(&text));
        assert!(!<TenantId as Type<Postgres>>::compatible(&int8));
        assert!(!<KeyName as Type<Postgres>>::compatible(&int8));
        assert!(!<KeyPurpose as Type<Postgres>>::compatible(&int8));
    }
}
