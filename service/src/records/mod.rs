//! The service's own records: the tenants and their admin tokens, the SSH
//! session records with their encrypted recordings (key-model envelopes),
//! the audit log, and the portal's sign-in sessions. Tenant keys are not
//! here: they are key-model's (`keys.rs`).
//!
//! One plug point, [`RecordStore`], and one file per backend:
//! [`sqlite::SqliteRecords`] (the embedded default, `DIR/records.sqlite3`)
//! and [`postgres::PostgresRecords`] (`--database postgres://...`, shared by
//! several instances, beside key-model's `PostgresKeyStore`). Both keep
//! everything in the database, the recordings too, so a backup of it is the
//! whole of the service's state; every change is one transaction, so a crash
//! loses none of it half-way; audit numbers and pages come from SQL.
//!
//! Tokens and portal session ids are stored as their SHA-256, never as
//! themselves: a copy of the database (a backup, a dump, a replica) then
//! holds no credential that signs anyone in. Both are 32 characters of
//! `[0-9a-z]` from the operating system (165 bits), so an unsalted hash is
//! enough: there is nothing to guess that a salt or a slow hash would
//! protect. A lookup is by the hash (an index), and the hash found is
//! compared again in constant time.
//!
//! This file is the façade the rest of the service calls ([`Records`]):
//! it makes tokens, checks rows, decides session expiry and pages; the
//! backends only read and write columns.

pub mod postgres;
mod rows;
pub mod sessions;
pub mod sqlite;

use std::fmt;
use std::path::Path;

use key_model::{Envelope, TenantId, Timestamp};
use sha2::{Digest as _, Sha256};

use crate::dto::{AuditEntry, AuditEvent, SshSessionRecord};
pub use rows::{AuditRow, SessionRow};
use rows::{audit_from_row, audit_row, session_from_row, session_row, timestamp};
pub use sessions::{Clock, SessionPolicy};

/// What went wrong with the records: a kind and a fixed text. It never
/// carries a value read from or written to the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordsError {
    /// What kind of failure.
    pub kind: RecordsErrorKind,
    /// What failed, in words fixed at compile time.
    pub detail: &'static str,
}

/// The kinds of [`RecordsError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordsErrorKind {
    /// The database could not be reached, or a statement failed.
    Unavailable,
    /// A row holds a value the service does not accept.
    Corrupt,
    /// The database was written by a newer version of the service.
    NewerSchema,
    /// The thing to add exists already.
    Exists,
}

impl RecordsError {
    pub(crate) const fn unavailable(detail: &'static str) -> RecordsError {
        RecordsError {
            kind: RecordsErrorKind::Unavailable,
            detail,
        }
    }

    pub(crate) const fn corrupt(detail: &'static str) -> RecordsError {
        RecordsError {
            kind: RecordsErrorKind::Corrupt,
            detail,
        }
    }
}

impl fmt::Display for RecordsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.detail)
    }
}

impl std::error::Error for RecordsError {}

/// A result of the records.
pub type Result<T> = std::result::Result<T, RecordsError>;

/// A page: the items and the offset of the next page, if there is one.
pub type Page<T> = (Vec<T>, Option<u64>);

/// The SHA-256 of a token or a session id: what the database holds.
pub type SecretHash = [u8; 32];

/// A portal session's raw columns: tenant, start and last use (seconds
/// since the epoch), and the stored hash of its id.
pub type PortalSessionRow = (String, i64, i64, Vec<u8>);

/// A portal session as stored: its tenant, when it started, when it was
/// last used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalSession {
    /// The signed-in tenant.
    pub tenant: TenantId,
    /// When the session started.
    pub created_at: Timestamp,
    /// When a request last used it.
    pub last_seen: Timestamp,
}

