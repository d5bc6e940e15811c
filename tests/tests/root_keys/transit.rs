//! `TransitRootKey` against a real OpenBao (dev mode, transit engine).

use std::sync::Arc;

use key_model::ring::{KeyStore, TransitRootKey};
use key_model::testing::{CanaryKeys, assert_no_leak, ring_with_canary_keys, root_key_conformance};
use key_model::{BackendErrorKind, Error, KeyRing};
use serde_json::json;

use crate::servers::openbao::{OpenBao, token_canary, token_hex};
use crate::{name, rechecked_ring, refusal_within_recheck, scope, shared_store, swap_wrapped};

/// The backend error kind of `result`, or a panic naming what it was.
fn backend_kind<T: std::fmt::Debug>(result: Result<T, Error>) -> BackendErrorKind {
    match result {
        Err(Error::Backend(e)) => e.kind(),
        other => panic!("expected a backend error, got {other:?}"),
    }
}

#[test]
fn passes_the_root_key_conformance_suite() {
    let bao = OpenBao::shared();
    root_key_conformance(&bao.root_key("conformance"));
}

#[test]
fn round_trip_through_a_cold_ring() {
    let bao = OpenBao::shared();
    let store = shared_store();
    let warm = KeyRing::new(Arc::clone(&store), bao.root_key("round-trip"));
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    warm.create_key(&acme, &orders).unwrap();
    let sealed = warm.encrypt(&acme, &orders, b"row 1", b"ctx").unwrap();

    // What the store holds is a transit ciphertext, not the material.
    let record = store.load(&orders).unwrap().unwrap().0;
    let wrapped = record.versions()[0].wrapped().unwrap().as_bytes();
    assert!(wrapped.starts_with(b"vault:v1:"), "{wrapped:?}");

    // A ring with nothing cached unwraps through the server.
    let cold = KeyRing::new(
        Arc::clone(&store),
        TransitRootKey::connect(bao.config("round-trip")).unwrap(),
    );
    let opened = cold.decrypt(&acme, &sealed, b"ctx").unwrap();
    assert_eq!(opened.as_bytes(), b"row 1");
}

#[test]
fn wrapped_bytes_are_bound_to_their_version() {
    let bao = OpenBao::shared();
    let store = shared_store();
    let ring = KeyRing::new(Arc::clone(&store), bao.root_key("binding"));
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &orders).unwrap();
    let sealed = ring.encrypt(&acme, &orders, b"row", b"").unwrap();
    ring.rotate(&acme, &orders).unwrap();

    // Versions 1 and 2 swap their wrapped bytes: the derivation context
    // (the key reference) no longer matches, so the server refuses both.
    swap_wrapped(&*store, &orders, 0, 1);
    let cold = KeyRing::new(
        Arc::clone(&store),
        TransitRootKey::connect(bao.config("binding")).unwrap(),
    );
    assert_eq!(
        backend_kind(cold.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Unwrap
    );
}

#[test]
fn a_key_without_derivation_is_refused() {
    let bao = OpenBao::shared();
    // The context would be ignored by such a key: no binding, so no root key.
    bao.admin("POST", "transit/keys/not-derived", &json!({}));
    let refused = TransitRootKey::connect(bao.config("not-derived")).unwrap_err();
    assert_eq!(refused.kind(), BackendErrorKind::Refused);
}

#[test]
fn a_token_without_access_is_refused() {
    let bao = OpenBao::shared();
    bao.create_key("wrong-token");
    let refused =
        TransitRootKey::connect(bao.config_with_token("wrong-token", "not-the-token")).unwrap_err();
    assert_eq!(refused.kind(), BackendErrorKind::Refused);
}

