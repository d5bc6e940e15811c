//! `AwsKmsRootKey` against a real LocalStack KMS (which, unlike moto,
//! refuses a disabled key).

use std::sync::Arc;

use key_model::ring::{AwsKmsRootKey, KeyStore};
use key_model::testing::{CanaryKeys, assert_no_leak, ring_with_canary_keys, root_key_conformance};
use key_model::{BackendErrorKind, Error, KeyRing};
use serde_json::json;

use crate::servers::localstack::{LocalStack, secret_canary};
use crate::{name, rechecked_ring, refusal_within_recheck, scope, shared_store, swap_wrapped};

fn backend_kind<T: std::fmt::Debug>(result: Result<T, Error>) -> BackendErrorKind {
    match result {
        Err(Error::Backend(e)) => e.kind(),
        other => panic!("expected a backend error, got {other:?}"),
    }
}

#[test]
fn passes_the_root_key_conformance_suite() {
    let kms = LocalStack::shared();
    root_key_conformance(&kms.root_key().0);
}

#[test]
fn round_trip_through_a_cold_ring() {
    let kms = LocalStack::shared();
    let store = shared_store();
    let (root, key_id) = kms.root_key();
    let warm = KeyRing::new(Arc::clone(&store), root);
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    warm.create_key(&acme, &orders).unwrap();
    let sealed = warm.encrypt(&acme, &orders, b"row 1", b"ctx").unwrap();
    let cold = KeyRing::new(Arc::clone(&store), AwsKmsRootKey::new(kms.config(&key_id)));
    assert_eq!(
        cold.decrypt(&acme, &sealed, b"ctx").unwrap().as_bytes(),
        b"row 1"
    );
}

#[test]
fn wrapped_bytes_are_bound_to_their_version() {
    let kms = LocalStack::shared();
    let store = shared_store();
    let (root, key_id) = kms.root_key();
    let ring = KeyRing::new(Arc::clone(&store), root);
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &orders).unwrap();
    let sealed = ring.encrypt(&acme, &orders, b"row", b"").unwrap();
    ring.rotate(&acme, &orders).unwrap();
    swap_wrapped(&*store, &orders, 0, 1);
    let cold = KeyRing::new(Arc::clone(&store), AwsKmsRootKey::new(kms.config(&key_id)));
    assert_eq!(
        backend_kind(cold.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Unwrap
    );
}

#[test]
fn another_kms_key_is_not_a_fallback() {
    let kms = LocalStack::shared();
    let store = shared_store();
    let (root, _) = kms.root_key();
    let ring = KeyRing::new(Arc::clone(&store), root);
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &orders).unwrap();
    let sealed = ring.encrypt(&acme, &orders, b"row", b"").unwrap();
    // A root key over another KMS key refuses what the first one wrapped.
    let other = KeyRing::new(
        Arc::clone(&store),
        AwsKmsRootKey::new(kms.config(&kms.create_key())),
    );
    assert_eq!(
        backend_kind(other.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Unwrap
    );
}

