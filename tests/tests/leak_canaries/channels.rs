//! Leak canaries across output channels: key material with known bytes is
//! put where real keys would be, every channel is driven, and everything
//! that comes out is scanned for the canary in every encoding the detector
//! knows (`key_model::testing`).

use crate::support::{Outputs, capture_panic, capture_tracing};
use key_model::testing::Canary;
use key_model::{
    Error, KeyMaterial, KeyMetadata, KeyName, KeyOrigin, KeyPurpose, KeyRef, KeyState, KeyVersion,
    Operation, ParseError, StateKind, TenantId, TenantScope, Timestamp, Transition, policy,
};

fn key_ref() -> KeyRef {
    "tenants/acme/keys/ssh-session-recording/versions/3"
        .parse()
        .unwrap()
}

fn every_parse_error() -> Vec<ParseError> {
    [
        "",
        "tenants/Acme/keys/x/versions/1",
        "tenants/acme/keys/x/versions/01",
        "tenants/acme/keys/x/versions/0",
        "tenants/acme/keys/x/versions/99999999999",
        "tenants/acme/keys/x/versions/1/",
        "tenants//keys/x/versions/1",
        "tenants/acme/keys/x/versions/1/2",
        "tenants/acme/keys",
        "tenants/acmé/keys/x/versions/1",
        "tenants/-a/keys/x/versions/1",
        "Tenants/a/keys/x/versions/1",
    ]
    .iter()
    .map(|s| s.parse::<KeyRef>().unwrap_err())
    .collect()
}

