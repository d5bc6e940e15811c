//! G8, and G1 as seen from outside: every public type and error of
//! key-model prints and serializes exactly the text below, which holds
//! references, states and positions, never key material.
//!
//! Key material cannot be read from outside the crate (that is G1), so the
//! tests pin the exact output of each type: an output that ever included
//! material would no longer be equal to these constants. (The canary scans
//! of `leak_canaries/channels.rs` search the same outputs for known key bytes.) `KeyMaterial` itself is checked to print the
//! same constant for many random keys. Parse errors, whose input is the one
//! thing a caller could have filled with a secret by mistake, are checked
//! never to echo it.

use core::fmt;

use key_model::sink::{AuditWriter, CsvWriter, EventEnvelope, JsonLinesWriter, write_api_json};
use key_model::{
    Error, KeyMaterial, KeyMetadata, KeyName, KeyOrigin, KeyPurpose, KeyRef, KeyState, KeyVersion,
    Operation, ParseError, ParseErrorKind, StateKind, TenantId, TenantScope, Timestamp, Transition,
    TransitionError, UnrecognizedState, policy,
};
use proptest::prelude::*;

/// `{:?}` and `{:#?}` of `value`.
fn debug(value: &impl fmt::Debug) -> (String, String) {
    (format!("{value:?}"), format!("{value:#?}"))
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap()
}

fn key_ref() -> KeyRef {
    "tenants/acme/keys/audit-export/versions/3".parse().unwrap()
}

const AT: Timestamp = Timestamp::from_unix_seconds(1_764_000_000);

#[test]
fn key_material_prints_one_constant_whatever_the_bytes() {
    for _ in 0..64 {
        let key = KeyMaterial::generate().unwrap();
        assert_eq!(
            debug(&key),
            (
                "KeyMaterial([REDACTED])".to_owned(),
                "KeyMaterial([REDACTED])".to_owned()
            )
        );
    }
}

