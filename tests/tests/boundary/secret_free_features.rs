//! The optional `SecretFree` impls (features `chrono`, `time`, `uuid`,
//! `serde_json`): other crates' value types can be DTO fields.
//!
//! These are compile-time proofs: if an impl goes missing, this file does not
//! compile. The runtime part checks that such a DTO goes through a sink.

use key_model::{ApiDto, SecretFree};

fn assert_secret_free<T: SecretFree + ?Sized>() {}

#[test]
fn chrono_types() {
    assert_secret_free::<chrono::DateTime<chrono::Utc>>();
    assert_secret_free::<chrono::DateTime<chrono::FixedOffset>>();
    assert_secret_free::<chrono::NaiveDate>();
    assert_secret_free::<chrono::NaiveTime>();
    assert_secret_free::<chrono::NaiveDateTime>();
    assert_secret_free::<chrono::TimeDelta>();
    assert_secret_free::<chrono::Weekday>();
    assert_secret_free::<chrono::Month>();
}

#[test]
fn time_types() {
    assert_secret_free::<time::OffsetDateTime>();
    assert_secret_free::<time::PrimitiveDateTime>();
    assert_secret_free::<time::Date>();
    assert_secret_free::<time::Time>();
    assert_secret_free::<time::UtcOffset>();
    assert_secret_free::<time::Duration>();
    assert_secret_free::<time::Weekday>();
    assert_secret_free::<time::Month>();
}

#[test]
fn uuid_types() {
    assert_secret_free::<uuid::Uuid>();
    assert_secret_free::<uuid::NonNilUuid>();
}

#[derive(serde::Serialize, ApiDto)]
#[key_model(also(ExportDto))]
struct Extended {
    id: u128,
    created: Option<chrono::DateTime<chrono::Utc>>,
    expires: Option<time::OffsetDateTime>,
    request: Option<uuid::Uuid>,
    labels: serde_json::Map<String, serde_json::Value>,
    extra: serde_json::Value,
}

#[test]
fn serde_json_values_go_through_sinks() {
    let row = Extended {
        id: 7,
        created: chrono::DateTime::from_timestamp(1_764_000_000, 0),
        expires: None,
        request: Some(uuid::Uuid::from_u128(0x42)),
        labels: serde_json::Map::new(),
        extra: serde_json::json!({ "retention_days": 30, "tags": ["a", "b"] }),
    };
    assert_eq!(
        key_model::sink::api_json(&row).unwrap(),
        br#"{"id":7,"created":"2025-11-24T16:00:00Z","expires":null,"request":"00000000-0000-0000-0000-000000000042","labels":{},"extra":{"retention_days":30,"tags":["a","b"]}}"#
    );
    let mut export = key_model::sink::JsonLinesWriter::new(Vec::new());
    export.write(&row).unwrap();
    assert_eq!(
        export.into_inner().unwrap(),
        [key_model::sink::api_json(&row).unwrap(), b"\n".to_vec()].concat()
    );
}
