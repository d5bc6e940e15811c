//! The store on a real server: keys survive the process that wrote them,
//! the schema is versioned and a newer one refused, and the tables hold
//! what `docs/key-model.md` says, as an auditor reads them with `psql`.

use key_model::ring::PostgresKeyStore;
use key_model::{BackendErrorKind, Error, KeyState};

use crate::support::{database, name, ring, scope, store};

#[test]
fn keys_outlive_the_ring_and_the_connections_that_wrote_them() {
    let db = database();
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    let (sealed, rotated) = {
        let ring = ring(&db);
        ring.create_key(&acme, &key).expect("create");
        let sealed = ring.encrypt(&acme, &key, b"rows", b"ctx").expect("encrypt");
        let v2 = ring.rotate(&acme, &key).expect("rotate");
        let rotated = ring
            .encrypt(&acme, &key, b"more rows", b"ctx")
            .expect("encrypt");
        assert_eq!(rotated.key_ref(), v2.key_ref());
        (sealed, rotated)
    };
    // A new store and ring: nothing cached, everything read back.
    let ring = ring(&db);
    assert_eq!(
        ring.decrypt(&acme, &sealed, b"ctx").expect("v1").as_bytes(),
        b"rows"
    );
    assert_eq!(
        ring.decrypt(&acme, &rotated, b"ctx")
            .expect("v2")
            .as_bytes(),
        b"more rows"
    );
    let versions = ring.versions(&acme, &key).expect("versions");
    assert_eq!(versions.len(), 2);
    assert!(versions[1].is_primary() && !versions[0].is_primary());
    assert!(ring.list(&scope("globex")).expect("list").is_empty());
}

#[test]
fn every_state_round_trips_through_the_columns() {
    let db = database();
    let acme = scope("acme");
    let key = name("acme", "states");
    let ring = ring(&db);
    let v1 = ring
        .create_key(&acme, &key)
        .expect("create")
        .key_ref()
        .clone();
    let v2 = ring.rotate(&acme, &key).expect("rotate").key_ref().clone();
    let v3 = ring.rotate(&acme, &key).expect("rotate").key_ref().clone();
    ring.rotate(&acme, &key).expect("rotate");
    let at = key_model::Timestamp::from_unix_seconds(1_900_000_000);
    ring.disable(&acme, &v1).expect("disable");
    ring.disable(&acme, &v2).expect("disable");
    ring.schedule_destruction(&acme, &v2, at).expect("schedule");
    ring.disable(&acme, &v3).expect("disable");
    ring.schedule_destruction(&acme, &v3, at).expect("schedule");
    ring.destroy(&acme, &v3).expect("destroy");
    let written = ring.versions(&acme, &key).expect("versions");
    let read = super::support::ring(&db)
        .versions(&acme, &key)
        .expect("versions");
    assert_eq!(read, written);
    let states: Vec<_> = read.iter().map(|m| m.state().clone()).collect();
    assert_eq!(
        states,
        [
            KeyState::Disabled,
            KeyState::DestroyScheduled { at },
            KeyState::Destroyed,
            KeyState::Enabled
        ]
    );
    // As an auditor sees it: one row per version, states by name, no
    // material once destroyed.
    let rows = db.psql(
        "SELECT key_ref, state, coalesce(destroy_at::text, '-'), is_primary, wrapped IS NULL
         FROM key_model_versions ORDER BY version",
    );
    assert_eq!(
        rows,
        "tenants/acme/keys/states/versions/1|disabled|-|f|f\n\
         tenants/acme/keys/states/versions/2|destroy_scheduled|1900000000|f|f\n\
         tenants/acme/keys/states/versions/3|destroyed|-|f|t\n\
         tenants/acme/keys/states/versions/4|enabled|-|t|f\n"
    );
}

#[test]
fn the_schema_version_is_recorded_and_opening_again_keeps_it() {
    let db = database();
    drop(store(&db));
    drop(store(&db)); // a second open migrates nothing
    assert_eq!(
        db.psql("SELECT version FROM key_model_schema").trim(),
        PostgresKeyStore::SCHEMA_VERSION.to_string()
    );
}

#[test]
fn a_database_written_by_a_newer_schema_is_refused() {
    let db = database();
    drop(store(&db));
    db.psql("UPDATE key_model_schema SET version = version + 1");
    let refused =
        PostgresKeyStore::connect(&db.connection_string()).expect_err("a newer schema opened");
    assert_eq!(refused.kind(), BackendErrorKind::UnsupportedFormat);
    assert!(refused.to_string().contains("newer"), "{refused}");
}

#[test]
fn an_unreachable_server_is_unavailable_not_a_panic() {
    // A port nothing listens on: bound, read, closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind")
        .port();
    let refused = PostgresKeyStore::connect(&format!(
        "host=127.0.0.1 port={port} user=postgres dbname=x connect_timeout=2"
    ))
    .expect_err("connected to nothing");
    assert_eq!(refused.kind(), BackendErrorKind::Unavailable);
    let _: Error = refused.into();
}
