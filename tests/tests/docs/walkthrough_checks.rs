//! The walkthrough's checks can fail: each `ok:` line of
//! `cargo run -p key-model --features store-sqlite --example walkthrough` rests on a check, and
//! here the checks that read output (the API record, the key ring's `Debug`)
//! are given the output they exist to catch, and refuse it. The example's
//! RFC 3339 helper is checked against dates `date -u` printed.

use key_model::{KeyName, KeyRef, KeyRing, TenantScope, Timestamp};

use crate::walkthrough::{self, check_record, check_ring_debug, rfc3339};

const KEY_REF: &str = "tenants/acme/keys/ssh-session-recording/versions/1";
const ENVELOPE_TEXT: &str = "AQEEYWNtZRVzc2gtc2Vzc2lvbi1yZWNvcmRpbmcAAAABwbX-Qm9keQ";
const PLAINTEXT: [&str; 2] = ["$ ssh admin@db-7", "$ sudo systemctl restart postgresql"];

fn key_ref() -> KeyRef {
    KEY_REF.parse().unwrap()
}

fn record(extra: &str) -> String {
    format!(
        r#"{{"session_id":"sess_01HZX4","tenant":"acme","status":"sealed","started_at":1764400000,"bytes":63,"encryption_key_ref":"{KEY_REF}"{extra}}}"#
    )
}

#[test]
fn rfc3339_matches_date() {
    // From `date -u -d @N +%Y-%m-%dT%H:%M:%SZ`.
    for (secs, text) in [
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_709_164_800, "2024-02-29T00:00:00Z"),
        (1_764_400_000, "2025-11-29T07:06:40Z"),
        (4_107_456_000, "2100-02-28T00:00:00Z"),
        (4_107_542_400, "2100-03-01T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ] {
        assert_eq!(rfc3339(Timestamp::from_unix_seconds(secs)), text, "{secs}");
    }
    // The far future neither panics nor overflows.
    assert!(rfc3339(Timestamp::from_unix_seconds(u64::MAX)).ends_with('Z'));
}

#[test]
fn the_record_check_accepts_the_canonical_record() {
    assert_eq!(
        check_record(&record(""), &key_ref(), ENVELOPE_TEXT, &PLAINTEXT),
        Ok(())
    );
}

#[test]
fn the_record_check_refuses_an_extra_or_missing_field() {
    let extra = record(r#","key":"AAAA""#);
    let err = check_record(&extra, &key_ref(), ENVELOPE_TEXT, &PLAINTEXT).unwrap_err();
    assert!(err.starts_with("fields "), "{err}");
    let missing = record("").replace(r#""bytes":63,"#, "");
    let err = check_record(&missing, &key_ref(), ENVELOPE_TEXT, &PLAINTEXT).unwrap_err();
    assert!(err.starts_with("fields "), "{err}");
}

#[test]
fn the_record_check_refuses_another_key_ref() {
    let other: KeyRef = "tenants/acme/keys/ssh-session-recording/versions/2"
        .parse()
        .unwrap();
    let err = check_record(&record(""), &other, ENVELOPE_TEXT, &PLAINTEXT).unwrap_err();
    assert!(err.contains("encryption_key_ref"), "{err}");
}

#[test]
fn the_record_check_refuses_ciphertext_and_plaintext() {
    // A 16-character run of the envelope's text, in a field's value.
    let with_ciphertext = record("").replace("sess_01HZX4", "xVzc2gtc2Vzc2lvbi1y");
    let err = check_record(&with_ciphertext, &key_ref(), ENVELOPE_TEXT, &PLAINTEXT).unwrap_err();
    assert!(err.starts_with("holds ciphertext"), "{err}");
    let with_plaintext = record("").replace("sess_01HZX4", "$ sudo systemctl restart postgresql");
    let err = check_record(&with_plaintext, &key_ref(), ENVELOPE_TEXT, &PLAINTEXT).unwrap_err();
    assert!(err.starts_with("holds plaintext"), "{err}");
    let not_json = check_record("{", &key_ref(), ENVELOPE_TEXT, &PLAINTEXT).unwrap_err();
    assert!(not_json.starts_with("not JSON"), "{not_json}");
}

fn ring_with_two_versions() -> (KeyRing, String) {
    let ring = KeyRing::in_memory().unwrap();
    let scope = TenantScope::authorized_by_host("acme".parse().unwrap());
    let name: KeyName = "tenants/acme/keys/ssh-session-recording".parse().unwrap();
    ring.create_key(&scope, &name).unwrap();
    ring.rotate(&scope, &name).unwrap();
    let dump = format!("{ring:?}");
    (ring, dump)
}

#[test]
fn the_ring_check_accepts_the_rings_own_debug_output() {
    let (_ring, dump) = ring_with_two_versions();
    let parts = check_ring_debug(&dump, 2).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].0, KEY_REF);
    assert_eq!(parts[0].1, "Some(KeyMaterial([REDACTED]))");
    assert!(parts[0].2.starts_with("Some(WrappedKey("), "{:?}", parts[0]);
}

