//! `Pkcs11RootKey` against a real SoftHSM2 token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use key_model::ring::{Pkcs11Config, Pkcs11RootKey};
use key_model::testing::{CanaryKeys, assert_no_leak, ring_with_canary_keys, root_key_conformance};
use key_model::{BackendErrorKind, KeyRing};

use crate::servers::softhsm::{MODULE, Token, pin_canary};
use crate::suite::{self, Provider, backend_kind};
use crate::{name, scope, shared_store, swap_wrapped};

/// The shared token, as the suite drives it: one token key per label, and
/// the handle that created it (the administrator's: it adds, disables and
/// destroys versions).
struct Pkcs11 {
    token: &'static Token,
    admins: Mutex<HashMap<String, Arc<Pkcs11RootKey>>>,
}

impl Pkcs11 {
    fn admin(&self, label: &str) -> Arc<Pkcs11RootKey> {
        Arc::clone(&self.admins.lock().unwrap()[label])
    }
}

impl Provider for Pkcs11 {
    type Root = Arc<Pkcs11RootKey>;

    fn create(&self, label: &str) -> Arc<Pkcs11RootKey> {
        let root = Arc::new(self.token.root_key(label));
        let mut admins = self.admins.lock().unwrap();
        admins.insert(label.to_owned(), Arc::clone(&root));
        root
    }

    fn reconnect(&self, label: &str) -> Arc<Pkcs11RootKey> {
        Arc::new(Pkcs11RootKey::open(self.token.config(label)).unwrap())
    }

    fn set_usable(&self, label: &str, usable: bool) {
        self.admin(label).set_usable(1, usable).unwrap();
    }

    /// A second version of the token key, made by the handle that wraps.
    fn rotate(&self, label: &str) -> Arc<Pkcs11RootKey> {
        let admin = self.admin(label);
        assert_eq!(admin.add_version().unwrap(), 2);
        admin
    }

    fn retire(&self, label: &str) {
        self.admin(label).destroy_version(1).unwrap();
    }

    /// The wrapped bytes name their token key version after the format
    /// byte.
    fn wrapped_by_new_version(&self, _: &str, wrapped: &[u8]) -> bool {
        wrapped.get(1..5) == Some(&2u32.to_be_bytes()[..])
    }

    fn with_retired_version(&self, label: &str) -> Arc<Pkcs11RootKey> {
        self.reconnect(label)
    }
}

fn pkcs11() -> Pkcs11 {
    Pkcs11 {
        token: Token::shared(),
        admins: Mutex::default(),
    }
}

#[test]
fn passes_the_root_key_conformance_suite() {
    let token = Token::shared();
    root_key_conformance(&token.root_key("conformance"));
}

#[test]
fn round_trip_through_a_cold_ring() {
    suite::round_trip_through_a_cold_ring(&pkcs11(), "suite_round_trip");
}

#[test]
fn wrapped_bytes_are_bound_to_their_version() {
    suite::wrapped_bytes_are_bound_to_their_version(&pkcs11(), "suite_binding");
}

#[test]
fn disabling_the_key_fails_closed_and_re_enabling_restores_service() {
    suite::refusal_fails_closed_and_acceptance_restores_service(&pkcs11(), "suite_disable");
}

#[test]
fn rotation_rewraps_many_keys_and_retires_the_old_version() {
    suite::rotation_rewraps_many_keys_and_retires_the_old_version(&pkcs11(), "suite_rotation");
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
    outputs.push(format!("{:?}", store.record(&orders).unwrap()));
    let cold = || {
        KeyRing::new(
            Arc::clone(&store),
            Pkcs11RootKey::open(token.config("no_pin_or_key_material_in_any_error_or_d")).unwrap(),
        )
    };
    swap_wrapped(&store, &orders, 0, 1);
    let tampered = cold().decrypt(&acme, &sealed, b"").unwrap_err();
    swap_wrapped(&store, &orders, 0, 1);
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

#[test]
fn with_the_root_recheck_a_provider_disable_is_honoured_within_the_interval() {
    let seen = suite::root_recheck_honours_a_refusal_within_the_interval(&pkcs11(), "recheck");
    println!(
        "pkcs11: key made unusable honoured after {seen:?} (re-check every {:?})",
        suite::RECHECK
    );
}

/// Key generation on the token while another session decrypts on it (a
/// root re-check, here one per operation): SoftHSM2 answered
/// `CKR_GENERAL_ERROR` to one or the other when they overlapped.
#[test]
fn generation_and_decryption_overlapping_on_one_token_both_succeed() {
    let token = Token::shared();
    let ring = KeyRing::new(shared_store(), token.root_key("overlap-reader"))
        .with_root_recheck(std::time::Duration::ZERO);
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &key).unwrap();
    let writer = token.root_key("overlap-writer");
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let mut reads = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                ring.encrypt(&acme, &key, b"row", b"").unwrap();
                reads += 1;
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            reads
        });
        // Every generation is attempted, and the reader stopped, before
        // anything is asserted: a panic here would leave it running.
        let generated: Vec<_> = (0..10).map(|_| writer.add_version()).collect();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let reads = reader.join();
        let failed: Vec<_> = generated.iter().filter_map(|g| g.as_ref().err()).collect();
        assert!(
            failed.is_empty(),
            "generation failed beside a reader: {failed:?}"
        );
        assert!(reads.expect("the reader's decryptions all succeeded") > 0);
    });
}
