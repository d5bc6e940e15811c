//! The key ring's lifecycle operations, and G5 (no existence oracle) for
//! every one of them.

use crate::support::{Fixture, name, scope};
use key_model::ring::{KeyStore, MemoryKeyStore, Revision, StoreCall};
use key_model::{
    Error, KeyRing, KeyState, KeyVersion, Operation, StateKind, Timestamp, TransitionError,
};

fn v(n: u32) -> KeyVersion {
    KeyVersion::new(n).expect("non-zero")
}

#[test]
fn create_gives_version_one_enabled_primary_and_only_once() {
    let ring = KeyRing::in_memory().unwrap();
    let acme = scope("acme");
    let key = name("acme", "ssh-session-recording");
    let meta = ring.create_key(&acme, &key).unwrap();
    assert_eq!(meta.key_ref(), &key.at_version(KeyVersion::FIRST));
    assert_eq!(meta.state(), &KeyState::Enabled);
    assert!(meta.is_primary());
    assert_eq!(ring.create_key(&acme, &key), Err(Error::KeyExists));
}

#[test]
fn rotate_moves_the_primary_and_older_versions_still_decrypt() {
    let ring = KeyRing::in_memory().unwrap();
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    ring.create_key(&acme, &key).unwrap();
    let old = ring.encrypt(&acme, &key, b"old rows", b"ctx").unwrap();

    let v2 = ring.rotate(&acme, &key).unwrap();
    assert_eq!(v2.key_ref().version(), v(2));
    assert!(v2.is_primary());
    let new = ring.encrypt(&acme, &key, b"new rows", b"ctx").unwrap();
    assert_eq!(new.key_ref().version(), v(2));
    assert_eq!(
        ring.decrypt(&acme, &old, b"ctx").unwrap().as_bytes(),
        b"old rows"
    );
    assert_eq!(
        ring.decrypt(&acme, &new, b"ctx").unwrap().as_bytes(),
        b"new rows"
    );

    let versions = ring.versions(&acme, &key).unwrap();
    let summary: Vec<_> = versions
        .iter()
        .map(|m| {
            (
                m.key_ref().version().get(),
                m.state().kind(),
                m.is_primary(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, StateKind::Enabled, false),
            (2, StateKind::Enabled, true)
        ]
    );
}

#[test]
fn set_primary_requires_enabled_and_moves_encryption() {
    let ring = KeyRing::in_memory().unwrap();
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    ring.create_key(&acme, &key).unwrap();
    ring.rotate(&acme, &key).unwrap();
    let v1 = key.at_version(v(1));

    ring.set_primary(&acme, &v1).unwrap();
    let e = ring.encrypt(&acme, &key, b"x", b"").unwrap();
    assert_eq!(e.key_ref(), &v1);

    let v2 = key.at_version(v(2));
    ring.disable(&acme, &v2).unwrap();
    assert_eq!(
        ring.set_primary(&acme, &v2),
        Err(Error::Transition(TransitionError::NotAllowed {
            from: StateKind::Disabled,
            transition: key_model::Transition::MakePrimary,
        }))
    );
    // The failed change left everything as it was.
    assert_eq!(ring.encrypt(&acme, &key, b"x", b"").unwrap().key_ref(), &v1);
}

#[test]
fn the_primary_cannot_be_disabled() {
    let ring = KeyRing::in_memory().unwrap();
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    ring.create_key(&acme, &key).unwrap();
    assert_eq!(
        ring.disable(&acme, &key.at_version(v(1))),
        Err(Error::Transition(TransitionError::PrimaryCannotBeDisabled))
    );
}

#[test]
fn full_lifecycle_down_to_destroyed_keeps_the_version_number() {
    let fx = Fixture::new();
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    fx.ring.create_key(&acme, &key).unwrap();
    let v1 = key.at_version(v(1));
    let sealed = fx.ring.encrypt(&acme, &key, b"rows", b"").unwrap();
    fx.ring.rotate(&acme, &key).unwrap();

    let at = Timestamp::from_unix_seconds(1_900_000_000);
    assert_eq!(
        fx.ring.disable(&acme, &v1).unwrap().state(),
        &KeyState::Disabled
    );
    assert_eq!(
        fx.ring.enable(&acme, &v1).unwrap().state(),
        &KeyState::Enabled
    );
    assert_eq!(
        fx.ring.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"rows"
    );
    fx.ring.disable(&acme, &v1).unwrap();
    assert_eq!(
        fx.ring
            .schedule_destruction(&acme, &v1, at)
            .unwrap()
            .state(),
        &KeyState::DestroyScheduled { at }
    );
    assert_eq!(
        fx.ring.restore(&acme, &v1).unwrap().state(),
        &KeyState::Disabled
    );
    fx.ring.schedule_destruction(&acme, &v1, at).unwrap();
    assert_eq!(
        fx.ring.destroy(&acme, &v1).unwrap().state(),
        &KeyState::Destroyed
    );

    // Terminal: nothing brings it back, and its wrapped material is gone
    // from the store.
    assert!(matches!(
        fx.ring.restore(&acme, &v1),
        Err(Error::Transition(_))
    ));
    assert!(matches!(
        fx.ring.enable(&acme, &v1),
        Err(Error::Transition(_))
    ));
    let (stored, _) = fx.store.record(&key).unwrap().unwrap();
    assert!(stored.versions()[0].wrapped().is_none());
    assert!(stored.versions()[1].wrapped().is_some());
    let refused = fx.ring.decrypt(&acme, &sealed, b"").unwrap_err();
    assert!(
        matches!(refused, Error::Refused(r) if r.state() == StateKind::Destroyed && r.operation() == Operation::Decrypt)
    );

    // The number is never reused.
    assert_eq!(
        fx.ring.rotate(&acme, &key).unwrap().key_ref().version(),
        v(3)
    );
    // A fresh ring over the same store sees the same.
    let reopened = fx.reopen();
    let states: Vec<_> = reopened
        .versions(&acme, &key)
        .unwrap()
        .iter()
        .map(|m| m.state().kind())
        .collect();
    assert_eq!(
        states,
        vec![StateKind::Destroyed, StateKind::Enabled, StateKind::Enabled]
    );
}

#[test]
fn every_disallowed_transition_is_refused_and_changes_nothing() {
    let ring = KeyRing::in_memory().unwrap();
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    ring.create_key(&acme, &key).unwrap();
    ring.rotate(&acme, &key).unwrap();
    let v1 = key.at_version(v(1));
    let at = Timestamp::from_unix_seconds(1);
    // Enabled: enable, restore, destroy, schedule are refused.
    assert!(ring.enable(&acme, &v1).is_err());
    assert!(ring.restore(&acme, &v1).is_err());
    assert!(ring.destroy(&acme, &v1).is_err());
    assert!(ring.schedule_destruction(&acme, &v1, at).is_err());
    // Disabled: disable, restore, destroy are refused.
    ring.disable(&acme, &v1).unwrap();
    assert!(ring.disable(&acme, &v1).is_err());
    assert!(ring.restore(&acme, &v1).is_err());
    assert!(ring.destroy(&acme, &v1).is_err());
    // DestroyScheduled: disable, enable, schedule are refused.
    ring.schedule_destruction(&acme, &v1, at).unwrap();
    assert!(ring.disable(&acme, &v1).is_err());
    assert!(ring.enable(&acme, &v1).is_err());
    assert!(ring.schedule_destruction(&acme, &v1, at).is_err());
    assert_eq!(
        ring.versions(&acme, &key).unwrap()[0].state(),
        &KeyState::DestroyScheduled { at }
    );
}

#[test]
fn list_shows_only_the_scopes_tenant() {
    let ring = KeyRing::in_memory().unwrap();
    let (acme, globex) = (scope("acme"), scope("globex"));
    ring.create_key(&acme, &name("acme", "audit-export"))
        .unwrap();
    ring.create_key(&acme, &name("acme", "ssh-session-recording"))
        .unwrap();
    ring.rotate(&acme, &name("acme", "audit-export")).unwrap();
    ring.create_key(&globex, &name("globex", "audit-export"))
        .unwrap();

    let listed: Vec<String> = ring
        .list(&acme)
        .unwrap()
        .iter()
        .map(|m| m.key_ref().to_string())
        .collect();
    assert_eq!(
        listed,
        vec![
            "tenants/acme/keys/audit-export/versions/1",
            "tenants/acme/keys/audit-export/versions/2",
            "tenants/acme/keys/ssh-session-recording/versions/1",
        ]
    );
    assert_eq!(ring.list(&scope("initech")).unwrap(), vec![]);
}

#[test]
fn rotation_stops_when_version_numbers_run_out() {
    let fx = Fixture::new();
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    fx.ring.create_key(&acme, &key).unwrap();
    // Renumber the only version to u32::MAX in storage and mark it destroyed
    // (a destroyed version has no material to rebind): a record the API
    // never writes, which must still load, and refuse.
    fx.edit_version(&key.at_version(v(1)), |version| {
        version["metadata"]["key_ref"] = serde_json::json!(key.at_version(v(u32::MAX)).to_string());
        version["metadata"]["state"] = serde_json::json!("destroyed");
        version["wrapped"] = serde_json::Value::Null;
    });
    let ring = fx.reopen();
    assert_eq!(ring.rotate(&acme, &key), Err(Error::VersionsExhausted));
    assert!(matches!(
        ring.encrypt(&acme, &key, b"x", b""),
        Err(Error::Refused(r)) if r.state() == StateKind::Destroyed
    ));
}

type Probe<'a> = Box<dyn Fn(&key_model::TenantScope, &key_model::KeyName) -> Error + 'a>;

/// G5: for every operation, a scope for another tenant gets exactly what a
/// missing key gets: the same variant and the same message.
#[test]
fn another_tenants_key_is_indistinguishable_from_a_missing_one() {
    let ring = KeyRing::in_memory().unwrap();
    let (acme, globex) = (scope("acme"), scope("globex"));
    let existing = name("acme", "audit-export");
    let missing = name("acme", "no-such-key");
    ring.create_key(&acme, &existing).unwrap();
    ring.rotate(&acme, &existing).unwrap();
    let envelope = ring.encrypt(&acme, &existing, b"rows", b"").unwrap();
    let at = Timestamp::from_unix_seconds(1);

    let probes: Vec<(&str, Probe<'_>)> = vec![
        (
            "encrypt",
            Box::new(|s, n| ring.encrypt(s, n, b"x", b"").unwrap_err()),
        ),
        (
            "encrypt_under",
            Box::new(|s, n| {
                ring.encrypt_under(s, &n.at_version(v(2)), b"x", b"")
                    .unwrap_err()
            }),
        ),
        (
            "versions",
            Box::new(|s, n| ring.versions(s, n).unwrap_err()),
        ),
        ("rotate", Box::new(|s, n| ring.rotate(s, n).unwrap_err())),
        (
            "set_primary",
            Box::new(|s, n| ring.set_primary(s, &n.at_version(v(1))).unwrap_err()),
        ),
        (
            "disable",
            Box::new(|s, n| ring.disable(s, &n.at_version(v(1))).unwrap_err()),
        ),
        (
            "enable",
            Box::new(|s, n| ring.enable(s, &n.at_version(v(1))).unwrap_err()),
        ),
        (
            "schedule_destruction",
            Box::new(|s, n| {
                ring.schedule_destruction(s, &n.at_version(v(1)), at)
                    .unwrap_err()
            }),
        ),
        (
            "restore",
            Box::new(|s, n| ring.restore(s, &n.at_version(v(1))).unwrap_err()),
        ),
        (
            "destroy",
            Box::new(|s, n| ring.destroy(s, &n.at_version(v(1))).unwrap_err()),
        ),
    ];
    for (what, probe) in &probes {
        let foreign = probe(&globex, &existing);
        let absent = probe(&acme, &missing);
        assert_eq!(foreign, Error::KeyNotFound, "{what}");
        assert_eq!(foreign, absent, "{what}");
        assert_eq!(foreign.to_string(), absent.to_string(), "{what}");
        assert_eq!(format!("{foreign:?}"), format!("{absent:?}"), "{what}");
    }

    // Decrypt and re-encrypt: a foreign scope, a missing version, and a
    // missing key all give the same error.
    let missing_version = {
        let mut bytes = envelope.as_bytes().to_vec();
        // Version field: after format, algorithm, "acme" and "audit-export".
        let at = 2 + 1 + 4 + 1 + 12;
        bytes[at..at + 4].copy_from_slice(&7u32.to_be_bytes());
        key_model::Envelope::from_bytes(&bytes).unwrap()
    };
    let cases = [
        ring.decrypt(&globex, &envelope, b"").unwrap_err(),
        ring.decrypt(&acme, &missing_version, b"").unwrap_err(),
        ring.reencrypt(&globex, &envelope, b"").unwrap_err(),
        ring.reencrypt(&acme, &missing_version, b"").unwrap_err(),
    ];
    for e in &cases {
        assert_eq!(e, &Error::KeyNotFound);
        assert_eq!(e.to_string(), "key not found in this tenant scope");
    }
    // And a tenant that has no keys at all: the same.
    assert_eq!(
        ring.encrypt(
            &scope("initech"),
            &name("initech", "audit-export"),
            b"",
            b""
        ),
        Err(Error::KeyNotFound)
    );
    // Creating a key in another tenant's name is refused the same way.
    assert_eq!(
        ring.create_key(&globex, &name("acme", "new-key")),
        Err(Error::KeyNotFound)
    );
}

#[test]
fn a_corrupt_stored_record_is_an_error_not_a_panic() {
    let fx = Fixture::new();
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    fx.ring.create_key(&acme, &key).unwrap();
    fx.edit_version(&key.at_version(v(1)), |version| {
        version["metadata"]["primary"] = serde_json::json!(false);
    });
    let err = fx.reopen().encrypt(&acme, &key, b"x", b"").unwrap_err();
    assert!(matches!(err, Error::Backend(_)), "{err:?}");

    // Wrapped material swapped for garbage: the root key refuses it.
    fx.edit_version(&key.at_version(v(1)), |version| {
        version["metadata"]["primary"] = serde_json::json!(true);
        version["wrapped"] = serde_json::json!("AAAA");
    });
    let err = fx.reopen().encrypt(&acme, &key, b"x", b"").unwrap_err();
    assert!(
        matches!(err, Error::Backend(e) if e.kind() == key_model::BackendErrorKind::Unwrap),
        "{err:?}"
    );
}

#[test]
fn wrapped_material_is_bound_to_its_version() {
    // Copying version 1's wrapped material onto version 2 must not load.
    let fx = Fixture::new();
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    fx.ring.create_key(&acme, &key).unwrap();
    fx.ring.rotate(&acme, &key).unwrap();
    let (record, _) = fx.store.record(&key).unwrap().unwrap();
    let v1_wrapped = serde_json::to_value(record.versions()[0].wrapped()).unwrap();
    fx.edit_version(&key.at_version(v(2)), |version| {
        version["wrapped"] = v1_wrapped;
    });
    assert!(matches!(
        fx.reopen().encrypt(&acme, &key, b"x", b""),
        Err(Error::Backend(_))
    ));
}

#[test]
fn the_ring_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<KeyRing>();
    assert_send_sync::<MemoryKeyStore>();
}

