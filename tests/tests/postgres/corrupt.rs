//! Corrupt rows fail closed: rows altered behind the store's back (an
//! unknown state, altered wrapped bytes, a row moved to another tenant, two
//! primaries) make that key refuse every operation, and other keys keep
//! working. Each test writes through a ring, alters the rows with `psql`
//! as an attacker or a broken migration would, and reads through a new
//! ring (nothing cached).

use key_model::{BackendErrorKind, Envelope, Error, KeyName, KeyRing, StateKind, TenantScope};
use key_model_tests::postgres::Database;

use crate::support::{database, name, ring, scope};

/// A database with `acme/victim` (versions 1 and 2, 2 the primary),
/// `acme/bystander` and `globex/victim`, and an envelope under each
/// version of `acme/victim`.
fn setup() -> (Database, Vec<Envelope>) {
    let db = database();
    let ring = ring(&db);
    let acme = scope("acme");
    ring.create_key(&acme, &name("acme", "victim"))
        .expect("create");
    let v1 = ring
        .encrypt(&acme, &name("acme", "victim"), b"one", b"")
        .expect("encrypt");
    ring.rotate(&acme, &name("acme", "victim")).expect("rotate");
    let v2 = ring
        .encrypt(&acme, &name("acme", "victim"), b"two", b"")
        .expect("encrypt");
    ring.create_key(&acme, &name("acme", "bystander"))
        .expect("create");
    ring.create_key(&scope("globex"), &name("globex", "victim"))
        .expect("create");
    (db, vec![v1, v2])
}

/// Every operation on `key` fails; `check` says how.
fn refuses_everything(
    ring: &KeyRing,
    scope: &TenantScope,
    key: &KeyName,
    sealed: &[Envelope],
    check: impl Fn(&Error),
) {
    check(&ring.encrypt(scope, key, b"x", b"").expect_err("encrypt"));
    for envelope in sealed {
        check(&ring.decrypt(scope, envelope, b"").expect_err("decrypt"));
        check(&ring.reencrypt(scope, envelope, b"").expect_err("reencrypt"));
    }
    check(&ring.rotate(scope, key).expect_err("rotate"));
}

fn backend(kind: BackendErrorKind) -> impl Fn(&Error) {
    move |e| match e {
        Error::Backend(b) => assert_eq!(b.kind(), kind, "{e}"),
        other => panic!("expected a {kind:?} backend error, got {other}"),
    }
}

/// The bystander keeps working: encrypt and decrypt.
fn bystander_works(ring: &KeyRing) {
    let acme = scope("acme");
    let sealed = ring
        .encrypt(&acme, &name("acme", "bystander"), b"fine", b"")
        .expect("the bystander encrypts");
    assert_eq!(
        ring.decrypt(&acme, &sealed, b"")
            .expect("decrypt")
            .as_bytes(),
        b"fine"
    );
}

#[test]
fn an_unknown_state_refuses_that_version() {
    let (db, sealed) = setup();
    db.psql(
        "UPDATE key_model_versions SET state = 'quarantined'
         WHERE tenant = 'acme' AND purpose = 'victim'",
    );
    let ring = ring(&db);
    let refused = |e: &Error| match e {
        Error::Refused(r) => assert_eq!(r.state(), StateKind::Unrecognized, "{e}"),
        other => panic!("expected a refusal, got {other}"),
    };
    let (acme, victim) = (scope("acme"), name("acme", "victim"));
    refused(
        &ring
            .encrypt(&acme, &victim, b"x", b"")
            .expect_err("encrypt"),
    );
    for envelope in &sealed {
        refused(&ring.decrypt(&acme, envelope, b"").expect_err("decrypt"));
    }
    bystander_works(&ring);
}

#[test]
fn altered_wrapped_bytes_fail_to_unwrap() {
    let (db, sealed) = setup();
    db.psql(
        "UPDATE key_model_versions SET wrapped = set_byte(wrapped, 30, get_byte(wrapped, 30) # 1)
         WHERE tenant = 'acme' AND purpose = 'victim' AND version = 1",
    );
    let ring = ring(&db);
    refuses_everything(
        &ring,
        &scope("acme"),
        &name("acme", "victim"),
        &sealed,
        backend(BackendErrorKind::Unwrap),
    );
    bystander_works(&ring);
}

#[test]
fn a_row_moved_to_another_tenant_is_corrupt_for_both_keys() {
    let (db, sealed) = setup();
    // acme's primary row now sits under globex's key.
    db.psql(
        "UPDATE key_model_versions SET tenant = 'globex'
         WHERE tenant = 'acme' AND purpose = 'victim' AND version = 2",
    );
    let ring = ring(&db);
    // acme lost its primary; globex has a row whose reference is acme's.
    refuses_everything(
        &ring,
        &scope("acme"),
        &name("acme", "victim"),
        &sealed,
        backend(BackendErrorKind::Corrupt),
    );
    refuses_everything(
        &ring,
        &scope("globex"),
        &name("globex", "victim"),
        &[],
        backend(BackendErrorKind::Corrupt),
    );
    bystander_works(&ring);
}

#[test]
fn a_row_moved_with_its_reference_rewritten_fails_to_unwrap() {
    let (db, _) = setup();
    // The attacker also rewrites the reference: the wrapped material is
    // bound to acme's reference, so the root key refuses it under globex's
    // (and it is no longer a primary, so globex's record is well-formed).
    db.psql(
        "UPDATE key_model_versions SET tenant = 'globex', is_primary = false,
             key_ref = 'tenants/globex/keys/victim/versions/2'
         WHERE tenant = 'acme' AND purpose = 'victim' AND version = 2",
    );
    let ring = ring(&db);
    refuses_everything(
        &ring,
        &scope("globex"),
        &name("globex", "victim"),
        &[],
        backend(BackendErrorKind::Unwrap),
    );
    bystander_works(&ring);
}

#[test]
fn two_primaries_are_corrupt() {
    let (db, sealed) = setup();
    db.psql(
        "UPDATE key_model_versions SET is_primary = true
         WHERE tenant = 'acme' AND purpose = 'victim'",
    );
    let ring = ring(&db);
    refuses_everything(
        &ring,
        &scope("acme"),
        &name("acme", "victim"),
        &sealed,
        backend(BackendErrorKind::Corrupt),
    );
    bystander_works(&ring);
}
