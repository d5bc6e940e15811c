// A named struct with every field attribute, under all three derives.
use core::fmt;

use key_model::{KeyMaterial, KeyRef, RedactedDebug, RedactedDisplay, RedactedSerialize};

fn last_four(number: &String, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(&number[number.len().saturating_sub(4)..])
}

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("session {id} under {encryption_key_ref}, card {card}")]
struct Session {
    id: u64,
    encryption_key_ref: KeyRef,
    #[redact]
    key: KeyMaterial,
    #[redact(skip)]
    scratch: Vec<u8>,
    #[redact(with = last_four)]
    card: String,
}

fn main() {
    let session = Session {
        id: 7,
        encryption_key_ref: "tenants/acme/keys/audit-export/versions/1".parse().unwrap(),
        key: KeyMaterial::generate().unwrap(),
        scratch: vec![1, 2, 3],
        card: "4111111111111111".to_owned(),
    };
    assert_eq!(
        session.to_string(),
        "session 7 under tenants/acme/keys/audit-export/versions/1, card 1111"
    );
    assert_eq!(
        format!("{session:?}"),
        "Session { id: 7, encryption_key_ref: KeyRef(\"tenants/acme/keys/audit-export/versions/1\"), key: [REDACTED], card: 1111 }"
    );
    assert_eq!(
        serde_json::to_string(&session).unwrap(),
        r#"{"id":7,"encryption_key_ref":"tenants/acme/keys/audit-export/versions/1","key":"[REDACTED]","card":"1111"}"#
    );
    let _ = session.scratch;
}
