//! The service's own records under the data directory: SSH session records
//! (`sessions.jsonl`), their encrypted recordings (`recordings/ID.env`,
//! key-model envelopes), the audit log (`audit.jsonl`) and the tenants with
//! their admin tokens (`tenants.json`, mode 0600).
//!
//! STAND-IN: JSON-lines files, read whole on every query, so that lines
//! appended by an `operator` command in another process show at once. The
//! keys are already in `SQLite` (`keys.rs`); a `SQLite` file for these
//! records (rusqlite, which key-model's `store-sqlite` already builds) is
//! the next step, behind the same methods: nothing outside this file reads
//! the files.

use std::fs;
use std::io::{self, BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use key_model::{Envelope, TenantId, Timestamp};
use serde::{Deserialize, Serialize};

use crate::dto::{AuditEntry, AuditEvent, SshSessionRecord};

/// The records of one data directory.
#[derive(Debug)]
pub struct Records {
    dir: PathBuf,
    /// Serializes writers in this process, so each line is whole and each
    /// audit number is computed from the latest file.
    writes: Mutex<()>,
}

#[derive(Serialize, Deserialize)]
struct TenantToken {
    tenant: TenantId,
    token: String,
}

/// A page: the items and the offset of the next page, if there is one.
pub type Page<T> = (Vec<T>, Option<u64>);

impl Records {
    /// The records of `dir`, created empty if need be.
    pub fn open(dir: &Path) -> io::Result<Records> {
        fs::create_dir_all(dir.join("recordings"))?;
        Ok(Records {
            dir: dir.to_path_buf(),
            writes: Mutex::new(()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.writes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    // ---- tenants ---------------------------------------------------------

    /// Adds `tenant` with a fresh admin token and returns the token; a
    /// tenant that exists keeps its token, returned again.
    pub fn add_tenant(&self, tenant: &TenantId) -> io::Result<String> {
        let _w = self.lock();
        let mut tenants = self.read_tenants()?;
        if let Some(t) = tenants.iter().find(|t| &t.tenant == tenant) {
            return Ok(t.token.clone());
        }
        let token = format!("kmt_{}", random_text(32));
        tenants.push(TenantToken {
            tenant: tenant.clone(),
            token: token.clone(),
        });
        let bytes = serde_json::to_vec_pretty(&tenants).map_err(io::Error::other)?;
        write_private(&self.dir.join("tenants.json"), &bytes)?;
        Ok(token)
    }

    /// The tenant whose admin token is `token`. Every stored token is
    /// compared in full, in time that does not depend on where they differ.
    pub fn tenant_for_token(&self, token: &str) -> Option<TenantId> {
        let tenants = self.read_tenants().ok()?;
        let mut found = None;
        for t in tenants {
            if constant_time_eq(t.token.as_bytes(), token.as_bytes()) {
                found = Some(t.tenant);
            }
        }
        found
    }

    /// Every tenant.
    pub fn tenants(&self) -> io::Result<Vec<TenantId>> {
        Ok(self.read_tenants()?.into_iter().map(|t| t.tenant).collect())
    }

    fn read_tenants(&self) -> io::Result<Vec<TenantToken>> {
        match fs::read(self.dir.join("tenants.json")) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(io::Error::other),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    // ---- SSH sessions ----------------------------------------------------

    /// Stores a record and its encrypted recording.
    pub fn insert_session(
        &self,
        record: &SshSessionRecord,
        recording: &Envelope,
    ) -> io::Result<()> {
        let _w = self.lock();
        fs::write(
            self.recording_path(&record.session_id),
            recording.as_bytes(),
        )?;
        append_line(&self.dir.join("sessions.jsonl"), record)
    }

    /// One page of `tenant`'s records, newest first.
    pub fn sessions(
        &self,
        tenant: &TenantId,
        offset: u64,
        limit: u64,
    ) -> io::Result<Page<SshSessionRecord>> {
        Ok(page(self.all_sessions(tenant)?, offset, limit))
    }

    /// All of `tenant`'s records, newest first.
    pub fn all_sessions(&self, tenant: &TenantId) -> io::Result<Vec<SshSessionRecord>> {
        let mut all: Vec<SshSessionRecord> = read_lines(&self.dir.join("sessions.jsonl"))?;
        all.retain(|r| &r.tenant == tenant);
        all.reverse();
        Ok(all)
    }

    /// `tenant`'s record `session_id`; another tenant's is `None`, as a
    /// missing one.
    pub fn session(
        &self,
        tenant: &TenantId,
        session_id: &str,
    ) -> io::Result<Option<SshSessionRecord>> {
        Ok(self
            .all_sessions(tenant)?
            .into_iter()
            .find(|r| r.session_id == session_id))
    }

    /// The stored envelope of a record's recording.
    pub fn recording(&self, record: &SshSessionRecord) -> io::Result<Vec<u8>> {
        fs::read(self.recording_path(&record.session_id))
    }

    fn recording_path(&self, session_id: &str) -> PathBuf {
        // Session ids are checked by `is_session_id` before they get here:
        // `sess_` and [0-9a-z], nothing that walks out of the folder.
        self.dir
            .join("recordings")
            .join(format!("{session_id}.env"))
    }

    // ---- audit -----------------------------------------------------------

    /// Appends an audit entry for `tenant`.
    pub fn audit(&self, tenant: &TenantId, event: AuditEvent) -> io::Result<AuditEntry> {
        let _w = self.lock();
        let path = self.dir.join("audit.jsonl");
        let seq = read_lines::<AuditEntry>(&path)?
            .last()
            .map_or(1, |e| e.seq + 1);
        let entry = AuditEntry {
            seq,
            at: Timestamp::now(),
            tenant: tenant.clone(),
            event,
        };
        append_line(&path, &entry)?;
        Ok(entry)
    }

    /// One page of `tenant`'s audit log, newest first.
    pub fn audit_page(
        &self,
        tenant: &TenantId,
        offset: u64,
        limit: u64,
    ) -> io::Result<Page<AuditEntry>> {
        Ok(page(self.all_audit(tenant)?, offset, limit))
    }

    /// `tenant`'s whole audit log, newest first.
    pub fn all_audit(&self, tenant: &TenantId) -> io::Result<Vec<AuditEntry>> {
        let mut all: Vec<AuditEntry> = read_lines(&self.dir.join("audit.jsonl"))?;
        all.retain(|e| &e.tenant == tenant);
        all.reverse();
        Ok(all)
    }
}

fn page<T>(all: Vec<T>, offset: u64, limit: u64) -> Page<T> {
    let total = all.len() as u64;
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    let items: Vec<T> = all.into_iter().skip(skip).take(take).collect();
    let next = offset.saturating_add(limit);
    (items, (next < total).then_some(next))
}

fn read_lines<T: for<'de> Deserialize<'de>>(path: &Path) -> io::Result<Vec<T>> {
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for line in io::BufReader::new(file).lines() {
        let line = line?;
        if !line.trim().is_empty() {
            out.push(serde_json::from_str(&line).map_err(io::Error::other)?);
        }
    }
    Ok(out)
}

fn append_line<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut line = serde_json::to_vec(value).map_err(io::Error::other)?;
    line.push(b'\n');
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(&line)
}

fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let tmp = path.with_extension("tmp");
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(tmp, path)
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