fn every_state() -> Vec<KeyState> {
    vec![
        KeyState::Enabled,
        KeyState::Disabled,
        KeyState::DestroyScheduled {
            at: Timestamp::from_unix_seconds(1_800_000_000),
        },
        KeyState::Destroyed,
        serde_json::from_str(r#""quarantined""#).unwrap(),
    ]
}

/// `{:?}`, `{:#?}`, `Display` and JSON of every public type of key-model,
/// with canary material alive in the same process.
#[test]
fn every_public_type_in_every_format() {
    let canaries = [Canary::new(1), Canary::new(2)];
    let materials: Vec<KeyMaterial> = canaries.iter().map(Canary::key_material).collect();
    let mut out = Outputs::default();

    for (i, material) in materials.iter().enumerate() {
        out.debug(&format!("KeyMaterial #{i}"), material);
    }
    let r = key_ref();
    out.all("KeyRef", &r);
    out.all("KeyName", &r.name());
    out.all("TenantId", r.tenant());
    out.all("KeyPurpose", r.purpose());
    out.all("KeyVersion", &r.version());
    out.all("Timestamp", &Timestamp::from_unix_seconds(1_764_000_000));
    out.debug(
        "TenantScope",
        &TenantScope::authorized_by_host(r.tenant().clone()),
    );
    out.all("KeyOrigin", &KeyOrigin::PlatformManaged);
    for state in every_state() {
        out.debug("KeyState", &state);
        out.push("KeyState JSON", serde_json::to_vec(&state).unwrap());
        out.debug_display("StateKind", &state.kind());
        let meta = KeyMetadata::new(
            r.clone(),
            state.clone(),
            KeyOrigin::PlatformManaged,
            Timestamp::from_unix_seconds(1_764_000_000),
            false,
        );
        out.debug("KeyMetadata", &meta);
        out.push("KeyMetadata JSON", serde_json::to_vec(&meta).unwrap());
        for &op in Operation::ALL {
            out.debug_display("Operation", &op);
            if let Err(refusal) = policy::check(op, &state, false) {
                out.debug_display("Refusal", &refusal);
                out.debug_display("Error::Refused", &Error::from(refusal));
            }
        }
        for t in [
            Transition::Disable,
            Transition::Enable,
            Transition::Restore,
            Transition::Destroy,
            Transition::MakePrimary,
        ] {
            out.debug("Transition", &t);
            if let Err(e) = state.apply(t, true) {
                out.debug_display("TransitionError", &e);
                out.debug_display("Error::Transition", &Error::from(e));
            }
        }
    }
    for e in every_parse_error() {
        out.debug_display("ParseError", &e);
        out.debug("ParseErrorKind", &e.kind());
        out.debug_display("Error::Parse", &Error::from(e));
    }
    out.debug_display("Error::Random", &Error::Random);
    out.debug("StateKind::Unrecognized", &StateKind::Unrecognized);

    out.assert_clean_of(&canaries);
    drop(materials);
}

#[test]
fn tracing_output_with_debug_and_display_fields_and_spans() {
    let canary = Canary::new(3);
    let material = canary.key_material();
    let r = key_ref();
    let meta = KeyMetadata::new(
        r.clone(),
        KeyState::Disabled,
        KeyOrigin::PlatformManaged,
        Timestamp::from_unix_seconds(1_764_000_000),
        false,
    );
    let refusal = meta.check(Operation::Decrypt).unwrap_err();
    let ((), output) = capture_tracing(|| {
        let span = tracing::info_span!("rotate", key = %r, material = ?material);
        let _entered = span.enter();
        tracing::info!(key_ref = %r, name = %r.name(), "encrypting");
        tracing::warn!(?material, "loaded material");
        tracing::debug!(material = ?material, meta = ?meta, "state");
        tracing::error!(error = %refusal, debug = ?Error::from(refusal), "refused");
    });
    let text = String::from_utf8(output).unwrap();
    // The channel really carried the values: the test would see a leak.
    assert!(text.contains("tenants/acme/keys/ssh-session-recording/versions/3"));
    assert!(text.contains("KeyMaterial([REDACTED])"), "{text}");
    assert!(text.contains("decrypt refused: key version is disabled"));
    canary.assert_no_leak(&text);
}

/// The detector sees a leak through the same tracing channel, so the test
/// above could fail.
#[test]
fn tracing_capture_would_show_a_leak() {
    let canary = Canary::new(4);
    let ((), output) = capture_tracing(|| {
        tracing::info!(bytes = ?canary.bytes(), "oops");
    });
    assert!(canary.find_leak(&output).is_some());
}

#[test]
fn panic_messages_from_unwrapped_errors() {
    let canary = Canary::new(5);
    let material = canary.key_material();
    let mut panics = Outputs::default();
    let mut record = |label: &str, f: &dyn Fn()| {
        let message = capture_panic(f).unwrap_or_else(|| panic!("{label} did not panic"));
        panics.push(label, message);
    };
    record("unwrap ParseError", &|| {
        let _: KeyRef = "tenants/acme/keys/x/versions/0".parse().unwrap();
    });
    record("unwrap TenantId", &|| {
        let _: TenantId = "ACME".parse().unwrap();
    });
    record("unwrap KeyPurpose", &|| {
        let _: KeyPurpose = "".parse().unwrap();
    });
    record("unwrap KeyVersion", &|| {
        let _: KeyVersion = "01".parse().unwrap();
    });
    record("unwrap KeyName", &|| {
        let _: KeyName = "tenants/acme".parse().unwrap();
    });
    record("unwrap Refusal", &|| {
        policy::check(Operation::Encrypt, &KeyState::Destroyed, true).unwrap();
    });
    record("unwrap TransitionError", &|| {
        KeyState::Enabled.apply(Transition::Disable, true).unwrap();
    });
    record("expect with material in scope", &|| {
        let _keep = &material;
        std::hint::black_box(Err::<(), Error>(Error::Random)).expect("generate");
    });
    record("panic formatting material", &|| {
        panic!("bad key {material:?}");
    });
    panics.assert_clean_of(&[canary]);
}

/// The detector sees a leak through the panic channel, so the test above
/// could fail.
#[test]
fn panic_capture_would_show_a_leak() {
    let canary = Canary::new(6);
    let message = capture_panic(|| panic!("key was {:?}", canary.bytes())).expect("it panicked");
    assert!(canary.find_leak(message).is_some());
}
