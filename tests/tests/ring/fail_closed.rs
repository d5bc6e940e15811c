//! G6 through the key ring: every (state x operation) pair, for ciphertext
//! sealed while the version was enabled and whose version then moved to
//! each state. Every refusal is an error and returns no plaintext.
//!
//! The states reachable through the API are set through the API; the ones it
//! never writes (a disabled or unknown primary, a state from a newer
//! version of key-model) are written into the store through serde, as a
//! database row would hold them, and loaded by a fresh ring.

use crate::support::{Fixture, name, scope};
use key_model::{
    Envelope, Error, KeyName, KeyRef, KeyRing, KeyVersion, Operation, StateKind, TenantScope,
    Timestamp, TransitionError,
};
use serde_json::json;

const PLAINTEXT: &[u8] = b"recorded keystrokes";
const CONTEXT: &[u8] = b"session-42";

fn v(n: u32) -> KeyVersion {
    KeyVersion::new(n).expect("non-zero")
}

/// The states a version can be found in, and how to put version 1 of a key
/// (not the primary: version 2 is) into each.
#[derive(Debug, Clone, Copy)]
enum Target {
    Enabled,
    Disabled,
    DestroyScheduled,
    Destroyed,
    /// A state name this version does not know, in the plain form.
    UnrecognizedName,
    /// A state this version does not know, with fields.
    UnrecognizedMap,
}

const TARGETS: [Target; 6] = [
    Target::Enabled,
    Target::Disabled,
    Target::DestroyScheduled,
    Target::Destroyed,
    Target::UnrecognizedName,
    Target::UnrecognizedMap,
];

impl Target {
    fn kind(self) -> StateKind {
        match self {
            Target::Enabled => StateKind::Enabled,
            Target::Disabled => StateKind::Disabled,
            Target::DestroyScheduled => StateKind::DestroyScheduled,
            Target::Destroyed => StateKind::Destroyed,
            Target::UnrecognizedName | Target::UnrecognizedMap => StateKind::Unrecognized,
        }
    }

    /// Moves `key_ref` (not the primary) to this state; returns the ring to
    /// use afterwards.
    fn apply(self, fx: &Fixture, scope: &TenantScope, key_ref: &KeyRef) -> KeyRing {
        let at = Timestamp::from_unix_seconds(1_900_000_000);
        match self {
            Target::Enabled => return fx.reopen(),
            Target::Disabled => {
                fx.ring.disable(scope, key_ref).unwrap();
            }
            Target::DestroyScheduled => {
                fx.ring.disable(scope, key_ref).unwrap();
                fx.ring.schedule_destruction(scope, key_ref, at).unwrap();
            }
            Target::Destroyed => {
                fx.ring.disable(scope, key_ref).unwrap();
                fx.ring.schedule_destruction(scope, key_ref, at).unwrap();
                fx.ring.destroy(scope, key_ref).unwrap();
            }
            Target::UnrecognizedName => fx.set_state(key_ref, json!("quarantined")),
            Target::UnrecognizedMap => {
                fx.set_state(key_ref, json!({ "legal_hold": { "case": "2026-17" } }));
            }
        }
        fx.reopen()
    }
}

struct Setup {
    fx: Fixture,
    scope: TenantScope,
    key: KeyName,
    sealed_v1: Envelope,
}

/// A key whose version 1 sealed `PLAINTEXT`, then rotated: version 2 is the
/// primary and version 1 is free to change state.
fn setup() -> Setup {
    let fx = Fixture::new();
    let scope = scope("acme");
    let key = name("acme", "ssh-session-recording");
    fx.ring.create_key(&scope, &key).unwrap();
    let sealed_v1 = fx.ring.encrypt(&scope, &key, PLAINTEXT, CONTEXT).unwrap();
    fx.ring.rotate(&scope, &key).unwrap();
    Setup {
        fx,
        scope,
        key,
        sealed_v1,
    }
}

fn assert_refused(result: Result<impl std::fmt::Debug, Error>, op: Operation, state: StateKind) {
    match result {
        Err(Error::Refused(r)) => {
            assert_eq!(r.operation(), op);
            assert_eq!(r.state(), state);
        }
        other => panic!("{op} in state {state}: expected a refusal, got {other:?}"),
    }
}

