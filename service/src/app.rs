//! The service's shared state, one `Arc` handed to every handler (axum's
//! `State`): the key ring, the records (the portal's sessions among them,
//! so a session started on one instance works on every other), the clock
//! that ages those sessions, the log.
//! The operations that need both the ring and the records (upload, play
//! back) live here, so the API and the portal do them the same way.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::StatusCode;
use key_model::{
    Envelope, ErrorCode, KeyName, KeyRing, Plaintext, TenantId, TenantScope, Timestamp,
};

use crate::dto::{Actor, AuditAction, AuditEvent, RecordingStatus, SshSessionRecord};
use crate::log::Log;
use crate::problem::{self, Problem};
use crate::records::{Clock, Records, random_text};

/// The largest recording the service accepts, in bytes.
pub const MAX_RECORDING: usize = 1024 * 1024;

/// The purpose of the key that encrypts SSH session recordings.
pub const RECORDING_PURPOSE: &str = "ssh-session-recording";

/// The shared state, as handlers receive it.
pub type SharedApp = Arc<App>;

/// The shared state.
pub struct App {
    /// The tenants' keys, with the key ring's background refresher on.
    pub ring: Arc<KeyRing>,
    /// The service's own records.
    pub records: Records,
    /// The log.
    pub log: Log,
    /// What time it is, for the portal sessions' expiry.
    clock: Clock,
    /// One-time browser sign-in tickets, only in a service started for
    /// tests or the evidence command (`None` in `serve`). In memory: a
    /// ticket is redeemed by the process that minted it, at once.
    tickets: Option<Mutex<HashMap<String, TenantId>>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").finish_non_exhaustive()
    }
}

/// The key name of `tenant`'s recording key.
///
/// # Panics
///
/// Never: a tenant id and the fixed purpose always make a valid name.
pub fn recording_key(tenant: &TenantId) -> KeyName {
    format!("tenants/{tenant}/keys/{RECORDING_PURPOSE}")
        .parse()
        .expect("a tenant id and a fixed purpose make a valid key name")
}

impl App {
    /// The state over `ring` and `records`; `browser_tickets` enables the
    /// one-time sign-in tickets the headless browser uses.
    pub fn new(ring: KeyRing, records: Records, log: Log, browser_tickets: bool) -> App {
        let ring = Arc::new(ring);
        // The ring re-checks a key's store revision once per cache
        // lifetime; the refresher does it ahead, on a thread of its own, so
        // a tokio worker serving a request does not wait on SQLite or
        // PostgreSQL for it. Fail closed is unchanged (an entry the
        // refresher did not renew is checked by the request, as without
        // it); if the thread cannot start, that is what every request does.
        if ring.refresh_in_background().is_err() {
            log.line("warning: keys: background refresher not started");
        }
        App {
            ring,
            records,
            log,
            clock: Clock::system(),
            tickets: browser_tickets.then(Mutex::default),
        }
    }

