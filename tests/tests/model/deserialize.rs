//! G8 for deserialization: whatever a caller feeds to a key-model type's
//! `Deserialize`, the error says what was wrong and never quotes the input
//! (a secret passed to a parser by mistake must not reach a log); and every
//! form the types accept today still loads to the same value.

use key_model::ring::{StoredKey, StoredVersion, WrappedKey};
use key_model::{
    Envelope, KeyMetadata, KeyName, KeyOrigin, KeyPurpose, KeyRef, KeyState, KeyVersion, TenantId,
    Timestamp,
};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A secret-looking string: what a caller might paste into the wrong field.
fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{12,24}".prop_map(|s| format!("sk_live_{s}"))
}

/// A value to plant somewhere in a document, with every string and number
/// in it that must not come back in an error. The numbers have at least
/// seven digits, so a line, column or length in a message cannot be one.
fn poison() -> impl Strategy<Value = (Value, Vec<String>)> {
    prop_oneof![
        secret().prop_map(|s| (json!(s), vec![s])),
        (1_000_000_000_u64..).prop_map(|n| (json!(n), vec![n.to_string()])),
        (..-1_000_000_000_i64).prop_map(|n| (json!(n), vec![n.to_string()])),
        (1_000_000_u32.., 1..9_u8).prop_map(|(n, d)| {
            let f: f64 = format!("{n}.{d}").parse().unwrap();
            (json!(f), vec![n.to_string()])
        }),
        (secret(), secret()).prop_map(|(k, v)| (json!({ k.clone(): v.clone() }), vec![k, v])),
        (secret(), 1_000_000_000_u64..).prop_map(|(s, n)| (json!([s, n]), vec![s, n.to_string()])),
    ]
}

/// A document for one type, valid as it stands.
struct Case {
    name: &'static str,
    base: Value,
    parse: fn(&str) -> Result<(), serde_json::Error>,
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<(), serde_json::Error> {
    serde_json::from_str::<T>(text).map(drop)
}

fn metadata() -> Value {
    json!({
        "key_ref": "tenants/acme/keys/audit-export/versions/1",
        "state": "enabled",
        "origin": "platform_managed",
        "created_at": 1_764_400_000,
        "primary": true,
    })
}

fn stored_version() -> Value {
    json!({ "metadata": metadata(), "wrapped": "AQID" })
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "TenantId",
            base: json!("acme"),
            parse: parse::<TenantId>,
        },
        Case {
            name: "KeyPurpose",
            base: json!("audit-export"),
            parse: parse::<KeyPurpose>,
        },
        Case {
            name: "KeyVersion",
            base: json!(3),
            parse: parse::<KeyVersion>,
        },
        Case {
            name: "KeyName",
            base: json!("tenants/acme/keys/audit-export"),
            parse: parse::<KeyName>,
        },
        Case {
            name: "KeyRef",
            base: json!("tenants/acme/keys/audit-export/versions/1"),
            parse: parse::<KeyRef>,
        },
        Case {
            name: "KeyState",
            base: json!({ "destroy_scheduled": { "at": 1_800_000_000 } }),
            parse: parse::<KeyState>,
        },
        Case {
            name: "KeyOrigin",
            base: json!("platform_managed"),
            parse: parse::<KeyOrigin>,
        },
        Case {
            name: "Timestamp",
            base: json!(1_764_400_000),
            parse: parse::<Timestamp>,
        },
        Case {
            name: "KeyMetadata",
            base: metadata(),
            parse: parse::<KeyMetadata>,
        },
        Case {
            name: "KeyMetadata (destroy scheduled)",
            base: {
                let mut m = metadata();
                m["state"] = json!({ "destroy_scheduled": { "at": 1_800_000_000 } });
                m
            },
            parse: parse::<KeyMetadata>,
        },
        Case {
            name: "WrappedKey",
            base: json!("AQID"),
            parse: parse::<WrappedKey>,
        },
        Case {
            name: "StoredVersion",
            base: stored_version(),
            parse: parse::<StoredVersion>,
        },
        Case {
            name: "StoredKey",
            base: json!({
                "name": "tenants/acme/keys/audit-export",
                "versions": [stored_version()],
            }),
            parse: parse::<StoredKey>,
        },
        Case {
            name: "Envelope",
            base: json!("AQID"),
            parse: parse::<Envelope>,
        },
    ]
}

