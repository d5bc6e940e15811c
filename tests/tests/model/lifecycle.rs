//! The lifecycle transition table and the fail-closed policy, tested
//! exhaustively: every (state, primary, transition) and every
//! (state, primary, operation) against an expected table stated here, apart
//! from the library, from the design contract. The expected tables are
//! match rules: the allowed cells as explicit arms, every other cell refused
//! by a default arm; the number of allowed cells is pinned as well, so a
//! rule that allowed one cell too many fails the count too.

use key_model::{
    KeyMetadata, KeyOrigin, KeyRef, KeyState, Operation, StateKind, Timestamp, Transition,
    TransitionError, policy,
};

const AT: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);
const LATER: Timestamp = Timestamp::from_unix_seconds(1_900_000_000);

fn unrecognized() -> KeyState {
    serde_json::from_str(r#""quarantined""#).unwrap()
}

fn states() -> Vec<KeyState> {
    vec![
        KeyState::Enabled,
        KeyState::Disabled,
        KeyState::DestroyScheduled { at: AT },
        KeyState::Destroyed,
        unrecognized(),
    ]
}

const TRANSITIONS: [Transition; 6] = [
    Transition::Disable,
    Transition::Enable,
    Transition::ScheduleDestruction { at: LATER },
    Transition::Restore,
    Transition::Destroy,
    Transition::MakePrimary,
];

/// The contract's transition table: the state after `t`, or `None` where it
/// is refused (with `PrimaryCannotBeDisabled` checked separately).
fn expected_transition(state: &KeyState, primary: bool, t: Transition) -> Option<KeyState> {
    match (state.kind(), t) {
        (StateKind::Enabled, Transition::Disable) if !primary => Some(KeyState::Disabled),
        (StateKind::Enabled, Transition::MakePrimary)
        | (StateKind::Disabled, Transition::Enable) => Some(KeyState::Enabled),
        (StateKind::Disabled, Transition::ScheduleDestruction { at }) => {
            Some(KeyState::DestroyScheduled { at })
        }
        (StateKind::DestroyScheduled, Transition::Restore) => Some(KeyState::Disabled),
        (StateKind::DestroyScheduled, Transition::Destroy) => Some(KeyState::Destroyed),
        _ => None,
    }
}

#[test]
fn every_state_and_transition_pair_follows_the_table() {
    let mut allowed = 0;
    let mut refused = 0;
    for state in states() {
        for primary in [false, true] {
            for t in TRANSITIONS {
                let got = state.apply(t, primary);
                match expected_transition(&state, primary, t) {
                    Some(next) => {
                        assert_eq!(got, Ok(next), "{state:?} primary={primary} {t:?}");
                        allowed += 1;
                    }
                    None if state == KeyState::Enabled && t == Transition::Disable => {
                        assert!(primary);
                        assert_eq!(got, Err(TransitionError::PrimaryCannotBeDisabled));
                        refused += 1;
                    }
                    None => {
                        assert_eq!(
                            got,
                            Err(TransitionError::NotAllowed {
                                from: state.kind(),
                                transition: t
                            }),
                            "{state:?} primary={primary} {t:?}"
                        );
                        refused += 1;
                    }
                }
            }
        }
    }
    // 5 states x 2 primary flags x 6 transitions.
    assert_eq!(allowed + refused, 60);
    assert_eq!(allowed, 11);
}

#[test]
fn transition_errors_say_what_to_do() {
    let err = KeyState::Enabled
        .apply(Transition::ScheduleDestruction { at: AT }, false)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot schedule destruction of a key version that is enabled: disable it first"
    );
    let err = KeyState::Destroyed
        .apply(Transition::Restore, false)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot restore a key version that is destroyed: destroyed is terminal"
    );
    assert_eq!(
        TransitionError::PrimaryCannotBeDisabled.to_string(),
        "cannot disable the primary key version: make another version primary first"
    );
}

/// The contract's fail-closed table.
fn expected_allowed(state: &KeyState, primary: bool, op: Operation) -> bool {
    match state.kind() {
        StateKind::Enabled => op != Operation::Encrypt || primary,
        _ => false,
    }
}

#[test]
fn every_state_and_operation_pair_follows_the_fail_closed_table() {
    let mut allowed = 0;
    for state in states() {
        for primary in [false, true] {
            for &op in Operation::ALL {
                let got = policy::check(op, &state, primary);
                if expected_allowed(&state, primary, op) {
                    assert_eq!(got, Ok(()), "{state:?} primary={primary} {op:?}");
                    allowed += 1;
                } else {
                    let refusal = got.expect_err("must refuse");
                    assert_eq!(refusal.operation(), op);
                    assert_eq!(refusal.state(), state.kind());
                }
            }
        }
    }
    // Enabled primary: 4; enabled non-primary: everything but encrypt.
    assert_eq!(allowed, 7);
}