#[test]
fn the_ring_check_refuses_material_that_is_not_redacted() {
    let (_ring, dump) = ring_with_two_versions();
    // A byte list anywhere, whatever prints it.
    let bytes = dump.replacen("KeyMaterial([REDACTED])", "KeyMaterial([7, 1, 9])", 1);
    assert!(
        check_ring_debug(&bytes, 2)
            .unwrap_err()
            .starts_with("a byte list")
    );
    // Material in any other form (hex, say).
    let hex = dump.replacen("KeyMaterial([REDACTED])", "KeyMaterial(0x0701)", 1);
    let err = check_ring_debug(&hex, 2).unwrap_err();
    assert!(err.ends_with("material not redacted"), "{err}");
}

#[test]
fn the_ring_check_refuses_wrapped_material_shown_as_more_than_a_length() {
    let (_ring, dump) = ring_with_two_versions();
    let start = dump.find("WrappedKey(").unwrap() + "WrappedKey(".len();
    let end = start + dump[start..].find(')').unwrap();
    let shown = format!("{}BASE64WRAPPED{}", &dump[..start], &dump[end..]);
    let err = check_ring_debug(&shown, 2).unwrap_err();
    assert!(err.ends_with("more than a length"), "{err}");
}

#[test]
fn the_ring_check_counts_the_versions() {
    let (_ring, dump) = ring_with_two_versions();
    let err = check_ring_debug(&dump, 3).unwrap_err();
    assert_eq!(err, "2 versions in the dump, expected 3");
}

#[test]
fn the_walkthrough_runs_every_check() {
    let ring = KeyRing::in_memory().unwrap();
    let mut output = Vec::new();
    walkthrough::run(&ring, &mut output).unwrap();
    let text = String::from_utf8(output).unwrap();
    // One `ok:` line per check; a check that did not run prints none.
    assert_eq!(text.matches("\n  ok: ").count(), 13, "{text}");
    // No raw `Timestamp(...)` debug and no whole-ring dump in the output.
    assert!(!text.contains("Timestamp("), "{text}");
    assert!(!text.contains("KeyEntry"), "{text}");
}

/// The walkthrough as `main` runs it, with the restart, here over a store
/// and root key kept in memory across the two rings.
#[test]
fn the_walkthrough_across_a_restart_runs_every_check() {
    use std::sync::Arc;
    let store = Arc::new(key_model::ring::MemoryKeyStore::new());
    let root = Arc::new(key_model::ring::MemoryRootKey::generate().unwrap());
    let open = || -> Result<KeyRing, Box<dyn std::error::Error>> {
        Ok(KeyRing::new(Arc::clone(&store), Arc::clone(&root)))
    };
    let mut output = Vec::new();
    walkthrough::run_across_restart(&open, &mut output).unwrap();
    let text = String::from_utf8(output).unwrap();
    assert_eq!(text.matches("\n  ok: ").count(), 15, "{text}");
    assert!(text.contains("== 10. A restart"), "{text}");

    // Over a fresh, empty store each time, the restart finds no keys.
    let forgetful = || -> Result<KeyRing, Box<dyn std::error::Error>> { Ok(KeyRing::in_memory()?) };
    assert!(walkthrough::run_across_restart(&forgetful, &mut Vec::new()).is_err());
}