#[test]
fn disable_and_scheduled_deletion_fail_closed_and_re_enabling_restores_service() {
    let kms = LocalStack::shared();
    let store = shared_store();
    let (root, key_id) = kms.root_key();
    let warm = KeyRing::new(Arc::clone(&store), root);
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    warm.create_key(&acme, &orders).unwrap();
    let sealed = warm.encrypt(&acme, &orders, b"row", b"").unwrap();
    let cold = KeyRing::new(Arc::clone(&store), AwsKmsRootKey::new(kms.config(&key_id)));

    kms.admin("DisableKey", &json!({"KeyId": key_id}));
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
    kms.admin("EnableKey", &json!({"KeyId": key_id}));
    assert_eq!(
        cold.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );

    let cold = KeyRing::new(Arc::clone(&store), AwsKmsRootKey::new(kms.config(&key_id)));
    kms.admin(
        "ScheduleKeyDeletion",
        &json!({"KeyId": key_id, "PendingWindowInDays": 7}),
    );
    assert_eq!(
        backend_kind(cold.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Refused
    );
    kms.admin("CancelKeyDeletion", &json!({"KeyId": key_id}));
    kms.admin("EnableKey", &json!({"KeyId": key_id}));
    assert_eq!(
        cold.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );
}

#[test]
fn an_unreachable_endpoint_fails_closed() {
    let kms = LocalStack::start();
    let store = shared_store();
    let (root, key_id) = kms.root_key();
    let ring = KeyRing::new(Arc::clone(&store), root);
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &orders).unwrap();
    let sealed = ring.encrypt(&acme, &orders, b"row", b"").unwrap();
    let cold = KeyRing::new(Arc::clone(&store), AwsKmsRootKey::new(kms.config(&key_id)));
    drop(kms);
    assert_eq!(
        backend_kind(cold.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Unavailable
    );
}

#[test]
fn rotation_rewraps_many_keys_and_retires_the_old_key() {
    let kms = LocalStack::shared();
    let store = shared_store();
    let (root, old_key) = kms.root_key();
    let ring = KeyRing::new(Arc::clone(&store), root);
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

    // The new root key version is a new KMS key; the old one is accepted
    // as the source of `ReEncrypt` until every tenant is done.
    let new_key = kms.create_key();
    let rotating = KeyRing::new(
        Arc::clone(&store),
        AwsKmsRootKey::new(kms.config(&new_key).with_previous_key(&old_key)),
    );
    let mut rewrapped = 0;
    for tenant in tenants {
        rewrapped += rotating.rewrap_all(&scope(tenant)).unwrap();
    }
    assert_eq!(rewrapped, tenants.len() * 12);
    kms.admin("DisableKey", &json!({"KeyId": old_key}));

    let cold = KeyRing::new(Arc::clone(&store), AwsKmsRootKey::new(kms.config(&new_key)));
    for tenant in tenants {
        for i in 0..12 {
            let record = store
                .load(&name(tenant, &format!("k{i}")))
                .unwrap()
                .unwrap()
                .0;
            let wrapped = record.versions()[0].wrapped().unwrap().as_bytes();
            assert_eq!(
                &wrapped[2..2 + new_key.len()],
                new_key.as_bytes(),
                "{tenant}/k{i}"
            );
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
    // The old key is retired: what it wrapped is refused, by KMS (disabled)
    // through a root key that still accepts it, and by the new root key.
    let old_store = shared_store();
    old_store.save(&before, None).unwrap();
    let with_old = KeyRing::new(
        Arc::clone(&old_store),
        AwsKmsRootKey::new(kms.config(&new_key).with_previous_key(&old_key)),
    );
    assert_eq!(
        backend_kind(with_old.decrypt(&scope("acme"), &sealed[0].1, b"")),
        BackendErrorKind::Refused
    );
    let without = KeyRing::new(
        Arc::clone(&old_store),
        AwsKmsRootKey::new(kms.config(&new_key)),
    );
    assert_eq!(
        backend_kind(without.decrypt(&scope("acme"), &sealed[0].1, b"")),
        BackendErrorKind::Unwrap
    );
}

#[test]
fn no_secret_or_key_material_in_any_error_or_debug() {
    let kms = LocalStack::start();
    let canaries = CanaryKeys::new(1412);
    let mut all = canaries.all();
    all.push(secret_canary());
    let store = shared_store();
    let (root, key_id) = kms.root_key();
    let config = kms
        .config(&key_id)
        .with_session_token(crate::servers::localstack::secret_hex().into());
    let mut outputs = vec![format!("{root:?} {config:?}")];
    let ring = ring_with_canary_keys(Arc::clone(&store), root, &canaries);
    let (acme, orders) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &orders).unwrap();
    ring.rotate(&acme, &orders).unwrap();
    let sealed = ring.encrypt(&acme, &orders, b"row", b"").unwrap();
    outputs.push(format!("{ring:?} {ring:#?}"));
    outputs.push(format!("{:?}", store.load(&orders).unwrap()));
    let cold = || KeyRing::new(Arc::clone(&store), AwsKmsRootKey::new(kms.config(&key_id)));
    swap_wrapped(&*store, &orders, 0, 1);
    let tampered = cold().decrypt(&acme, &sealed, b"").unwrap_err();
    swap_wrapped(&*store, &orders, 0, 1);
    kms.admin("DisableKey", &json!({"KeyId": key_id}));
    let refused = cold().decrypt(&acme, &sealed, b"").unwrap_err();
    kms.admin("EnableKey", &json!({"KeyId": key_id}));
    let outage = cold();
    drop(kms);
    let unreachable = outage.decrypt(&acme, &sealed, b"").unwrap_err();
    for e in [&tampered, &refused, &unreachable] {
        outputs.push(format!("{e} {e:?} {e:#?}"));
    }
    for output in &outputs {
        assert_no_leak(&all, output);
    }
    let kinds: Vec<BackendErrorKind> = [tampered, refused, unreachable]
        .into_iter()
        .map(|e| backend_kind::<()>(Err(e)))
        .collect();
    assert_eq!(
        kinds,
        [
            BackendErrorKind::Unwrap,
            BackendErrorKind::Refused,
            BackendErrorKind::Unavailable
        ]
    );
}

/// With the root re-check on, `DisableKey` is honoured within the interval
/// by a ring that has the key cached; `EnableKey` brings service back.
#[test]
fn with_the_root_recheck_a_provider_disable_is_honoured_within_the_interval() {
    let kms = LocalStack::shared();
    let store = shared_store();
    let (root, key_id) = kms.root_key();
    let orders = name("acme", "orders");
    let (ring, sealed) = rechecked_ring(&store, root, &orders);

    kms.admin("DisableKey", &json!({"KeyId": key_id}));
    let seen = refusal_within_recheck(&ring, &sealed, std::time::Instant::now());
    println!(
        "aws kms: DisableKey honoured after {seen:?} (re-check every {:?})",
        crate::RECHECK
    );

    kms.admin("EnableKey", &json!({"KeyId": key_id}));
    assert_eq!(
        ring.decrypt(&scope("acme"), &sealed, b"")
            .unwrap()
            .as_bytes(),
        b"row"
    );
}