/// The plug point: where the records are kept. A backend reads and writes
/// columns; the checks, the hashing and the expiry rules are [`Records`]'s.
/// Every method that changes anything is one transaction.
pub trait RecordStore: Send + Sync {
    /// Adds `tenant` with `token_hash`; with `replace`, an existing tenant's
    /// token is replaced, else an existing tenant is an `Exists` error.
    fn put_tenant(&self, tenant: &TenantId, token_hash: &SecretHash, replace: bool) -> Result<()>;
    /// The tenant whose token hashes to `token_hash`, with the stored hash.
    fn tenant_by_token(&self, token_hash: &SecretHash) -> Result<Option<(String, Vec<u8>)>>;
    /// Every tenant, by name.
    fn tenant_names(&self) -> Result<Vec<String>>;
    /// Stores a record, its recording and its audit entry, in one
    /// transaction; returns the entry's number.
    fn insert_session(
        &self,
        record: &SessionRow,
        recording: &[u8],
        audit: &AuditRow,
    ) -> Result<u64>;
    /// `tenant`'s records, newest first, from `offset`, at most `limit`
    /// (`None`: all).
    fn session_rows(
        &self,
        tenant: &TenantId,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Vec<SessionRow>>;
    /// `tenant`'s record `session_id`.
    fn session_row(&self, tenant: &TenantId, session_id: &str) -> Result<Option<SessionRow>>;
    /// The stored envelope of `tenant`'s record `session_id`.
    fn recording(&self, tenant: &TenantId, session_id: &str) -> Result<Option<Vec<u8>>>;
    /// Appends an audit entry; returns its number, which the database
    /// assigns.
    fn append_audit(&self, audit: &AuditRow) -> Result<u64>;
    /// `tenant`'s audit entries, newest first (as [`RecordStore::session_rows`]).
    fn audit_rows(
        &self,
        tenant: &TenantId,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Vec<(u64, AuditRow)>>;
    /// Starts a portal session, and deletes every session whose start is
    /// before `created_before` or whose last use is before `seen_before`
    /// (expired ones), in one transaction.
    fn put_portal_session(
        &self,
        id_hash: &SecretHash,
        tenant: &TenantId,
        now: Timestamp,
        created_before: Timestamp,
        seen_before: Timestamp,
    ) -> Result<()>;
    /// A portal session by the hash of its id: tenant, start, last use
    /// (raw columns) and the stored hash.
    fn portal_session(&self, id_hash: &SecretHash) -> Result<Option<PortalSessionRow>>;
    /// Records that a request used the session at `now`.
    fn touch_portal_session(&self, id_hash: &SecretHash, now: Timestamp) -> Result<()>;
    /// Deletes a portal session (sign-out, or found expired).
    fn delete_portal_session(&self, id_hash: &SecretHash) -> Result<()>;
}

/// The records, on whichever backend.
pub struct Records {
    store: Box<dyn RecordStore>,
    sessions: SessionPolicy,
}

impl fmt::Debug for Records {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Records")
            .field("sessions", &self.sessions)
            .finish_non_exhaustive()
    }
}

impl Records {
    /// The records of data directory `dir` (`DIR/records.sqlite3`), created
    /// empty if need be.
    pub fn open(dir: &Path) -> Result<Records> {
        Ok(Records::on(sqlite::SqliteRecords::open(
            &dir.join("records.sqlite3"),
        )?))
    }

    /// The records in the PostgreSQL database `params` names (a libpq
    /// connection string or `postgres://` URL).
    pub fn connect(params: &str) -> Result<Records> {
        Ok(Records::on(postgres::PostgresRecords::connect(params)?))
    }

    /// The records of `dir`, or of `database` when one is given.
    pub fn open_or_connect(dir: &Path, database: Option<&str>) -> Result<Records> {
        match database {
            Some(params) => Records::connect(params),
            None => Records::open(dir),
        }
    }

    /// The records on `store`, with the default session lifetimes.
    pub fn on(store: impl RecordStore + 'static) -> Records {
        Records {
            store: Box::new(store),
            sessions: SessionPolicy::default(),
        }
    }

    /// These records with portal sessions that expire by `policy`.
    #[must_use]
    pub fn with_session_policy(mut self, policy: SessionPolicy) -> Records {
        self.sessions = policy;
        self
    }

    // ---- tenants ---------------------------------------------------------

