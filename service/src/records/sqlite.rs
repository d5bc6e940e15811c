//! The records in one SQLite file (`DIR/records.sqlite3`), the embedded
//! default: WAL mode with `synchronous = FULL` (a committed change survives
//! a crash or a power cut, and the `operator` commands of another process
//! read and write the file while the service runs), STRICT tables (a value
//! of the wrong type is refused on write, not found on read), one
//! transaction per change, and migrations by `PRAGMA user_version` (a file
//! written by a newer version of the service is refused untouched).

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use key_model::{TenantId, Timestamp};
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};

use super::{
    AuditRow, PortalSessionRow, RecordStore, RecordsError, RecordsErrorKind, Result, SecretHash,
    SessionRow,
};

/// How long a writer waits for another process's transaction (an
/// `operator` command) before it reports the file busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The migrations, in order: migration `n` (from 1) takes the file from
/// `user_version` `n - 1` to `n`, in the transaction that sets it.
const MIGRATIONS: [&str; 1] = [
    // 1: tenants, SSH sessions with their recordings, the audit log, portal
    // sessions. `AUTOINCREMENT`: an audit number is never reused, not even
    // after the newest entry is deleted.
    "CREATE TABLE tenants (
        tenant     TEXT    PRIMARY KEY,
        token_hash BLOB    NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE ssh_sessions (
        n          INTEGER PRIMARY KEY,
        session_id TEXT    NOT NULL UNIQUE,
        tenant     TEXT    NOT NULL,
        status     TEXT    NOT NULL,
        started_at INTEGER NOT NULL,
        bytes      INTEGER NOT NULL,
        key_ref    TEXT    NOT NULL,
        recording  BLOB    NOT NULL
    ) STRICT;
    CREATE INDEX ssh_sessions_by_tenant ON ssh_sessions (tenant, n);
    CREATE TABLE audit (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        at         INTEGER NOT NULL,
        tenant     TEXT    NOT NULL,
        action     TEXT    NOT NULL,
        actor      TEXT    NOT NULL,
        key_ref    TEXT,
        session_id TEXT
    ) STRICT;
    CREATE INDEX audit_by_tenant ON audit (tenant, seq);
    CREATE TABLE portal_sessions (
        id_hash    BLOB    PRIMARY KEY,
        tenant     TEXT    NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL
    ) STRICT;",
];

/// The newest schema this version writes.
#[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // a few migrations
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The records in a SQLite file.
#[derive(Debug)]
pub struct SqliteRecords {
    /// One connection: SQLite has one writer at a time anyway, and reads
    /// are short.
    connection: Mutex<Connection>,
}

/// A failure of SQLite, as a fixed text: a busy file says so (another
/// process holds it), anything else says which step failed.
fn failed(detail: &'static str) -> impl Fn(rusqlite::Error) -> RecordsError {
    move |e| {
        let busy = matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        RecordsError::unavailable(if busy {
            "the records file is locked by another writer"
        } else {
            detail
        })
    }
}

/// A row whose columns are not the types the schema says: only a file
/// edited behind the service's back.
fn read_failed(e: rusqlite::Error) -> RecordsError {
    match e {
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => {
            RecordsError::corrupt("a records row holds a value of the wrong type")
        }
        other => failed("reading the records failed")(other),
    }
}