    /// This state with portal sessions aged by `clock` (a test's manual
    /// clock; the system clock otherwise).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> App {
        self.clock = clock;
        self
    }

    /// The tenant whose admin token is `token`; `None` for no tenant. A
    /// failure to read the records is logged and is the internal problem.
    pub fn tenant_for_token(&self, token: &str) -> Result<Option<TenantId>, Problem> {
        self.records
            .tenant_for_token(token)
            .map_err(|_| self.internal("records: read tenants"))
    }

    /// Starts a portal session for `tenant`, stored in the records; returns
    /// the cookie's value.
    pub fn start_session(&self, tenant: &TenantId) -> Result<String, Problem> {
        self.records
            .start_portal_session(tenant, self.clock.now())
            .map_err(|_| self.internal("records: start portal session"))
    }

    /// The tenant of a live portal session; `None` for an unknown, ended
    /// or expired one (and when the records cannot be read: the portal
    /// then asks to sign in, the safe direction).
    pub fn session_tenant(&self, cookie: &str) -> Option<TenantId> {
        self.records
            .portal_tenant(cookie, self.clock.now())
            .unwrap_or_else(|_| {
                self.internal("records: read portal session");
                None
            })
    }

    /// Ends a portal session: its row is deleted.
    pub fn end_session(&self, cookie: &str) {
        if self.records.end_portal_session(cookie).is_err() {
            self.internal("records: end portal session");
        }
    }

    /// A one-time ticket that signs a browser in as `tenant`, if this
    /// service was started with tickets (tests and the evidence command).
    pub fn mint_ticket(&self, tenant: TenantId) -> Option<String> {
        let tickets = self.tickets.as_ref()?;
        let ticket = random_text(32);
        lock(tickets).insert(ticket.clone(), tenant);
        Some(ticket)
    }

    /// Redeems a ticket: once, then it is gone.
    pub fn redeem_ticket(&self, ticket: &str) -> Option<TenantId> {
        lock(self.tickets.as_ref()?).remove(ticket)
    }

    /// Encrypts `recording` under the tenant's recording key, bound to a
    /// new session id, stores it and its record, and audits the upload.
    pub fn upload(
        &self,
        scope: &TenantScope,
        recording: &[u8],
    ) -> Result<SshSessionRecord, Problem> {
        self.upload_at(scope, recording, Timestamp::now())
    }

    /// [`App::upload`] with the session's start time (the demo data).
    pub fn upload_at(
        &self,
        scope: &TenantScope,
        recording: &[u8],
        started_at: Timestamp,
    ) -> Result<SshSessionRecord, Problem> {
        let tenant = scope.tenant();
        let session_id = format!("sess_{}", random_text(12));
        let envelope = self.ring.encrypt(
            scope,
            &recording_key(tenant),
            recording,
            session_id.as_bytes(),
        )?;
        let record = SshSessionRecord {
            session_id,
            tenant: tenant.clone(),
            status: RecordingStatus::Sealed,
            started_at,
            bytes: recording.len() as u64,
            encryption_key_ref: envelope.key_ref().clone(),
        };
        // The record, its recording and the audit entry of the upload in one
        // transaction: never a recording nobody audited.
        let event = audit_event(AuditAction::RecordingUploaded, Actor::TenantAdmin, &record);
        self.records
            .insert_session(&record, &envelope, event)
            .map_err(|_| self.internal("records: insert session"))?;
        Ok(record)
    }

    /// The tenant's record `session_id` (another tenant's is not found).
    pub fn session(
        &self,
        scope: &TenantScope,
        session_id: &str,
    ) -> Result<SshSessionRecord, Problem> {
        if !crate::records::is_session_id(session_id) {
            return Err(Problem::from(ErrorCode::InvalidIdentifier));
        }
        self.records
            .session(scope.tenant(), session_id)
            .map_err(|_| self.internal("records: read sessions"))?
            .ok_or(problem::NOT_FOUND)
    }

    /// Decrypts a recording for its tenant, and audits the playback.
    pub fn playback(&self, scope: &TenantScope, session_id: &str) -> Result<Plaintext, Problem> {
        let record = self.session(scope, session_id)?;
        let bytes = self
            .records
            .recording(&record)
            .map_err(|_| self.internal("records: read recording"))?;
        // The envelope is the service's own stored data, not the caller's:
        // one that does not parse or does not authenticate is the server's
        // fault (corruption, tampering with the records), so a 500 with the
        // library's code, not its default 400 that blames the request.
        let envelope = Envelope::from_bytes(&bytes)
            .map_err(|e| self.stored_data_failed("records: stored envelope malformed", e.code()))?;
        let plaintext = self
            .ring
            .decrypt(scope, &envelope, record.session_id.as_bytes())
            .map_err(|e| match e.code() {
                code @ (ErrorCode::DecryptionFailed | ErrorCode::MalformedEnvelope) => {
                    self.stored_data_failed("records: stored recording does not decrypt", code)
                }
                _ => Problem::from(e),
            })?;
        // Audited before the plaintext leaves: a playback whose entry
        // cannot be written is refused.
        let event = audit_event(
            AuditAction::RecordingPlayedBack,
            Actor::TenantAdmin,
            &record,
        );
        self.records
            .audit(scope.tenant(), event)
            .map_err(|_| self.internal("records: append audit"))?;
        Ok(plaintext)
    }

    /// Logs that the service's own stored data failed (a fixed text) and
    /// gives the caller a 500 with the library's `code`.
    fn stored_data_failed(&self, what: &'static str, code: ErrorCode) -> Problem {
        self.log.line(&format!("error: {what}"));
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, code)
    }

    /// Logs what failed (a fixed text naming the step) and gives the
    /// caller the fixed internal problem.
    pub fn internal(&self, what: &'static str) -> Problem {
        self.log.line(&format!("error: {what}"));
        problem::INTERNAL
    }
}

/// An audit event naming the record's key reference and id.
fn audit_event(action: AuditAction, actor: Actor, record: &SshSessionRecord) -> AuditEvent {
    AuditEvent {
        action,
        actor,
        key_ref: Some(record.encryption_key_ref.clone()),
        session_id: Some(record.session_id.clone()),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