    /// Adds `tenant` and returns its new admin token; a tenant that exists
    /// is an `Exists` error (its token cannot be shown again: only its hash
    /// is kept; [`Records::issue_token`] replaces it).
    pub fn add_tenant(&self, tenant: &TenantId) -> Result<String> {
        let token = new_token();
        self.store.put_tenant(tenant, &digest(&token), false)?;
        Ok(token)
    }

    /// Gives `tenant` a new admin token (adding the tenant if need be) and
    /// returns it; the old token stops working.
    pub fn issue_token(&self, tenant: &TenantId) -> Result<String> {
        let token = new_token();
        self.store.put_tenant(tenant, &digest(&token), true)?;
        Ok(token)
    }

    /// The tenant whose admin token is `token`, if any.
    pub fn tenant_for_token(&self, token: &str) -> Result<Option<TenantId>> {
        let hash = digest(token);
        let Some((tenant, stored)) = self.store.tenant_by_token(&hash)? else {
            return Ok(None);
        };
        if !constant_time_eq(&stored, &hash) {
            return Ok(None);
        }
        tenant.parse().map(Some).map_err(|_| corrupt_tenant())
    }

    /// Every tenant.
    pub fn tenants(&self) -> Result<Vec<TenantId>> {
        self.store
            .tenant_names()?
            .iter()
            .map(|t| t.parse().map_err(|_| corrupt_tenant()))
            .collect()
    }

    // ---- SSH sessions ----------------------------------------------------

    /// Stores a record, its encrypted recording and the audit entry of its
    /// upload, in one transaction; returns the entry.
    pub fn insert_session(
        &self,
        record: &SshSessionRecord,
        recording: &Envelope,
        event: AuditEvent,
    ) -> Result<AuditEntry> {
        let at = Timestamp::now();
        let row = session_row(record)?;
        let audit = audit_row(&record.tenant, at, &event)?;
        let seq = self
            .store
            .insert_session(&row, recording.as_bytes(), &audit)?;
        Ok(AuditEntry {
            seq,
            at,
            tenant: record.tenant.clone(),
            event,
        })
    }

    /// One page of `tenant`'s records, newest first.
    pub fn sessions(
        &self,
        tenant: &TenantId,
        offset: u64,
        limit: u64,
    ) -> Result<Page<SshSessionRecord>> {
        // One more than asked: whether there is a next page, without a count.
        let rows = self
            .store
            .session_rows(tenant, offset, Some(limit.saturating_add(1)))?;
        let records = rows
            .iter()
            .map(|r| session_from_row(tenant, r))
            .collect::<Result<Vec<_>>>()?;
        Ok(page(records, offset, limit))
    }

    /// All of `tenant`'s records, newest first (the exports).
    pub fn all_sessions(&self, tenant: &TenantId) -> Result<Vec<SshSessionRecord>> {
        self.store
            .session_rows(tenant, 0, None)?
            .iter()
            .map(|r| session_from_row(tenant, r))
            .collect()
    }

    /// `tenant`'s record `session_id`; another tenant's is `None`, as a
    /// missing one.
    pub fn session(&self, tenant: &TenantId, session_id: &str) -> Result<Option<SshSessionRecord>> {
        self.store
            .session_row(tenant, session_id)?
            .map(|r| session_from_row(tenant, &r))
            .transpose()
    }

    /// The stored envelope of a record's recording.
    pub fn recording(&self, record: &SshSessionRecord) -> Result<Vec<u8>> {
        self.store
            .recording(&record.tenant, &record.session_id)?
            .ok_or(RecordsError::corrupt("a session record has no recording"))
    }

    // ---- audit -----------------------------------------------------------

    /// Appends an audit entry for `tenant`, numbered by the database.
    pub fn audit(&self, tenant: &TenantId, event: AuditEvent) -> Result<AuditEntry> {
        let at = Timestamp::now();
        let seq = self.store.append_audit(&audit_row(tenant, at, &event)?)?;
        Ok(AuditEntry {
            seq,
            at,
            tenant: tenant.clone(),
            event,
        })
    }