#[test]
fn soft_delete_fails_closed_and_restore_brings_service_back() {
    let bao = OpenBao::shared();
    let store = shared_store();
    let warm = KeyRing::new(Arc::clone(&store), bao.root_key("soft-delete"));
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    warm.create_key(&acme, &orders).unwrap();
    let sealed = warm.encrypt(&acme, &orders, b"row", b"").unwrap();
    let cold = || {
        KeyRing::new(
            Arc::clone(&store),
            TransitRootKey::connect(bao.config("soft-delete")).unwrap(),
        )
    };
    let cold_before = cold();

    bao.admin("DELETE", "transit/keys/soft-delete/soft-delete", &json!({}));
    // Nothing cached: the ring refuses to load the key.
    assert_eq!(
        backend_kind(cold_before.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Refused
    );
    // No new key can be wrapped either.
    assert_eq!(
        backend_kind(warm.create_key(&acme, &name("acme", "invoices"))),
        BackendErrorKind::Refused
    );
    // Material the warm ring unwrapped before the deletion stays usable
    // while it is cached: the bound docs/key-model.md states.
    assert_eq!(
        warm.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );

    bao.admin(
        "POST",
        "transit/keys/soft-delete/soft-delete-restore",
        &json!({}),
    );
    assert_eq!(
        cold_before.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );
}

#[test]
fn an_unreachable_server_fails_closed() {
    let bao = OpenBao::start();
    let store = shared_store();
    let ring = KeyRing::new(Arc::clone(&store), bao.root_key("unreachable"));
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &orders).unwrap();
    let sealed = ring.encrypt(&acme, &orders, b"row", b"").unwrap();
    let cold = KeyRing::new(
        Arc::clone(&store),
        TransitRootKey::connect(bao.config("unreachable")).unwrap(),
    );
    let config = bao.config("unreachable");
    drop(bao);

    assert_eq!(
        backend_kind(cold.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Unavailable
    );
    assert_eq!(
        TransitRootKey::connect(config).unwrap_err().kind(),
        BackendErrorKind::Unavailable
    );
}

#[test]
fn rotation_rewraps_many_keys_and_retires_the_old_version() {
    let bao = OpenBao::shared();
    let store = shared_store();
    let ring = KeyRing::new(Arc::clone(&store), bao.root_key("rotation"));
    let tenants = ["acme", "globex", "initech", "umbrella"];
    let mut sealed = Vec::new();
    for tenant in tenants {
        for i in 0..12 {
            let (s, n) = (scope(tenant), name(tenant, &format!("k{i}")));
            ring.create_key(&s, &n).unwrap();
            sealed.push((tenant, ring.encrypt(&s, &n, b"old", b"").unwrap()));
        }
    }
    // One wrapped record kept from before the rotation, to show retirement.
    let before = store.load(&name("acme", "k0")).unwrap().unwrap().0;

    bao.admin("POST", "transit/keys/rotation/rotate", &json!({}));
    let mut rewrapped = 0;
    for tenant in tenants {
        rewrapped += ring.rewrap_all(&scope(tenant)).unwrap();
    }
    assert_eq!(rewrapped, tenants.len() * 12);
    bao.admin(
        "POST",
        "transit/keys/rotation/config",
        &json!({"min_decryption_version": 2}),
    );

    // Every stored version is wrapped by root version 2 now, and a cold ring
    // opens every envelope sealed before the rotation.
    let cold = KeyRing::new(
        Arc::clone(&store),
        TransitRootKey::connect(bao.config("rotation")).unwrap(),
    );
    for tenant in tenants {
        for i in 0..12 {
            let record = store
                .load(&name(tenant, &format!("k{i}")))
                .unwrap()
                .unwrap()
                .0;
            let wrapped = record.versions()[0].wrapped().unwrap().as_bytes();
            assert!(wrapped.starts_with(b"vault:v2:"), "{tenant}/k{i}");
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

    // Version 1 is retired: what it wrapped no longer unwraps.
    let old_store = shared_store();
    old_store.save(&before, None).unwrap();
    let old = KeyRing::new(
        Arc::clone(&old_store),
        TransitRootKey::connect(bao.config("rotation")).unwrap(),
    );
    assert_eq!(
        backend_kind(old.decrypt(&scope("acme"), &sealed[0].1, b"")),
        BackendErrorKind::Refused
    );
}

#[test]
fn no_token_or_key_material_in_any_error_or_debug() {
    let bao = OpenBao::start();
    let canaries = CanaryKeys::new(14);
    let mut all = canaries.all();
    all.push(token_canary());
    let store = shared_store();
    let root = bao.root_key("canaries");
    let root_debug = format!("{root:?} {:?}", bao.config("canaries"));
    let ring = ring_with_canary_keys(Arc::clone(&store), root, &canaries);
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &orders).unwrap();
    ring.rotate(&acme, &orders).unwrap();
    let sealed = ring.encrypt(&acme, &orders, b"row", b"").unwrap();
    let mut outputs = vec![root_debug, format!("{ring:?} {ring:#?}")];
    outputs.push(format!("{:?}", store.load(&orders).unwrap()));
    let cold = || {
        KeyRing::new(
            Arc::clone(&store),
            TransitRootKey::connect(bao.config("canaries")).unwrap(),
        )
    };

    // Every error the provider produces: tampered bytes, a refusal, a
    // wrong token, an unreachable server.
    swap_wrapped(&*store, &orders, 0, 1);
    let tampered = cold().decrypt(&acme, &sealed, b"").unwrap_err();
    swap_wrapped(&*store, &orders, 0, 1);
    let ring_for_refusal = cold();
    bao.admin("DELETE", "transit/keys/canaries/soft-delete", &json!({}));
    let refused = ring_for_refusal.decrypt(&acme, &sealed, b"").unwrap_err();
    bao.admin(
        "POST",
        "transit/keys/canaries/soft-delete-restore",
        &json!({}),
    );
    let wrong_token = TransitRootKey::connect(bao.config_with_token("canaries", "x")).unwrap_err();
    let ring_for_outage = cold();
    let config = bao.config("canaries");
    drop(bao);
    let unreachable = ring_for_outage.decrypt(&acme, &sealed, b"").unwrap_err();
    let no_server = TransitRootKey::connect(config).unwrap_err();
    for e in [&tampered, &refused, &unreachable] {
        outputs.push(format!("{e} {e:?} {e:#?}"));
    }
    for e in [&wrong_token, &no_server] {
        outputs.push(format!("{e} {e:?} {e:#?}"));
    }
    for output in &outputs {
        assert_no_leak(&all, output);
    }
    // The detector sees the token where it is: a deliberate leak is caught.
    let token_hex = token_hex();
    assert!(
        token_canary()
            .find_leak(format!("token={token_hex}"))
            .is_some()
    );
    // And the errors scanned are the ones meant.
    let kinds: Vec<BackendErrorKind> = [tampered, refused, unreachable]
        .into_iter()
        .map(|e| backend_kind::<()>(Err(e)))
        .chain([wrong_token.kind(), no_server.kind()])
        .collect();
    assert_eq!(
        kinds,
        [
            BackendErrorKind::Unwrap,
            BackendErrorKind::Refused,
            BackendErrorKind::Unavailable,
            BackendErrorKind::Refused,
            BackendErrorKind::Unavailable,
        ]
    );
}

/// The bound on material a ring already holds when the provider disables
/// the root key, measured: the ring's cache lifetime does not end it. After
/// the lifetime the ring asks the store for the key's revision, not the
/// provider, and keeps (or, on a reload, reuses) the unwrapped material; a
/// zero lifetime changes nothing. A new version cannot be made (it must be
/// wrapped), and the primary cannot be disabled, so what ends it without
/// the root re-check is a new ring: a restart of the process. The next test
/// shows the remedy.
#[test]
fn cached_material_outlives_a_provider_disable_until_the_store_says_otherwise() {
    let bao = OpenBao::shared();
    let store = shared_store();
    let warm = KeyRing::new(Arc::clone(&store), bao.root_key("cache-bound"))
        .with_cache_ttl(std::time::Duration::ZERO);
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    warm.create_key(&acme, &orders).unwrap();
    let sealed = warm.encrypt(&acme, &orders, b"row", b"").unwrap();

    bao.admin("DELETE", "transit/keys/cache-bound/soft-delete", &json!({}));
    // Zero cache lifetime: every call asks the store, which has not moved.
    assert_eq!(
        warm.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );
    // A new version must be wrapped: the provider refuses, nothing changes,
    // and the cached version 1 stays in use.
    assert_eq!(
        backend_kind(warm.rotate(&acme, &orders)),
        BackendErrorKind::Refused
    );
    assert_eq!(
        warm.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );
    // A new ring over the same store (a restart) ends it: it must unwrap.
    let restarted = KeyRing::new(
        Arc::clone(&store),
        TransitRootKey::connect(bao.config("cache-bound")).unwrap(),
    );
    assert_eq!(
        backend_kind(restarted.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Refused
    );
    bao.admin(
        "POST",
        "transit/keys/cache-bound/soft-delete-restore",
        &json!({}),
    );
}

/// The remedy for the bound above: with the root re-check on (and the
/// refresher doing it off the hot path), a soft-delete at the provider is
/// honoured within the interval, and a restore brings service back.
#[test]
fn with_the_root_recheck_a_provider_disable_is_honoured_within_the_interval() {
    let bao = OpenBao::shared();
    let store = shared_store();
    let orders = name("acme", "orders");
    let (ring, sealed) = rechecked_ring(&store, bao.root_key("recheck"), &orders);

    bao.admin("DELETE", "transit/keys/recheck/soft-delete", &json!({}));
    let seen = refusal_within_recheck(&ring, &sealed, std::time::Instant::now());
    println!(
        "transit: soft-delete honoured after {seen:?} (re-check every {:?})",
        crate::RECHECK
    );

    bao.admin(
        "POST",
        "transit/keys/recheck/soft-delete-restore",
        &json!({}),
    );
    assert_eq!(
        ring.decrypt(&scope("acme"), &sealed, b"")
            .unwrap()
            .as_bytes(),
        b"row"
    );
}