impl SqliteRecords {
    /// Opens (or creates) the file at `path` and brings its schema up to
    /// date.
    pub fn open(path: &Path) -> Result<SqliteRecords> {
        let mut connection =
            Connection::open(path).map_err(failed("cannot open the records file"))?;
        connection
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(failed("cannot configure the records file"))?;
        let mode: String = connection
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(failed("cannot put the records file in WAL mode"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(RecordsError::unavailable(
                "the records file refused WAL mode",
            ));
        }
        connection
            .execute_batch("PRAGMA synchronous = FULL;")
            .map_err(failed("cannot configure the records file"))?;
        migrate(&mut connection)?;
        Ok(SqliteRecords {
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves no half-written change (an
        // open transaction rolls back when dropped): the connection is
        // still good.
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

fn migrate(connection: &mut Connection) -> Result<()> {
    let fail = failed("cannot migrate the records schema");
    let tx = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&fail)?;
    let found: i64 = tx
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(&fail)?;
    if found > SCHEMA_VERSION {
        return Err(RecordsError {
            kind: RecordsErrorKind::NewerSchema,
            detail: "the records file has a newer schema than this version of the service reads",
        });
    }
    let start = usize::try_from(found)
        .map_err(|_| RecordsError::corrupt("the records file's schema version is negative"))?;
    for migration in &MIGRATIONS[start..] {
        tx.execute_batch(migration).map_err(|_| {
            RecordsError::corrupt("the records file holds tables but not the service's schema")
        })?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(&fail)?;
    tx.commit().map_err(&fail)
}

/// `LIMIT` and `OFFSET` as SQLite takes them (`-1`: no limit).
fn window(offset: u64, limit: Option<u64>) -> (i64, i64) {
    let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    (limit.map_or(-1, clamp), clamp(offset))
}

const SESSION_COLUMNS: &str = "session_id, tenant, status, started_at, bytes, key_ref";

fn session_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        session_id: row.get(0)?,
        tenant: row.get(1)?,
        status: row.get(2)?,
        started_at: row.get(3)?,
        bytes: row.get(4)?,
        key_ref: row.get(5)?,
    })
}

fn insert_audit(tx: &Connection, audit: &AuditRow) -> rusqlite::Result<i64> {
    tx.query_row(
        "INSERT INTO audit (at, tenant, action, actor, key_ref, session_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING seq",
        params![
            audit.at,
            audit.tenant,
            audit.action,
            audit.actor,
            audit.key_ref,
            audit.session_id
        ],
        |row| row.get(0),
    )
}

fn seq_of(seq: i64) -> Result<u64> {
    u64::try_from(seq).map_err(|_| RecordsError::corrupt("an audit number is negative"))
}

impl RecordStore for SqliteRecords {
    fn put_tenant(&self, tenant: &TenantId, token_hash: &SecretHash, replace: bool) -> Result<()> {
        let conn = self.lock();
        let now = super::rows::seconds(Timestamp::now())?;
        let sql = if replace {
            "INSERT INTO tenants (tenant, token_hash, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (tenant) DO UPDATE SET token_hash = excluded.token_hash"
        } else {
            "INSERT INTO tenants (tenant, token_hash, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (tenant) DO NOTHING"
        };
        let written = conn
            .execute(sql, params![tenant.as_str(), &token_hash[..], now])
            .map_err(failed("writing a tenant failed"))?;
        if written == 0 {
            return Err(RecordsError {
                kind: RecordsErrorKind::Exists,
                detail: "the tenant exists",
            });
        }
        Ok(())
    }

    fn tenant_by_token(&self, token_hash: &SecretHash) -> Result<Option<(String, Vec<u8>)>> {
        self.lock()
            .query_row(
                "SELECT tenant, token_hash FROM tenants WHERE token_hash = ?1",
                [&token_hash[..]],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(read_failed)
    }

    fn tenant_names(&self) -> Result<Vec<String>> {
        let conn = self.lock();
        let mut statement = conn
            .prepare("SELECT tenant FROM tenants ORDER BY tenant")
            .map_err(read_failed)?;
        statement
            .query_map([], |row| row.get(0))
            .map_err(read_failed)?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(read_failed)
    }

    fn insert_session(
        &self,
        record: &SessionRow,
        recording: &[u8],
        audit: &AuditRow,
    ) -> Result<u64> {
        let mut conn = self.lock();
        let fail = failed("storing a session record failed");
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&fail)?;
        tx.execute(
            "INSERT INTO ssh_sessions (session_id, tenant, status, started_at, bytes, key_ref, recording)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                record.session_id,
                record.tenant,
                record.status,
                record.started_at,
                record.bytes,
                record.key_ref,
                recording
            ],
        )
        .map_err(&fail)?;
        let seq = insert_audit(&tx, audit).map_err(&fail)?;
        tx.commit().map_err(&fail)?;
        seq_of(seq)
    }

    fn session_rows(
        &self,
        tenant: &TenantId,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Vec<SessionRow>> {
        let conn = self.lock();
        let (limit, offset) = window(offset, limit);
        let mut statement = conn
            .prepare(&format!(
                "SELECT {SESSION_COLUMNS} FROM ssh_sessions WHERE tenant = ?1
                 ORDER BY n DESC LIMIT ?2 OFFSET ?3"
            ))
            .map_err(read_failed)?;
        statement
            .query_map(params![tenant.as_str(), limit, offset], session_from)
            .map_err(read_failed)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(read_failed)
    }

    fn session_row(&self, tenant: &TenantId, session_id: &str) -> Result<Option<SessionRow>> {
        self.lock()
            .query_row(
                &format!(
                    "SELECT {SESSION_COLUMNS} FROM ssh_sessions WHERE tenant = ?1 AND session_id = ?2"
                ),
                params![tenant.as_str(), session_id],
                session_from,
            )
            .optional()
            .map_err(read_failed)
    }

    fn recording(&self, tenant: &TenantId, session_id: &str) -> Result<Option<Vec<u8>>> {
        self.lock()
            .query_row(
                "SELECT recording FROM ssh_sessions WHERE tenant = ?1 AND session_id = ?2",
                params![tenant.as_str(), session_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(read_failed)
    }

    fn append_audit(&self, audit: &AuditRow) -> Result<u64> {
        // One statement: SQLite runs it in a transaction of its own.
        let seq = insert_audit(&self.lock(), audit)
            .map_err(failed("appending to the audit log failed"))?;
        seq_of(seq)
    }

    fn audit_rows(
        &self,
        tenant: &TenantId,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Vec<(u64, AuditRow)>> {
        let conn = self.lock();
        let (limit, offset) = window(offset, limit);
        let mut statement = conn
            .prepare(
                "SELECT seq, at, tenant, action, actor, key_ref, session_id FROM audit
                 WHERE tenant = ?1 ORDER BY seq DESC LIMIT ?2 OFFSET ?3",
            )
            .map_err(read_failed)?;
        let rows = statement
            .query_map(params![tenant.as_str(), limit, offset], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    AuditRow {
                        at: row.get(1)?,
                        tenant: row.get(2)?,
                        action: row.get(3)?,
                        actor: row.get(4)?,
                        key_ref: row.get(5)?,
                        session_id: row.get(6)?,
                    },
                ))
            })
            .map_err(read_failed)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(read_failed)?;
        rows.into_iter()
            .map(|(seq, row)| Ok((seq_of(seq)?, row)))
            .collect()
    }

    fn put_portal_session(
        &self,
        id_hash: &SecretHash,
        tenant: &TenantId,
        now: Timestamp,
        created_before: Timestamp,
        seen_before: Timestamp,
    ) -> Result<()> {
        let mut conn = self.lock();
        let fail = failed("starting a portal session failed");
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&fail)?;
        tx.execute(
            "DELETE FROM portal_sessions WHERE created_at < ?1 OR last_seen < ?2",
            params![
                super::rows::seconds(created_before)?,
                super::rows::seconds(seen_before)?
            ],
        )
        .map_err(&fail)?;
        let now = super::rows::seconds(now)?;
        tx.execute(
            "INSERT INTO portal_sessions (id_hash, tenant, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
            params![&id_hash[..], tenant.as_str(), now],
        )
        .map_err(&fail)?;
        tx.commit().map_err(&fail)
    }

    fn portal_session(&self, id_hash: &SecretHash) -> Result<Option<PortalSessionRow>> {
        self.lock()
            .query_row(
                "SELECT tenant, created_at, last_seen, id_hash FROM portal_sessions WHERE id_hash = ?1",
                [&id_hash[..]],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()
            .map_err(read_failed)
    }

    fn touch_portal_session(&self, id_hash: &SecretHash, now: Timestamp) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE portal_sessions SET last_seen = max(last_seen, ?2) WHERE id_hash = ?1",
                params![&id_hash[..], super::rows::seconds(now)?],
            )
            .map(drop)
            .map_err(failed("marking a portal session used failed"))
    }

    fn delete_portal_session(&self, id_hash: &SecretHash) -> Result<()> {
        self.lock()
            .execute(
                "DELETE FROM portal_sessions WHERE id_hash = ?1",
                [&id_hash[..]],
            )
            .map(drop)
            .map_err(failed("ending a portal session failed"))
    }
}