    /// One page of `tenant`'s audit log, newest first.
    pub fn audit_page(
        &self,
        tenant: &TenantId,
        offset: u64,
        limit: u64,
    ) -> Result<Page<AuditEntry>> {
        let rows = self
            .store
            .audit_rows(tenant, offset, Some(limit.saturating_add(1)))?;
        let entries = rows
            .into_iter()
            .map(|(seq, r)| audit_from_row(tenant, seq, &r))
            .collect::<Result<Vec<_>>>()?;
        Ok(page(entries, offset, limit))
    }

    /// `tenant`'s whole audit log, newest first (the export).
    pub fn all_audit(&self, tenant: &TenantId) -> Result<Vec<AuditEntry>> {
        self.store
            .audit_rows(tenant, 0, None)?
            .into_iter()
            .map(|(seq, r)| audit_from_row(tenant, seq, &r))
            .collect()
    }

    // ---- portal sessions -------------------------------------------------

    /// Starts a portal session for `tenant` at `now`; returns its id (the
    /// cookie's value). Expired sessions are deleted on the way.
    pub fn start_portal_session(&self, tenant: &TenantId, now: Timestamp) -> Result<String> {
        let id = random_text(32);
        let (created_before, seen_before) = self.sessions.cutoffs(now);
        self.store
            .put_portal_session(&digest(&id), tenant, now, created_before, seen_before)?;
        Ok(id)
    }

    /// The tenant of portal session `id` at `now`: `None` if there is no
    /// such session or it has expired (and then it is deleted). A live one
    /// is marked used at `now`.
    pub fn portal_tenant(&self, id: &str, now: Timestamp) -> Result<Option<TenantId>> {
        let hash = digest(id);
        let Some((tenant, created_at, last_seen, stored)) = self.store.portal_session(&hash)?
        else {
            return Ok(None);
        };
        if !constant_time_eq(&stored, &hash) {
            return Ok(None);
        }
        let session = PortalSession {
            tenant: tenant.parse().map_err(|_| corrupt_tenant())?,
            created_at: timestamp(created_at)?,
            last_seen: timestamp(last_seen)?,
        };
        if self.sessions.expired(&session, now) {
            self.store.delete_portal_session(&hash)?;
            return Ok(None);
        }
        if now > session.last_seen {
            self.store.touch_portal_session(&hash, now)?;
        }
        Ok(Some(session.tenant))
    }

    /// Ends portal session `id`: its row is deleted.
    pub fn end_portal_session(&self, id: &str) -> Result<()> {
        self.store.delete_portal_session(&digest(id))
    }
}

fn corrupt_tenant() -> RecordsError {
    RecordsError::corrupt("a row's tenant id is malformed")
}

/// The first `limit` of `rows` (which may hold one more, the sign of a
/// next page) and the next page's offset.
fn page<T>(mut rows: Vec<T>, offset: u64, limit: u64) -> Page<T> {
    let more = u64::try_from(rows.len()).unwrap_or(u64::MAX) > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    (rows, more.then(|| offset.saturating_add(limit)))
}

// ---- secrets -------------------------------------------------------------

fn new_token() -> String {
    format!("kmt_{}", random_text(32))
}

/// The SHA-256 of a token or a session id.
pub fn digest(secret: &str) -> SecretHash {
    Sha256::digest(secret.as_bytes()).into()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `n` random characters of `[0-9a-z]`, from the operating system.
///
/// # Panics
///
/// If the operating system's random source fails: nothing the service
/// makes (a token, a session id) may fall back to a guessable value.
pub fn random_text(n: usize) -> String {
    const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    // 252 = 7 * 36: bytes above it are redrawn, so every character is
    // equally likely.
    bytes
        .iter_mut()
        .map(|b| {
            while *b >= 252 {
                let mut one = [0u8; 1];
                getrandom::fill(&mut one).expect("the operating system's random source failed");
                *b = one[0];
            }
            char::from(ALPHABET[usize::from(*b % 36)])
        })
        .collect()
}

/// Whether `text` is a session id the service makes: `sess_` and 12
/// characters of `[0-9a-z]`.
pub fn is_session_id(text: &str) -> bool {
    text.strip_prefix("sess_").is_some_and(|rest| {
        rest.len() == 12
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    })
}