/// Every document made from `base` by planting `poison` at one position:
/// the whole document, each member's value and each element (recursively),
/// and as an extra member of each object, keyed by each of the poison's
/// strings (a map key is input too).
fn planted(base: &Value, poison: &Value, keys: &[String]) -> Vec<Value> {
    let mut out = vec![poison.clone()];
    match base {
        Value::Object(map) => {
            for (k, v) in map {
                for inner in planted(v, poison, keys) {
                    let mut copy = map.clone();
                    copy.insert(k.clone(), inner);
                    out.push(Value::Object(copy));
                }
            }
            for key in keys {
                let mut copy = map.clone();
                copy.insert(key.clone(), poison.clone());
                out.push(Value::Object(copy));
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                for inner in planted(v, poison, keys) {
                    let mut copy = items.clone();
                    copy[i] = inner;
                    out.push(Value::Array(copy));
                }
            }
        }
        _ => {}
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The property of the issue: no error of any key-model `Deserialize`
    /// quotes a string or number of its input, in `Display` or `Debug`.
    #[test]
    fn deserialization_errors_never_quote_the_input((poison, needles) in poison()) {
        let keys: Vec<String> = needles.iter().filter(|n| n.starts_with("sk_")).cloned().collect();
        for case in cases() {
            for doc in planted(&case.base, &poison, &keys) {
                let text = doc.to_string();
                if let Err(e) = (case.parse)(&text) {
                    let shown = format!("{e} | {e:?}");
                    for needle in &needles {
                        prop_assert!(
                            !shown.contains(needle.as_str()),
                            "{}: {} gave {}", case.name, text, shown
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn every_base_document_loads() {
    for case in cases() {
        if case.name == "Envelope" {
            continue; // three bytes are no envelope: the test above only needs errors
        }
        (case.parse)(&case.base.to_string()).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    }
}

/// The examples of the issue, with the message each gives instead.
#[test]
fn the_reported_echoes_now_name_the_rule() {
    let secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    let meta = |field: &str, value: Value| {
        let mut m = metadata();
        m[field] = value;
        serde_json::from_str::<KeyMetadata>(&m.to_string())
            .unwrap_err()
            .to_string()
    };
    for message in [
        serde_json::from_str::<KeyVersion>(&json!(secret).to_string())
            .unwrap_err()
            .to_string(),
        meta("origin", json!(secret)),
        meta("created_at", json!(secret)),
        meta("primary", json!(secret)),
        meta("key_ref", json!(secret)),
        meta("state", json!({ "destroy_scheduled": { secret: 1 } })),
    ] {
        assert!(!message.contains(secret), "{message}");
    }
    assert_eq!(
        serde_json::from_str::<KeyVersion>(&json!(secret).to_string())
            .unwrap_err()
            .to_string(),
        "invalid key version: expected an integer from 1 to 4294967295"
    );
    assert!(
        meta("origin", json!(secret))
            .starts_with("invalid key origin: expected one of `platform_managed`"),
        "{}",
        meta("origin", json!(secret))
    );
    assert!(
        meta("primary", json!(secret))
            .starts_with("invalid key metadata: `primary` must be true or false"),
        "{}",
        meta("primary", json!(secret))
    );
    assert!(
        meta("created_at", json!(-1_000_000_000_000_i64))
            .starts_with("invalid timestamp: expected whole seconds since the Unix epoch"),
        "{}",
        meta("created_at", json!(-1_000_000_000_000_i64))
    );
}

/// Every form accepted before the hand-written impls still loads, to the
/// same value, and what is written is what was written before.
#[test]
fn accepted_forms_are_unchanged() {
    let key_ref: KeyRef = "tenants/acme/keys/audit-export/versions/1".parse().unwrap();
    let meta = KeyMetadata::new(
        key_ref,
        KeyState::DestroyScheduled {
            at: Timestamp::from_unix_seconds(1_800_000_000),
        },
        KeyOrigin::PlatformManaged,
        Timestamp::from_unix_seconds(1_764_400_000),
        true,
    );
    let written = r#"{"key_ref":"tenants/acme/keys/audit-export/versions/1","state":{"destroy_scheduled":{"at":1800000000}},"origin":"platform_managed","created_at":1764400000,"primary":true}"#;
    assert_eq!(serde_json::to_string(&meta).unwrap(), written);
    assert_eq!(serde_json::from_str::<KeyMetadata>(written).unwrap(), meta);
    // The other forms serde's derive accepted: a sequence of the fields, an
    // unknown member (ignored), a unit variant written as a map.
    for other in [
        r#"["tenants/acme/keys/audit-export/versions/1",{"destroy_scheduled":{"at":1800000000}},"platform_managed",1764400000,true]"#,
        r#"{"key_ref":"tenants/acme/keys/audit-export/versions/1","state":{"destroy_scheduled":{"at":1800000000}},"origin":{"platform_managed":null},"created_at":1764400000,"primary":true,"added_later":[1,2]}"#,
    ] {
        assert_eq!(
            serde_json::from_str::<KeyMetadata>(other).unwrap(),
            meta,
            "{other}"
        );
    }
    assert_eq!(
        serde_json::from_str::<Timestamp>("1764400000").unwrap(),
        Timestamp::from_unix_seconds(1_764_400_000)
    );
    assert_eq!(
        serde_json::to_string(&Timestamp::from_unix_seconds(7)).unwrap(),
        "7"
    );
    assert_eq!(
        serde_json::from_str::<KeyVersion>("4294967295")
            .unwrap()
            .get(),
        u32::MAX
    );
    assert_eq!(
        serde_json::from_str::<KeyOrigin>(r#""platform_managed""#).unwrap(),
        KeyOrigin::PlatformManaged
    );

    let stored = json!({
        "name": "tenants/acme/keys/audit-export",
        "versions": [
            { "metadata": serde_json::from_str::<Value>(written).unwrap(), "wrapped": "AQID" },
        ],
    });
    let key: StoredKey = serde_json::from_value(stored.clone()).unwrap();
    assert_eq!(key.versions()[0].metadata(), &meta);
    assert_eq!(key.versions()[0].wrapped().unwrap().as_bytes(), [1, 2, 3]);
    assert_eq!(serde_json::to_value(&key).unwrap(), stored);
    // `wrapped` may be absent (a destroyed version): it loads as `None`.
    let bare: StoredVersion =
        serde_json::from_str(&format!(r#"{{"metadata":{written}}}"#)).unwrap();
    assert_eq!(bare.wrapped(), None);
    assert_eq!(
        serde_json::from_str::<StoredVersion>(&format!(
            r#"{{"metadata":{written},"wrapped":null}}"#
        ))
        .unwrap(),
        bare
    );
}

/// Errors still say which rule broke where the rule is ours to say.
#[test]
fn errors_still_name_the_rule() {
    let err = serde_json::from_str::<KeyRef>(r#""tenants/acme/keys/x/versions/07""#).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "invalid key reference at segment 6 (version): version must not have leading zeros"
        ),
        "{err}"
    );
    let err = serde_json::from_str::<WrappedKey>(r#""a=""#).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("wrapped key material is not unpadded base64url"),
        "{err}"
    );
    let err = serde_json::from_str::<KeyState>(r#"{"destroy_scheduled":{}}"#).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid key state: `destroy_scheduled` needs its `at` field"),
        "{err}"
    );
    let mut meta = metadata();
    meta.as_object_mut().unwrap().remove("created_at");
    let err = serde_json::from_str::<KeyMetadata>(&meta.to_string()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid key metadata: missing field `created_at`"),
        "{err}"
    );
    let err = serde_json::from_str::<StoredKey>(r#"{"versions":[]}"#).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid stored key: missing field `name`"),
        "{err}"
    );
}
