//! `TransitRootKey` against a real OpenBao (dev mode, transit engine).

use std::sync::Arc;

use key_model::ring::TransitRootKey;
use key_model::testing::{CanaryKeys, assert_no_leak, ring_with_canary_keys, root_key_conformance};
use key_model::{BackendErrorKind, KeyRing};
use serde_json::json;

use crate::servers::openbao::{OpenBao, token_canary, token_hex};
use crate::suite::{self, Provider, backend_kind};
use crate::{name, scope, shared_store, swap_wrapped};

/// The shared OpenBao, as the suite drives it: one transit key per label.
struct Transit(Arc<OpenBao>);

impl Provider for Transit {
    type Root = TransitRootKey;

    fn create(&self, label: &str) -> TransitRootKey {
        self.0.root_key(label)
    }

    fn reconnect(&self, label: &str) -> TransitRootKey {
        TransitRootKey::connect(self.0.config(label)).unwrap()
    }

    /// Soft deletion (and its restore): what transit offers to stop a key.
    fn set_usable(&self, label: &str, usable: bool) {
        if usable {
            let path = format!("transit/keys/{label}/soft-delete-restore");
            self.0.admin("POST", &path, &json!({}));
        } else {
            let path = format!("transit/keys/{label}/soft-delete");
            self.0.admin("DELETE", &path, &json!({}));
        }
    }

    /// Transit re-wraps inside the server: the same key name, version 2.
    fn rotate(&self, label: &str) -> TransitRootKey {
        let path = format!("transit/keys/{label}/rotate");
        self.0.admin("POST", &path, &json!({}));
        self.reconnect(label)
    }

    fn retire(&self, label: &str) {
        self.0.admin(
            "POST",
            &format!("transit/keys/{label}/config"),
            &json!({"min_decryption_version": 2}),
        );
    }

    fn wrapped_by_new_version(&self, _: &str, wrapped: &[u8]) -> bool {
        wrapped.starts_with(b"vault:v2:")
    }

    fn with_retired_version(&self, label: &str) -> TransitRootKey {
        self.reconnect(label)
    }
}

fn transit() -> Transit {
    Transit(OpenBao::shared())
}

#[test]
fn passes_the_root_key_conformance_suite() {
    let bao = OpenBao::shared();
    root_key_conformance(&bao.root_key("conformance"));
}

#[test]
fn round_trip_through_a_cold_ring() {
    let case = suite::round_trip_through_a_cold_ring(&transit(), "round-trip");
    // What the store holds is a transit ciphertext, not the material.
    let record = case.store.record(&case.key).unwrap().unwrap().0;
    let wrapped = record.versions()[0].wrapped().unwrap().as_bytes();
    assert!(wrapped.starts_with(b"vault:v1:"), "{wrapped:?}");
}

#[test]
fn wrapped_bytes_are_bound_to_their_version() {
    // The derivation context (the key reference) no longer matches.
    suite::wrapped_bytes_are_bound_to_their_version(&transit(), "binding");
}

#[test]
fn soft_delete_fails_closed_and_restore_brings_service_back() {
    suite::refusal_fails_closed_and_acceptance_restores_service(&transit(), "soft-delete");
}

#[test]
fn rotation_rewraps_many_keys_and_retires_the_old_version() {
    suite::rotation_rewraps_many_keys_and_retires_the_old_version(&transit(), "rotation");
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
    outputs.push(format!("{:?}", store.record(&orders).unwrap()));
    let cold = || {
        KeyRing::new(
            Arc::clone(&store),
            TransitRootKey::connect(bao.config("canaries")).unwrap(),
        )
    };

    // Every error the provider produces: tampered bytes, a refusal, a
    // wrong token, an unreachable server.
    swap_wrapped(&store, &orders, 0, 1);
    let tampered = cold().decrypt(&acme, &sealed, b"").unwrap_err();
    swap_wrapped(&store, &orders, 0, 1);
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
/// the root re-check is a new ring: a restart of the process. The remedy:
/// `with_the_root_recheck_a_provider_disable_is_honoured_within_the_interval`.
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

#[test]
fn with_the_root_recheck_a_provider_disable_is_honoured_within_the_interval() {
    let seen = suite::root_recheck_honours_a_refusal_within_the_interval(&transit(), "recheck");
    println!(
        "transit: soft-delete honoured after {seen:?} (re-check every {:?})",
        suite::RECHECK
    );
}
