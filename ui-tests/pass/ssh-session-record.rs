// The canonical boundary type (docs/vn-12.md, The SSH session record): an
// SSH session recording as the API returns it, exposing which key version
// encrypted the recording, never the key. The same shape is in the README
// and the walkthrough; `tests/tests/docs/record.rs` keeps them equal.
// Here it is also an export row and an audit record.

// `also` names kinds, not paths: no import is needed for them.
use key_model::{ApiDto, KeyRef, SecretFree, TenantId, Timestamp};

#[derive(serde::Serialize, SecretFree)]
#[serde(rename_all = "snake_case")]
enum RecordingStatus {
    Recording,
    Sealed,
    Purged,
}

#[derive(serde::Serialize, ApiDto)]
#[key_model(also(ExportDto, AuditDto))]
struct SshSessionRecord {
    session_id: String,
    tenant: TenantId,
    status: RecordingStatus,
    started_at: Timestamp,
    bytes: u64,
    encryption_key_ref: KeyRef,
}

fn main() {
    let record = SshSessionRecord {
        session_id: "sess_01HZX4".into(),
        tenant: "acme".parse().unwrap(),
        status: RecordingStatus::Sealed,
        started_at: Timestamp::from_unix_seconds(1_764_400_000),
        bytes: 4096,
        encryption_key_ref: "tenants/acme/keys/ssh-session-recording/versions/3"
            .parse()
            .unwrap(),
    };
    let json = String::from_utf8(key_model::sink::api_json(&record).unwrap()).unwrap();
    assert_eq!(
        json,
        r#"{"session_id":"sess_01HZX4","tenant":"acme","status":"sealed","started_at":1764400000,"bytes":4096,"encryption_key_ref":"tenants/acme/keys/ssh-session-recording/versions/3"}"#
    );
    let mut export = key_model::sink::JsonLinesWriter::new(Vec::new());
    export.write(&record).unwrap();
    let mut audit = key_model::sink::AuditWriter::new(Vec::new());
    audit
        .write(&record.tenant, record.started_at, &record)
        .unwrap();
    let _ = (RecordingStatus::Recording, RecordingStatus::Purged);
}
