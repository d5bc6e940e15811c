//! `Pkcs11RootKey` against a real SoftHSM2 token.

use std::sync::Arc;

use key_model::ring::{KeyStore, Pkcs11Config, Pkcs11RootKey};
use key_model::testing::{CanaryKeys, assert_no_leak, ring_with_canary_keys, root_key_conformance};
use key_model::{BackendErrorKind, Error, KeyRing};

use crate::servers::softhsm::{MODULE, Token, pin_canary};
use crate::{name, rechecked_ring, refusal_within_recheck, scope, shared_store, swap_wrapped};

fn backend_kind<T: std::fmt::Debug>(result: Result<T, Error>) -> BackendErrorKind {
    match result {
        Err(Error::Backend(e)) => e.kind(),
        other => panic!("expected a backend error, got {other:?}"),
    }
}

#[test]
fn passes_the_root_key_conformance_suite() {
    let token = Token::shared();
    root_key_conformance(&token.root_key("conformance"));
}

#[test]
fn round_trip_through_a_cold_ring() {
    let token = Token::shared();
    let store = shared_store();
    let warm = KeyRing::new(
        Arc::clone(&store),
        token.root_key("round_trip_through_a_cold_ring"),
    );
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    warm.create_key(&acme, &orders).unwrap();
    let sealed = warm.encrypt(&acme, &orders, b"row 1", b"ctx").unwrap();
    let cold = KeyRing::new(
        Arc::clone(&store),
        Pkcs11RootKey::open(token.config("round_trip_through_a_cold_ring")).unwrap(),
    );
    assert_eq!(
        cold.decrypt(&acme, &sealed, b"ctx").unwrap().as_bytes(),
        b"row 1"
    );
}

#[test]
fn wrapped_bytes_are_bound_to_their_version() {
    let token = Token::shared();
    let store = shared_store();
    let ring = KeyRing::new(
        Arc::clone(&store),
        token.root_key("wrapped_bytes_are_bound_to_their_version"),
    );
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &orders).unwrap();
    let sealed = ring.encrypt(&acme, &orders, b"row", b"").unwrap();
    ring.rotate(&acme, &orders).unwrap();
    swap_wrapped(&*store, &orders, 0, 1);
    let cold = KeyRing::new(
        Arc::clone(&store),
        Pkcs11RootKey::open(token.config("wrapped_bytes_are_bound_to_their_version")).unwrap(),
    );
    assert_eq!(
        backend_kind(cold.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Unwrap
    );
}

#[test]
fn a_missing_key_is_refused() {
    // A wrong PIN cannot be shown here: PKCS#11 login is per process, and
    // the process's token is logged in by the first test (see
    // docs/key-model.md). A key that is not on the token is refused.
    let token = Token::shared();
    let missing = Pkcs11RootKey::open(token.config("no-such-key")).unwrap_err();
    assert_eq!(missing.kind(), BackendErrorKind::Refused);
}