/// Decrypt and re-encrypt of ciphertext whose version then moved to each
/// state, through the live ring (cache updated by the change) and through a
/// fresh ring loading the stored record.
#[test]
fn decrypt_and_reencrypt_in_every_state() {
    for target in TARGETS {
        let s = setup();
        let v1 = s.key.at_version(v(1));
        let reopened = target.apply(&s.fx, &s.scope, &v1);
        let rings: &[(&str, &KeyRing)] = match target {
            // States the API cannot write exist only in the store.
            Target::UnrecognizedName | Target::UnrecognizedMap | Target::Enabled => {
                &[("fresh", &reopened)]
            }
            _ => &[("live", &s.fx.ring), ("fresh", &reopened)],
        };
        for (which, ring) in rings {
            let decrypted = ring.decrypt(&s.scope, &s.sealed_v1, CONTEXT);
            let reencrypted = ring.reencrypt(&s.scope, &s.sealed_v1, CONTEXT);
            // Encrypting under version 1 itself: refused in every state,
            // `Enabled` included, since it is not the primary.
            assert_refused(
                ring.encrypt_under(&s.scope, &v1, PLAINTEXT, CONTEXT),
                Operation::Encrypt,
                target.kind(),
            );
            if let Target::Enabled = target {
                assert_eq!(decrypted.unwrap().as_bytes(), PLAINTEXT, "{which}");
                let moved = reencrypted.unwrap();
                assert_eq!(moved.key_ref(), &s.key.at_version(v(2)), "{which}");
                assert_eq!(
                    ring.decrypt(&s.scope, &moved, CONTEXT).unwrap().as_bytes(),
                    PLAINTEXT
                );
            } else {
                assert_refused(decrypted, Operation::Decrypt, target.kind());
                assert_refused(reencrypted, Operation::ReEncrypt, target.kind());
            }
        }
    }
}

/// Encrypt uses the primary; the API keeps the primary `Enabled`, so the
/// other states are written into the store for the primary (as a corrupt or
/// newer record would hold them) and must refuse.
#[test]
fn encrypt_with_the_primary_in_every_state() {
    for target in TARGETS {
        let s = setup();
        let v2 = s.key.at_version(v(2));
        let state = match target {
            Target::Enabled => json!("enabled"),
            Target::Disabled => json!("disabled"),
            Target::DestroyScheduled => json!({ "destroy_scheduled": { "at": 1_900_000_000 } }),
            Target::Destroyed => json!("destroyed"),
            Target::UnrecognizedName => json!("quarantined"),
            Target::UnrecognizedMap => json!({ "legal_hold": { "case": "2026-17" } }),
        };
        s.fx.set_state(&v2, state);
        let ring = s.fx.reopen();
        let sealed = ring.encrypt(&s.scope, &s.key, PLAINTEXT, CONTEXT);
        let sealed_under = ring.encrypt_under(&s.scope, &v2, PLAINTEXT, CONTEXT);
        // Re-encryption needs the primary too: refused whatever the source.
        let reencrypted = ring.reencrypt(&s.scope, &s.sealed_v1, CONTEXT);
        if let Target::Enabled = target {
            assert_eq!(sealed.unwrap().key_ref(), &v2);
            assert_eq!(sealed_under.unwrap().key_ref(), &v2);
            assert_eq!(reencrypted.unwrap().key_ref(), &v2);
        } else {
            assert_refused(sealed, Operation::Encrypt, target.kind());
            assert_refused(sealed_under, Operation::Encrypt, target.kind());
            assert_refused(reencrypted, Operation::Encrypt, target.kind());
        }
        // The old version still decrypts: one bad version refuses alone.
        assert_eq!(
            ring.decrypt(&s.scope, &s.sealed_v1, CONTEXT)
                .unwrap()
                .as_bytes(),
            PLAINTEXT
        );
    }
}

/// `LoadMaterial`: a fresh ring unwraps the material of enabled versions
/// only; a version in any other state is never unwrapped into memory.
#[test]
fn material_is_loaded_only_for_enabled_versions() {
    for target in TARGETS {
        let s = setup();
        let v1 = s.key.at_version(v(1));
        let ring = target.apply(&s.fx, &s.scope, &v1);
        s.fx.root.take_unwrapped();
        ring.list(&s.scope).unwrap();
        let loaded = s.fx.root.take_unwrapped();
        let expected: Vec<KeyRef> = match target {
            Target::Enabled => vec![v1.clone(), s.key.at_version(v(2))],
            _ => vec![s.key.at_version(v(2))],
        };
        assert_eq!(loaded, expected, "{target:?}");
    }
}

/// A state this version does not recognise refuses every transition too,
/// and is written back unchanged.
#[test]
fn an_unrecognized_state_refuses_every_transition() {
    let s = setup();
    let v1 = s.key.at_version(v(1));
    let ring = Target::UnrecognizedName.apply(&s.fx, &s.scope, &v1);
    let at = Timestamp::from_unix_seconds(1);
    let results = [
        ring.enable(&s.scope, &v1),
        ring.disable(&s.scope, &v1),
        ring.schedule_destruction(&s.scope, &v1, at),
        ring.restore(&s.scope, &v1),
        ring.destroy(&s.scope, &v1),
        ring.set_primary(&s.scope, &v1),
    ];
    for result in results {
        assert!(
            matches!(
                result,
                Err(Error::Transition(TransitionError::NotAllowed {
                    from: StateKind::Unrecognized,
                    ..
                }))
            ),
            "{result:?}"
        );
    }
    // A change to another version rewrites the record; the unknown state
    // survives it by name.
    ring.rotate(&s.scope, &s.key).unwrap();
    let listed = s.fx.reopen().versions(&s.scope, &s.key).unwrap();
    assert_eq!(
        serde_json::to_value(listed[0].state()).unwrap(),
        json!("quarantined")
    );
}
