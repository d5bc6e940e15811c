// A realistic boundary type: an SSH session recording as the API returns
// it, exposing which key version encrypted the recording, never the key.

// `also` names kinds, not paths: no import is needed for them.
use key_model::{ApiDto, KeyRef, SecretFree, TenantId, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, SecretFree)]
#[serde(rename_all = "snake_case")]
enum RecordingStatus {
    Recording,
    Sealed,
    Purged,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, ApiDto)]
#[key_model(also(ExportDto, AuditDto))]
struct SshSessionRecord {
    session_id: String,
    tenant: TenantId,
    user: String,
    host: std::net::IpAddr,
    started_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    ended_at: Option<Timestamp>,
    bytes: u64,
    status: RecordingStatus,
    encryption_key_ref: KeyRef,
}

fn main() {
    let record = SshSessionRecord {
        session_id: "s-42".into(),
        tenant: "acme".parse().unwrap(),
        user: "ops".into(),
        host: "10.0.0.7".parse().unwrap(),
        started_at: Timestamp::from_unix_seconds(1_764_000_000),
        ended_at: None,
        bytes: 1024,
        status: RecordingStatus::Sealed,
        encryption_key_ref: "tenants/acme/keys/ssh-session-recording/versions/3"
            .parse()
            .unwrap(),
    };
    let json = String::from_utf8(key_model::sink::api_json(&record).unwrap()).unwrap();
    assert_eq!(
        json,
        r#"{"session_id":"s-42","tenant":"acme","user":"ops","host":"10.0.0.7","started_at":1764000000,"bytes":1024,"status":"sealed","encryption_key_ref":"tenants/acme/keys/ssh-session-recording/versions/3"}"#
    );
    let mut export = key_model::sink::JsonLinesWriter::new(Vec::new());
    export.write(&record).unwrap();
    let mut audit = key_model::sink::AuditWriter::new(Vec::new());
    audit
        .write(&record.tenant, record.started_at, &record)
        .unwrap();
}