#[test]
fn identifiers() {
    let tenant: TenantId = "acme".parse().unwrap();
    assert_eq!(
        debug(&tenant),
        (
            r#"TenantId("acme")"#.to_owned(),
            "TenantId(\n    \"acme\",\n)".to_owned()
        )
    );
    assert_eq!(tenant.to_string(), "acme");
    assert_eq!(json(&tenant), r#""acme""#);

    let purpose: KeyPurpose = "audit-export".parse().unwrap();
    assert_eq!(
        debug(&purpose),
        (
            r#"KeyPurpose("audit-export")"#.to_owned(),
            "KeyPurpose(\n    \"audit-export\",\n)".to_owned()
        )
    );
    assert_eq!(purpose.to_string(), "audit-export");
    assert_eq!(json(&purpose), r#""audit-export""#);

    let version = KeyVersion::new(3).unwrap();
    assert_eq!(
        debug(&version),
        (
            "KeyVersion(3)".to_owned(),
            "KeyVersion(\n    3,\n)".to_owned()
        )
    );
    assert_eq!(version.to_string(), "3");
    assert_eq!(json(&version), "3");

    let name = KeyName::new(tenant, purpose);
    let text = r#"KeyName("tenants/acme/keys/audit-export")"#.to_owned();
    assert_eq!(debug(&name), (text.clone(), text));
    assert_eq!(name.to_string(), "tenants/acme/keys/audit-export");
    assert_eq!(json(&name), r#""tenants/acme/keys/audit-export""#);

    let key_ref = name.at_version(version);
    let text = r#"KeyRef("tenants/acme/keys/audit-export/versions/3")"#.to_owned();
    assert_eq!(debug(&key_ref), (text.clone(), text));
    assert_eq!(
        key_ref.to_string(),
        "tenants/acme/keys/audit-export/versions/3"
    );
    assert_eq!(
        json(&key_ref),
        r#""tenants/acme/keys/audit-export/versions/3""#
    );
}

#[test]
fn time_and_scope() {
    assert_eq!(
        debug(&AT),
        (
            "Timestamp(1764000000)".to_owned(),
            "Timestamp(\n    1764000000,\n)".to_owned()
        )
    );
    assert_eq!(AT.to_string(), "@1764000000");
    assert_eq!(json(&AT), "1764000000");

    let scope = TenantScope::authorized_by_host("acme".parse().unwrap());
    assert_eq!(
        debug(&scope),
        (
            r#"TenantScope { tenant: TenantId("acme") }"#.to_owned(),
            "TenantScope {\n    tenant: TenantId(\n        \"acme\",\n    ),\n}".to_owned()
        )
    );
}

#[test]
fn lifecycle() {
    let cases: [(KeyState, &str, &str); 4] = [
        (KeyState::Enabled, "Enabled", r#""enabled""#),
        (KeyState::Disabled, "Disabled", r#""disabled""#),
        (KeyState::Destroyed, "Destroyed", r#""destroyed""#),
        (
            KeyState::DestroyScheduled { at: AT },
            "DestroyScheduled { at: Timestamp(1764000000) }",
            r#"{"destroy_scheduled":{"at":1764000000}}"#,
        ),
    ];
    for (state, text, serialized) in cases {
        assert_eq!(format!("{state:?}"), text);
        assert_eq!(json(&state), serialized);
    }
    assert_eq!(
        format!("{:#?}", KeyState::DestroyScheduled { at: AT }),
        "DestroyScheduled {\n    at: Timestamp(\n        1764000000,\n    ),\n}"
    );

    let unknown: KeyState = serde_json::from_str(r#""quarantined""#).unwrap();
    assert_eq!(
        debug(&unknown),
        (
            r#"Unrecognized("quarantined")"#.to_owned(),
            "Unrecognized(\n    \"quarantined\",\n)".to_owned()
        )
    );
    assert_eq!(json(&unknown), r#""quarantined""#);
    let KeyState::Unrecognized(name) = unknown else {
        panic!("not unrecognized")
    };
    let name: UnrecognizedState = name;
    assert_eq!(format!("{name:?}"), r#""quarantined""#);

    for (kind, text, display) in [
        (StateKind::Enabled, "Enabled", "enabled"),
        (StateKind::Disabled, "Disabled", "disabled"),
        (
            StateKind::DestroyScheduled,
            "DestroyScheduled",
            "destroy_scheduled",
        ),
        (StateKind::Destroyed, "Destroyed", "destroyed"),
        (StateKind::Unrecognized, "Unrecognized", "unrecognized"),
    ] {
        assert_eq!(debug(&kind), (text.to_owned(), text.to_owned()));
        assert_eq!(kind.to_string(), display);
    }

    assert_eq!(
        debug(&Transition::ScheduleDestruction { at: AT }),
        (
            "ScheduleDestruction { at: Timestamp(1764000000) }".to_owned(),
            "ScheduleDestruction {\n    at: Timestamp(\n        1764000000,\n    ),\n}".to_owned()
        )
    );
    assert_eq!(format!("{:?}", Transition::MakePrimary), "MakePrimary");

    assert_eq!(
        debug(&KeyOrigin::PlatformManaged),
        ("PlatformManaged".to_owned(), "PlatformManaged".to_owned())
    );
    assert_eq!(json(&KeyOrigin::PlatformManaged), r#""platform_managed""#);

    let meta = KeyMetadata::new(
        key_ref(),
        KeyState::DestroyScheduled { at: AT },
        KeyOrigin::PlatformManaged,
        AT,
        false,
    );
    assert_eq!(
        debug(&meta),
        (
            r#"KeyMetadata { key_ref: KeyRef("tenants/acme/keys/audit-export/versions/3"), state: DestroyScheduled { at: Timestamp(1764000000) }, origin: PlatformManaged, created_at: Timestamp(1764000000), primary: false }"#.to_owned(),
            "KeyMetadata {\n    key_ref: KeyRef(\"tenants/acme/keys/audit-export/versions/3\"),\n    state: DestroyScheduled {\n        at: Timestamp(\n            1764000000,\n        ),\n    },\n    origin: PlatformManaged,\n    created_at: Timestamp(\n        1764000000,\n    ),\n    primary: false,\n}".to_owned()
        )
    );
    assert_eq!(
        json(&meta),
        r#"{"key_ref":"tenants/acme/keys/audit-export/versions/3","state":{"destroy_scheduled":{"at":1764000000}},"origin":"platform_managed","created_at":1764000000,"primary":false}"#
    );
}

#[test]
fn policy_outputs() {
    for (operation, text, display) in [
        (Operation::Encrypt, "Encrypt", "encrypt"),
        (Operation::Decrypt, "Decrypt", "decrypt"),
        (Operation::ReEncrypt, "ReEncrypt", "re-encrypt"),
        (Operation::LoadMaterial, "LoadMaterial", "load material"),
    ] {
        assert_eq!(debug(&operation), (text.to_owned(), text.to_owned()));
        assert_eq!(operation.to_string(), display);
    }
    let refusal = policy::check(Operation::Decrypt, &KeyState::Disabled, false).unwrap_err();
    assert_eq!(
        debug(&refusal),
        (
            "Refusal { operation: Decrypt, state: Disabled }".to_owned(),
            "Refusal {\n    operation: Decrypt,\n    state: Disabled,\n}".to_owned()
        )
    );
    assert_eq!(
        refusal.to_string(),
        "decrypt refused: key version is disabled"
    );
    let not_primary = policy::check(Operation::Encrypt, &KeyState::Enabled, false).unwrap_err();
    assert_eq!(
        not_primary.to_string(),
        "encrypt refused: key version is not the primary"
    );
}

#[test]
fn errors() {
    let primary = KeyState::Enabled
        .apply(Transition::Disable, true)
        .unwrap_err();
    assert_eq!(primary, TransitionError::PrimaryCannotBeDisabled);
    assert_eq!(
        debug(&primary),
        (
            "PrimaryCannotBeDisabled".to_owned(),
            "PrimaryCannotBeDisabled".to_owned()
        )
    );
    assert_eq!(
        primary.to_string(),
        "cannot disable the primary key version: make another version primary first"
    );
    let terminal = KeyState::Destroyed
        .apply(Transition::Enable, false)
        .unwrap_err();
    assert_eq!(
        debug(&terminal),
        (
            "NotAllowed { from: Destroyed, transition: Enable }".to_owned(),
            "NotAllowed {\n    from: Destroyed,\n    transition: Enable,\n}".to_owned()
        )
    );
    assert_eq!(
        terminal.to_string(),
        "cannot enable a key version that is destroyed: destroyed is terminal"
    );

    let parse = "tenants/acme/keys/audit-export/versions/07"
        .parse::<KeyRef>()
        .unwrap_err();
    assert_eq!(parse.kind(), ParseErrorKind::VersionLeadingZero);
    assert_eq!(
        debug(&parse),
        (
            "ParseError { target: KeyRef, segment: Some(6), kind: VersionLeadingZero }".to_owned(),
            "ParseError {\n    target: KeyRef,\n    segment: Some(\n        6,\n    ),\n    kind: VersionLeadingZero,\n}".to_owned()
        )
    );
    let message =
        "invalid key reference at segment 6 (version): version must not have leading zeros";
    assert_eq!(parse.to_string(), message);

    let error = Error::from(parse);
    assert_eq!(
        debug(&error),
        (
            "Parse(ParseError { target: KeyRef, segment: Some(6), kind: VersionLeadingZero })".to_owned(),
            "Parse(\n    ParseError {\n        target: KeyRef,\n        segment: Some(\n            6,\n        ),\n        kind: VersionLeadingZero,\n    },\n)".to_owned()
        )
    );
    assert_eq!(error.to_string(), message);
    assert_eq!(
        Error::from(primary).to_string(),
        "cannot disable the primary key version: make another version primary first"
    );
    assert_eq!(
        format!("{:?}", Error::from(primary)),
        "Transition(PrimaryCannotBeDisabled)"
    );
    let refusal = policy::check(Operation::Decrypt, &KeyState::Destroyed, false).unwrap_err();
    assert_eq!(
        format!("{:?}", Error::from(refusal)),
        "Refused(Refusal { operation: Decrypt, state: Destroyed })"
    );
    assert_eq!(
        Error::from(refusal).to_string(),
        "decrypt refused: key version is destroyed"
    );
    assert_eq!(
        debug(&Error::Random),
        ("Random".to_owned(), "Random".to_owned())
    );
    assert_eq!(
        Error::Random.to_string(),
        "the operating system's random source failed"
    );
}

#[derive(Debug, serde::Serialize, key_model::EventDto)]
struct Rotated {
    new_primary: KeyRef,
}

#[derive(serde::Serialize, key_model::ApiDto)]
struct Row {
    tenant: TenantId,
}

/// A writer that always fails, for the sink's I/O error.
struct Failing;

impl std::io::Write for Failing {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk full"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn sink_outputs() {
    let tenant: TenantId = "acme".parse().unwrap();
    let payload = Rotated {
        new_primary: "tenants/acme/keys/audit-export/versions/2".parse().unwrap(),
    };
    let bad_type = EventEnvelope::new(&tenant, "Key Rotated", &payload).unwrap_err();
    assert_eq!(
        bad_type.to_string(),
        "invalid event type: 1 to 128 characters of lowercase letters, digits, `.`, `_` and `-`, starting with a letter"
    );
    assert_eq!(
        debug(&bad_type),
        (
            "SinkError { inner: EventType }".to_owned(),
            "SinkError {\n    inner: EventType,\n}".to_owned()
        )
    );
    let io = write_api_json(
        Failing,
        &Row {
            tenant: tenant.clone(),
        },
    )
    .unwrap_err();
    assert!(io.is_io());
    assert_eq!(io.to_string(), "sink could not write JSON: disk full");
    assert_eq!(
        format!("{io:?}"),
        r#"SinkError { inner: Json(Error("disk full", line: 0, column: 0)) }"#
    );

    let envelope = EventEnvelope::new(&tenant, "key.rotated", &payload).unwrap();
    assert_eq!(
        format!("{envelope:?}"),
        r#"EventEnvelope { tenant: TenantId("acme"), event_type: "key.rotated", payload: Rotated { new_primary: KeyRef("tenants/acme/keys/audit-export/versions/2") } }"#
    );
    assert_eq!(
        json(&envelope),
        r#"{"tenant":"acme","event_type":"key.rotated","payload":{"new_primary":"tenants/acme/keys/audit-export/versions/2"}}"#
    );

    // The writers print their buffers, which only ever hold boundary rows.
    assert_eq!(
        format!("{:?}", JsonLinesWriter::new(Vec::new())),
        "JsonLinesWriter { writer: [], line: [] }"
    );
    assert_eq!(
        format!("{:?}", CsvWriter::new(Vec::new())),
        "CsvWriter { writer: [], wrote_header: false, neutralise_formulas: true }"
    );
    assert_eq!(
        format!("{:?}", AuditWriter::new(Vec::new())),
        "AuditWriter { writer: [], line: [] }"
    );
}

/// The leak-canary types (feature `testing`): a canary prints no bytes, a
/// leak report only its encoding and offset.
#[test]
fn testing_outputs() {
    use key_model::testing::{Canary, Encoding};

    let canary = Canary::new(7);
    assert_eq!(
        debug(&canary),
        (
            "Canary([REDACTED])".to_owned(),
            "Canary([REDACTED])".to_owned()
        )
    );
    let leak = canary
        .find_leak(format!("token={:?}", canary.bytes()))
        .unwrap();
    assert_eq!(
        debug(&leak),
        (
            "Leak { encoding: DecimalList, offset: 7 }".to_owned(),
            "Leak {\n    encoding: DecimalList,\n    offset: 7,\n}".to_owned()
        )
    );
    assert_eq!(
        leak.to_string(),
        "key material leaked as a list of decimal bytes at byte offset 7"
    );
    assert_eq!(format!("{:?}", Encoding::HexLower), "HexLower");
    assert_eq!(Encoding::Base64UrlSafe.to_string(), "URL-safe base64");
}

/// Every 8-character window of `secret`.
fn windows(secret: &str) -> impl Iterator<Item = &str> {
    (0..=secret.len().saturating_sub(8)).map(move |i| &secret[i..i + 8])
}

fn assert_not_echoed(error: &ParseError, secret: &str) {
    let error = Error::from(*error);
    for output in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        for window in windows(secret) {
            assert!(
                !output.contains(window),
                "{output:?} echoes {window:?} of the input"
            );
        }
    }
}

proptest! {
    /// A caller that passes a secret to a parser by mistake never sees it
    /// echoed into an error (and so into a log). The secret is upper case,
    /// so it is malformed wherever it stands.
    #[test]
    fn parse_errors_never_echo_the_input(secret in "[A-Z0-9]{8,40}") {
        let inputs = [
            secret.clone(),
            format!("tenants/{secret}/keys/audit-export/versions/1"),
            format!("tenants/acme/keys/{secret}/versions/1"),
            format!("tenants/acme/keys/audit-export/versions/{secret}"),
            format!("tenants/acme/keys/audit-export/{secret}"),
        ];
        for input in &inputs {
            if let Err(e) = input.parse::<KeyRef>() {
                assert_not_echoed(&e, &secret);
            }
            if let Err(e) = input.parse::<KeyName>() {
                assert_not_echoed(&e, &secret);
            }
        }
        if let Err(e) = secret.parse::<TenantId>() {
            assert_not_echoed(&e, &secret);
        }
        if let Err(e) = secret.parse::<KeyPurpose>() {
            assert_not_echoed(&e, &secret);
        }
        if let Err(e) = secret.parse::<KeyVersion>() {
            assert_not_echoed(&e, &secret);
        }
    }
}