#[test]
fn disabling_the_key_fails_closed_and_re_enabling_restores_service() {
    let token = Token::shared();
    let store = shared_store();
    let admin = Arc::new(token.root_key("disabling_the_key_fails_closed_and_re_en"));
    let warm = KeyRing::new(Arc::clone(&store), Arc::clone(&admin));
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    warm.create_key(&acme, &orders).unwrap();
    let sealed = warm.encrypt(&acme, &orders, b"row", b"").unwrap();
    let cold = KeyRing::new(
        Arc::clone(&store),
        Pkcs11RootKey::open(token.config("disabling_the_key_fails_closed_and_re_en")).unwrap(),
    );

    admin.set_usable(1, false).unwrap();
    assert_eq!(
        backend_kind(cold.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Refused
    );
    assert_eq!(
        backend_kind(warm.create_key(&acme, &name("acme", "invoices"))),
        BackendErrorKind::Refused
    );
    // Cached material stays usable in the warm ring (the documented bound).
    assert_eq!(
        warm.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );

    admin.set_usable(1, true).unwrap();
    assert_eq!(
        cold.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );
}

#[test]
fn an_unreachable_token_fails_closed() {
    let token = Token::shared();
    token.root_key("an_unreachable_token_fails_closed");
    let no_token = Pkcs11RootKey::open(Pkcs11Config::new(
        MODULE,
        "no-such-token",
        "1234".into(),
        "an_unreachable_token_fails_closed",
    ))
    .unwrap_err();
    assert_eq!(no_token.kind(), BackendErrorKind::Unavailable);
    let no_module = Pkcs11RootKey::open(Pkcs11Config::new(
        "/nonexistent/libpkcs11.so",
        &token.label,
        "1234".into(),
        "an_unreachable_token_fails_closed",
    ))
    .unwrap_err();
    assert_eq!(no_module.kind(), BackendErrorKind::Unavailable);
}

#[test]
fn rotation_rewraps_many_keys_and_retires_the_old_version() {
    let token = Token::shared();
    let store = shared_store();
    let root = Arc::new(token.root_key("rotation_rewraps_many_keys_and_retires_t"));
    let ring = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
    let tenants = ["acme", "globex", "initech", "umbrella"];
    let mut sealed = Vec::new();
    for tenant in tenants {
        for i in 0..12 {
            let (s, n) = (scope(tenant), name(tenant, &format!("k{i}")));
            ring.create_key(&s, &n).unwrap();
            sealed.push((tenant, ring.encrypt(&s, &n, b"old", b"").unwrap()));
        }
    }
    let before = store.load(&name("acme", "k0")).unwrap().unwrap().0;

    assert_eq!(root.add_version().unwrap(), 2);
    let mut rewrapped = 0;
    for tenant in tenants {
        rewrapped += ring.rewrap_all(&scope(tenant)).unwrap();
    }
    assert_eq!(rewrapped, tenants.len() * 12);
    root.destroy_version(1).unwrap();

    let cold = KeyRing::new(
        Arc::clone(&store),
        Pkcs11RootKey::open(token.config("rotation_rewraps_many_keys_and_retires_t")).unwrap(),
    );
    for tenant in tenants {
        for i in 0..12 {
            let record = store
                .load(&name(tenant, &format!("k{i}")))
                .unwrap()
                .unwrap()
                .0;
            let wrapped = record.versions()[0].wrapped().unwrap().as_bytes();
            assert_eq!(&wrapped[1..5], &2u32.to_be_bytes(), "{tenant}/k{i}");
        }
    }
    for (tenant, envelope) in &sealed {
        assert_eq!(
            cold.decrypt(&scope(tenant), envelope, b"")
                .unwrap()
                .as_bytes(),
            b"old"
        );
    }
    let old_store = shared_store();
    old_store.save(&before, None).unwrap();
    let old = KeyRing::new(
        Arc::clone(&old_store),
        Pkcs11RootKey::open(token.config("rotation_rewraps_many_keys_and_retires_t")).unwrap(),
    );
    assert_eq!(
        backend_kind(old.decrypt(&scope("acme"), &sealed[0].1, b"")),
        BackendErrorKind::Refused
    );
}

#[test]
fn no_pin_or_key_material_in_any_error_or_debug() {
    let token = Token::shared();
    let canaries = CanaryKeys::new(1411);
    let mut all = canaries.all();
    all.push(pin_canary());
    let store = shared_store();
    let admin = Arc::new(token.root_key("no_pin_or_key_material_in_any_error_or_d"));
    let mut outputs = vec![format!(
        "{admin:?} {:?}",
        token.config("no_pin_or_key_material_in_any_error_or_d")
    )];
    let ring = ring_with_canary_keys(Arc::clone(&store), Arc::clone(&admin), &canaries);
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &orders).unwrap();
    ring.rotate(&acme, &orders).unwrap();
    let sealed = ring.encrypt(&acme, &orders, b"row", b"").unwrap();
    outputs.push(format!("{ring:?} {ring:#?}"));
    outputs.push(format!("{:?}", store.load(&orders).unwrap()));
    let cold = || {
        KeyRing::new(
            Arc::clone(&store),
            Pkcs11RootKey::open(token.config("no_pin_or_key_material_in_any_error_or_d")).unwrap(),
        )
    };
    swap_wrapped(&*store, &orders, 0, 1);
    let tampered = cold().decrypt(&acme, &sealed, b"").unwrap_err();
    swap_wrapped(&*store, &orders, 0, 1);
    admin.set_usable(1, false).unwrap();
    let refused = cold().decrypt(&acme, &sealed, b"").unwrap_err();
    admin.set_usable(1, true).unwrap();
    for e in [&tampered, &refused] {
        outputs.push(format!("{e} {e:?} {e:#?}"));
    }
    let missing = Pkcs11RootKey::open(token.config("no-such-key")).unwrap_err();
    outputs.push(format!("{missing} {missing:?}"));
    for output in &outputs {
        assert_no_leak(&all, output);
    }
    assert_eq!(backend_kind::<()>(Err(tampered)), BackendErrorKind::Unwrap);
    assert_eq!(backend_kind::<()>(Err(refused)), BackendErrorKind::Refused);
    assert_eq!(missing.kind(), BackendErrorKind::Refused);
}

/// With the root re-check on, a key made unusable in the HSM is honoured
/// within the interval by a ring that has it cached; usable again, service
/// comes back.
#[test]
fn with_the_root_recheck_a_provider_disable_is_honoured_within_the_interval() {
    let token = Token::shared();
    let store = shared_store();
    let admin = Arc::new(token.root_key("recheck"));
    let orders = name("acme", "orders");
    let (ring, sealed) = rechecked_ring(&store, Arc::clone(&admin), &orders);

    admin.set_usable(1, false).unwrap();
    let seen = refusal_within_recheck(&ring, &sealed, std::time::Instant::now());
    println!(
        "pkcs11: unusable key honoured after {seen:?} (re-check every {:?})",
        crate::RECHECK
    );

    admin.set_usable(1, true).unwrap();
    assert_eq!(
        ring.decrypt(&scope("acme"), &sealed, b"")
            .unwrap()
            .as_bytes(),
        b"row"
    );
}
