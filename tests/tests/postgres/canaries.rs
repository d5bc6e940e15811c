//! Leak canaries on the database: a ring whose root key and every key
//! version hold canary material (`key_model::testing`) writes its keys
//! through the PostgreSQL store; a `pg_dump` of the database (schema and
//! data, as a backup holds it) shows wrapped material only: no canary in
//! any encoding the detector knows. A planted canary shows that the scan
//! reads the dump's encoding of `bytea`.

use key_model::Timestamp;
use key_model::testing::{CanaryKeys, ring_with_canary_keys};

use crate::support::{database, name, scope, store};

#[test]
fn a_pg_dump_of_the_store_holds_no_key_material() {
    let db = database();
    let canaries = CanaryKeys::new(0xd0_0d13);
    let ring = ring_with_canary_keys(store(&db), canaries.root_key(), &canaries);
    let acme = scope("acme");
    for purpose in ["audit-export", "session-recording"] {
        let key = name("acme", purpose);
        let v1 = ring
            .create_key(&acme, &key)
            .expect("create")
            .key_ref()
            .clone();
        ring.encrypt(&acme, &key, b"data", b"").expect("encrypt");
        ring.rotate(&acme, &key).expect("rotate");
        ring.rotate(&acme, &key).expect("rotate");
        ring.disable(&acme, &v1).expect("disable");
        let at = Timestamp::from_unix_seconds(1_900_000_000);
        ring.schedule_destruction(&acme, &v1, at).expect("schedule");
    }
    ring.create_key(&scope("globex"), &name("globex", "audit-export"))
        .expect("create");
    assert!(
        canaries.issued().len() >= 7,
        "every version got canary material"
    );

    let dump = db.pg_dump();
    assert!(
        String::from_utf8_lossy(&dump).contains("key_model_versions"),
        "the dump holds the store's tables"
    );
    canaries.assert_no_leak(&dump);

    // The scan can fail: a canary planted in a bytea column of the same
    // database is found in the next dump.
    let (_, planted) = canaries.issued().remove(0);
    let hex = planted.bytes().iter().fold(String::new(), |mut hex, b| {
        use std::fmt::Write;
        let _ = write!(hex, "{b:02x}");
        hex
    });
    db.psql(&format!(
        "CREATE TABLE planted (b bytea); INSERT INTO planted VALUES ('\\x{hex}')"
    ));
    assert!(
        canaries.find_leak(db.pg_dump()).is_some(),
        "a canary in a bytea column of the dump was not found"
    );
}
