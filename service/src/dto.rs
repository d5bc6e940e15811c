//! The types that leave the service: API bodies, export rows, audit lines.
//! Each derives its boundary kind (`ApiDto`, `ExportDto`, `AuditDto`), so a
//! field that could hold key material does not build (G2, G3), and
//! `ToSchema`, so `/api/openapi.json` documents exactly these fields. A
//! key-model type (`TenantId`, `KeyRef`, `Timestamp`) brings its own schema
//! (key-model's `utoipa` feature: the parser's pattern, a real example).

use key_model::{ApiDto, KeyRef, SecretFree, TenantId, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a recording is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, SecretFree, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordingStatus {
    /// The session is still being recorded.
    Recording,
    /// The recording is complete and stored encrypted.
    Sealed,
    /// The recording was deleted; the record stays.
    Purged,
}

/// One SSH session's record: the shape of docs/vn-12.md, "The SSH session
/// record". It names the key version that encrypted the recording and
/// never carries ciphertext, plaintext or key material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ApiDto, ToSchema)]
#[key_model(also(ExportDto))]
pub struct SshSessionRecord {
    /// The session's identifier, `sess_` and 12 characters of `[0-9a-z]`.
    #[schema(example = "sess_01hzx4ab9c2d")]
    pub session_id: String,
    /// The tenant the session belongs to.
    pub tenant: TenantId,
    /// Where the recording is in its life.
    pub status: RecordingStatus,
    /// When the session started, in seconds since 1970-01-01T00:00:00Z.
    pub started_at: Timestamp,
    /// The length of the recording in bytes (its plaintext).
    pub bytes: u64,
    /// The key version that encrypted the recording: a reference, never
    /// the key.
    pub encryption_key_ref: KeyRef,
}

/// A page of SSH session records, newest first.
#[derive(Debug, Serialize, ApiDto, ToSchema)]
pub struct SshSessionPage {
    /// The records of this page.
    pub items: Vec<SshSessionRecord>,
    /// The `offset` of the next page, absent on the last one.
    pub next_offset: Option<u64>,
}

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, SecretFree, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A key was created (version 1).
    KeyCreated,
    /// A key got a new primary version.
    KeyRotated,
    /// A key version was disabled.
    KeyDisabled,
    /// A key version was enabled again.
    KeyEnabled,
    /// A key version was scheduled for destruction.
    KeyDestructionScheduled,
    /// A scheduled destruction was cancelled.
    KeyRestored,
    /// A key version's material was destroyed.
    KeyDestroyed,
    /// A recording was uploaded and encrypted.
    RecordingUploaded,
    /// A recording was decrypted and played back.
    RecordingPlayedBack,
}

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, SecretFree, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The platform's operators (`key-model-service operator ...`).
    Platform,
    /// The tenant's admin, through the API or the portal.
    TenantAdmin,
}

/// What happened, naming key references only: the body of an audit line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ApiDto, ToSchema)]
#[key_model(also(AuditDto))]
pub struct AuditEvent {
    /// What happened.
    pub action: AuditAction,
    /// Who did it.
    pub actor: Actor,
    /// The key version concerned, if any.
    pub key_ref: Option<KeyRef>,
    /// The SSH session concerned, if any.
    pub session_id: Option<String>,
}

/// One entry of a tenant's audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ApiDto, ToSchema)]
pub struct AuditEntry {
    /// The entry's number in the platform's log, increasing.
    pub seq: u64,
    /// When it happened, in seconds since 1970-01-01T00:00:00Z.
    pub at: Timestamp,
    /// The tenant concerned.
    pub tenant: TenantId,
    /// What happened.
    #[serde(flatten)]
    pub event: AuditEvent,
}

/// A page of audit entries, newest first.
#[derive(Debug, Serialize, ApiDto, ToSchema)]
pub struct AuditPage {
    /// The entries of this page.
    pub items: Vec<AuditEntry>,
    /// The `offset` of the next page, absent on the last one.
    pub next_offset: Option<u64>,
}