#[test]
fn refusals_explain_themselves() {
    let cases = [
        (
            KeyState::Enabled,
            false,
            Operation::Encrypt,
            "encrypt refused: key version is not the primary",
        ),
        (
            KeyState::Disabled,
            true,
            Operation::Encrypt,
            "encrypt refused: key version is disabled",
        ),
        (
            KeyState::DestroyScheduled { at: AT },
            false,
            Operation::ReEncrypt,
            "re-encrypt refused: key version is destroy_scheduled",
        ),
        (
            KeyState::Destroyed,
            false,
            Operation::LoadMaterial,
            "load material refused: key version is destroyed",
        ),
        (
            unrecognized(),
            true,
            Operation::Decrypt,
            "decrypt refused: key version is in a state this version of key-model does not recognise",
        ),
    ];
    for (state, primary, op, message) in cases {
        assert_eq!(
            policy::check(op, &state, primary).unwrap_err().to_string(),
            message
        );
    }
}

#[test]
fn states_serialize_with_external_tagging() {
    let cases = [
        (KeyState::Enabled, r#""enabled""#),
        (KeyState::Disabled, r#""disabled""#),
        (
            KeyState::DestroyScheduled { at: AT },
            r#"{"destroy_scheduled":{"at":1800000000}}"#,
        ),
        (KeyState::Destroyed, r#""destroyed""#),
    ];
    for (state, json) in cases {
        assert_eq!(serde_json::to_string(&state).unwrap(), json);
        assert_eq!(serde_json::from_str::<KeyState>(json).unwrap(), state);
    }
}

#[test]
fn unknown_states_load_and_fail_closed() {
    // A name, and a name with fields, as a newer version might write them.
    for json in [
        r#""quarantined""#,
        r#"{"quarantined":{"until":1900000000,"by":"hsm"}}"#,
    ] {
        let state: KeyState = serde_json::from_str(json).unwrap();
        let KeyState::Unrecognized(name) = &state else {
            panic!("{json} must load as Unrecognized, got {state:?}");
        };
        assert_eq!(name.name(), "quarantined");
        for &op in Operation::ALL {
            for primary in [false, true] {
                assert!(policy::check(op, &state, primary).is_err());
            }
        }
        for t in TRANSITIONS {
            assert!(state.apply(t, false).is_err());
        }
        // Written back under its own name: never turned into a known state.
        assert_eq!(serde_json::to_string(&state).unwrap(), r#""quarantined""#);
    }
}

#[test]
fn a_record_with_an_unknown_state_still_loads() {
    let json = r#"{
        "key_ref": "tenants/acme/keys/audit-export/versions/4",
        "state": {"customer_revoked": {"reason": "contract ended"}},
        "origin": "platform_managed",
        "created_at": 1764000000,
        "primary": true
    }"#;
    let meta: KeyMetadata = serde_json::from_str(json).unwrap();
    assert_eq!(meta.key_ref().version().get(), 4);
    assert_eq!(meta.state().kind(), StateKind::Unrecognized);
    for &op in Operation::ALL {
        assert!(meta.check(op).is_err(), "{op:?} must be refused");
    }
}

#[test]
fn malformed_known_states_are_errors_not_guesses() {
    for json in [
        r#""destroy_scheduled""#,
        r#"{"destroy_scheduled":{}}"#,
        r#"{"destroy_scheduled":{"at":"soon"}}"#,
        r#"{"enabled":null,"disabled":null}"#,
        "{}",
        "42",
    ] {
        assert!(
            serde_json::from_str::<KeyState>(json).is_err(),
            "{json} must not load"
        );
    }
}

#[test]
fn metadata_applies_transitions_with_its_primary_flag() {
    let key_ref: KeyRef = "tenants/acme/keys/audit-export/versions/1".parse().unwrap();
    let mut meta = KeyMetadata::new(
        key_ref,
        KeyState::Enabled,
        KeyOrigin::PlatformManaged,
        Timestamp::from_unix_seconds(1_764_000_000),
        true,
    );
    assert_eq!(
        meta.apply(Transition::Disable),
        Err(TransitionError::PrimaryCannotBeDisabled)
    );
    assert_eq!(
        meta.state(),
        &KeyState::Enabled,
        "unchanged after a refusal"
    );
    meta.set_primary(false).unwrap();
    meta.apply(Transition::Disable).unwrap();
    assert!(
        meta.set_primary(true).is_err(),
        "a disabled version cannot become primary"
    );
    assert!(!meta.is_primary());

    let json = serde_json::to_string(&meta).unwrap();
    assert_eq!(
        json,
        r#"{"key_ref":"tenants/acme/keys/audit-export/versions/1","state":"disabled","origin":"platform_managed","created_at":1764000000,"primary":false}"#
    );
    assert_eq!(serde_json::from_str::<KeyMetadata>(&json).unwrap(), meta);
}