/// A store that panics on `save` while `fail` is set: a plug point is
/// caller code, and may panic while the ring holds its change lock.
struct PanickingStore {
    inner: MemoryKeyStore,
    fail: std::sync::atomic::AtomicBool,
}

impl KeyStore for PanickingStore {
    fn load(
        &self,
        call: &StoreCall,
        name: &key_model::KeyName,
    ) -> Result<Option<(key_model::ring::StoredKey, Revision)>, key_model::BackendError> {
        self.inner.load(call, name)
    }

    fn list(
        &self,
        call: &StoreCall,
        tenant: &key_model::TenantId,
    ) -> Result<Vec<key_model::KeyName>, key_model::BackendError> {
        self.inner.list(call, tenant)
    }

    fn save(
        &self,
        call: &StoreCall,
        key: &key_model::ring::StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, key_model::BackendError> {
        assert!(
            !self.fail.load(std::sync::atomic::Ordering::SeqCst),
            "store crashed"
        );
        self.inner.save(call, key, expected)
    }
}

/// Poisoned locks: a plug point that panics mid-change poisons the ring's
/// change lock. The change had not been published, so the ring recovers
/// the lock, keeps the state from before the change, and goes on working
/// without panicking.
#[test]
fn a_panic_in_a_plug_point_leaves_the_ring_usable_and_unchanged() {
    let store = std::sync::Arc::new(PanickingStore {
        inner: MemoryKeyStore::new(),
        fail: std::sync::atomic::AtomicBool::new(false),
    });
    let ring = KeyRing::new(
        std::sync::Arc::clone(&store),
        key_model::ring::MemoryRootKey::generate().unwrap(),
    );
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    ring.create_key(&acme, &key).unwrap();
    let sealed = ring.encrypt(&acme, &key, b"rows", b"").unwrap();

    store.fail.store(true, std::sync::atomic::Ordering::SeqCst);
    let crashed =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ring.rotate(&acme, &key)));
    assert!(
        crashed.is_err(),
        "the store's panic propagates to its caller"
    );
    store.fail.store(false, std::sync::atomic::Ordering::SeqCst);

    // Nothing of the failed rotation is visible, and everything works.
    assert_eq!(ring.versions(&acme, &key).unwrap().len(), 1);
    assert_eq!(
        ring.encrypt(&acme, &key, b"x", b"")
            .unwrap()
            .key_ref()
            .version(),
        v(1)
    );
    assert_eq!(
        ring.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"rows"
    );
    assert_eq!(ring.rotate(&acme, &key).unwrap().key_ref().version(), v(2));
}
