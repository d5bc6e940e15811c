//! `AwsKmsRootKey` against a real LocalStack KMS (which, unlike moto,
//! refuses a disabled key).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use key_model::ring::AwsKmsRootKey;
use key_model::testing::{CanaryKeys, assert_no_leak, ring_with_canary_keys, root_key_conformance};
use key_model::{BackendErrorKind, KeyRing};
use serde_json::json;

use crate::servers::localstack::{LocalStack, secret_canary};
use crate::suite::{self, Provider, backend_kind};
use crate::{name, scope, shared_store, swap_wrapped};

/// The shared LocalStack, as the suite drives it. A KMS key has no
/// versions of its own: a root key "version" is a KMS key, so each label
/// maps to its current key and, after a rotation, the previous one.
struct Kms {
    kms: Arc<LocalStack>,
    keys: Mutex<HashMap<String, (String, Option<String>)>>,
}

impl Kms {
    fn current(&self, label: &str) -> String {
        self.keys.lock().unwrap()[label].0.clone()
    }

    fn previous(&self, label: &str) -> String {
        let keys = self.keys.lock().unwrap();
        keys[label].1.clone().expect("the key was rotated")
    }
}

impl Provider for Kms {
    type Root = AwsKmsRootKey;

    fn create(&self, label: &str) -> AwsKmsRootKey {
        let (root, key_id) = self.kms.root_key();
        let mut keys = self.keys.lock().unwrap();
        keys.insert(label.to_owned(), (key_id, None));
        root
    }

    fn reconnect(&self, label: &str) -> AwsKmsRootKey {
        AwsKmsRootKey::new(self.kms.config(&self.current(label)))
    }

    fn set_usable(&self, label: &str, usable: bool) {
        let action = if usable { "EnableKey" } else { "DisableKey" };
        self.kms
            .admin(action, &json!({"KeyId": self.current(label)}));
    }

    /// The new version is a new KMS key; the old one is accepted as the
    /// source of `ReEncrypt` until every tenant is done.
    fn rotate(&self, label: &str) -> AwsKmsRootKey {
        let new_key = self.kms.create_key();
        let old_key = self.current(label);
        let root = AwsKmsRootKey::new(self.kms.config(&new_key).with_previous_key(&old_key));
        let mut keys = self.keys.lock().unwrap();
        keys.insert(label.to_owned(), (new_key, Some(old_key)));
        root
    }

    fn retire(&self, label: &str) {
        self.kms
            .admin("DisableKey", &json!({"KeyId": self.previous(label)}));
    }

    /// The wrapped bytes name their KMS key after a two-byte header.
    fn wrapped_by_new_version(&self, label: &str, wrapped: &[u8]) -> bool {
        let new_key = self.current(label);
        wrapped.get(2..2 + new_key.len()) == Some(new_key.as_bytes())
    }

    /// A root key that still names the old KMS key: KMS refuses it
    /// (disabled).
    fn with_retired_version(&self, label: &str) -> AwsKmsRootKey {
        let config = self.kms.config(&self.current(label));
        AwsKmsRootKey::new(config.with_previous_key(self.previous(label)))
    }
}

fn kms() -> Kms {
    Kms {
        kms: LocalStack::shared(),
        keys: Mutex::default(),
    }
}

#[test]
fn passes_the_root_key_conformance_suite() {
    let kms = LocalStack::shared();
    root_key_conformance(&kms.root_key().0);
}

#[test]
fn round_trip_through_a_cold_ring() {
    suite::round_trip_through_a_cold_ring(&kms(), "round-trip");
}

#[test]
fn wrapped_bytes_are_bound_to_their_version() {
    suite::wrapped_bytes_are_bound_to_their_version(&kms(), "binding");
}

#[test]
fn disable_and_scheduled_deletion_fail_closed_and_re_enabling_restores_service() {
    let p = kms();
    let case = suite::refusal_fails_closed_and_acceptance_restores_service(&p, "disable");
    // A key scheduled for deletion is refused too, until the deletion is
    // cancelled and the key enabled again.
    let (acme, key_id) = (scope("acme"), p.current("disable"));
    let cold = KeyRing::new(Arc::clone(&case.store), p.reconnect("disable"));
    p.kms.admin(
        "ScheduleKeyDeletion",
        &json!({"KeyId": key_id, "PendingWindowInDays": 7}),
    );
    assert_eq!(
        backend_kind(cold.decrypt(&acme, &case.sealed, b"")),
        BackendErrorKind::Refused
    );
    p.kms.admin("CancelKeyDeletion", &json!({"KeyId": key_id}));
    p.kms.admin("EnableKey", &json!({"KeyId": key_id}));
    assert_eq!(
        cold.decrypt(&acme, &case.sealed, b"").unwrap().as_bytes(),
        b"row"
    );
}

#[test]
fn rotation_rewraps_many_keys_and_retires_the_old_key() {
    let p = kms();
    let retired = suite::rotation_rewraps_many_keys_and_retires_the_old_version(&p, "rotation");
    // And the new root key alone cannot unwrap what the old key wrapped.
    let without = KeyRing::new(Arc::clone(&retired.store), p.reconnect("rotation"));
    assert_eq!(
        backend_kind(without.decrypt(&scope("acme"), &retired.sealed, b"")),
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
    outputs.push(format!("{:?}", store.record(&orders).unwrap()));
    let cold = || KeyRing::new(Arc::clone(&store), AwsKmsRootKey::new(kms.config(&key_id)));
    swap_wrapped(&store, &orders, 0, 1);
    let tampered = cold().decrypt(&acme, &sealed, b"").unwrap_err();
    swap_wrapped(&store, &orders, 0, 1);
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

#[test]
fn with_the_root_recheck_a_provider_disable_is_honoured_within_the_interval() {
    let seen = suite::root_recheck_honours_a_refusal_within_the_interval(&kms(), "recheck");
    println!(
        "aws kms: DisableKey honoured after {seen:?} (re-check every {:?})",
        suite::RECHECK
    );
}
