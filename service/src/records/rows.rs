//! The records as the columns the backends store, and back: every value
//! read is checked (a corrupt row is a clear error, never a panic nor a
//! record of another tenant).

use key_model::{KeyRef, TenantId, Timestamp};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{RecordsError, Result, is_session_id};
use crate::dto::{AuditEntry, AuditEvent, SshSessionRecord};

/// An SSH session record as its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// `session_id`.
    pub session_id: String,
    /// `tenant`.
    pub tenant: String,
    /// `status`, as its JSON name.
    pub status: String,
    /// `started_at`, seconds since the epoch.
    pub started_at: i64,
    /// `bytes`.
    pub bytes: i64,
    /// `encryption_key_ref`.
    pub key_ref: String,
}

/// An audit entry as its columns (its number is the database's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// `at`, seconds since the epoch.
    pub at: i64,
    /// `tenant`.
    pub tenant: String,
    /// `action`, as its JSON name.
    pub action: String,
    /// `actor`, as its JSON name.
    pub actor: String,
    /// `key_ref`, if any.
    pub key_ref: Option<String>,
    /// `session_id`, if any.
    pub session_id: Option<String>,
}

pub(super) fn session_row(record: &SshSessionRecord) -> Result<SessionRow> {
    Ok(SessionRow {
        session_id: record.session_id.clone(),
        tenant: record.tenant.to_string(),
        status: enum_text(&record.status)?,
        started_at: seconds(record.started_at)?,
        bytes: i64::try_from(record.bytes)
            .map_err(|_| RecordsError::corrupt("a recording's length does not fit the schema"))?,
        key_ref: record.encryption_key_ref.to_string(),
    })
}

/// A record from its columns, checked: the id is one the service makes,
/// the row is `tenant`'s, and its key reference names a key of `tenant`.
pub(super) fn session_from_row(tenant: &TenantId, row: &SessionRow) -> Result<SshSessionRecord> {
    let bad = |_| RecordsError::corrupt("a session row holds a value the service does not accept");
    if !is_session_id(&row.session_id) || row.tenant != tenant.as_str() {
        return Err(RecordsError::corrupt(
            "a session row's id or tenant is malformed",
        ));
    }
    let key_ref: KeyRef = row.key_ref.parse().map_err(bad)?;
    if key_ref.tenant() != tenant {
        return Err(RecordsError::corrupt(
            "a session row's key reference names another tenant",
        ));
    }
    Ok(SshSessionRecord {
        session_id: row.session_id.clone(),
        tenant: tenant.clone(),
        status: enum_from(&row.status)?,
        started_at: timestamp(row.started_at)?,
        bytes: u64::try_from(row.bytes)
            .map_err(|_| RecordsError::corrupt("a session row's length is negative"))?,
        encryption_key_ref: key_ref,
    })
}

pub(super) fn audit_row(tenant: &TenantId, at: Timestamp, event: &AuditEvent) -> Result<AuditRow> {
    Ok(AuditRow {
        at: seconds(at)?,
        tenant: tenant.to_string(),
        action: enum_text(&event.action)?,
        actor: enum_text(&event.actor)?,
        key_ref: event.key_ref.as_ref().map(ToString::to_string),
        session_id: event.session_id.clone(),
    })
}

pub(super) fn audit_from_row(tenant: &TenantId, seq: u64, row: &AuditRow) -> Result<AuditEntry> {
    let bad = |_| RecordsError::corrupt("an audit row holds a value the service does not accept");
    if row.tenant != tenant.as_str() {
        return Err(RecordsError::corrupt("an audit row's tenant is malformed"));
    }
    let key_ref: Option<KeyRef> = row
        .key_ref
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(bad)?;
    if key_ref.as_ref().is_some_and(|k| k.tenant() != tenant)
        || row.session_id.as_deref().is_some_and(|s| !is_session_id(s))
    {
        return Err(RecordsError::corrupt(
            "an audit row names another tenant's key or a malformed session",
        ));
    }
    Ok(AuditEntry {
        seq,
        at: timestamp(row.at)?,
        tenant: tenant.clone(),
        event: AuditEvent {
            action: enum_from(&row.action)?,
            actor: enum_from(&row.actor)?,
            key_ref,
            session_id: row.session_id.clone(),
        },
    })
}

/// An enum's JSON name (`snake_case`), as stored.
fn enum_text<T: Serialize>(value: &T) -> Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(RecordsError::corrupt("a value has no stored name")),
    }
}

/// The enum a stored name names; an unknown name is a corrupt row.
fn enum_from<T: DeserializeOwned>(name: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).map_err(|_| {
        RecordsError::corrupt("a row names a status, action or actor the service does not know")
    })
}

pub(super) fn seconds(t: Timestamp) -> Result<i64> {
    i64::try_from(t.unix_seconds())
        .map_err(|_| RecordsError::corrupt("a time does not fit the schema"))
}

pub(super) fn timestamp(secs: i64) -> Result<Timestamp> {
    u64::try_from(secs)
        .map(Timestamp::from_unix_seconds)
        .map_err(|_| RecordsError::corrupt("a row holds a time before 1970"))
}
