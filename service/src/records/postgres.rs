//! The records in PostgreSQL (`--database postgres://...`): the database
//! key-model's `PostgresKeyStore` uses, so several instances serve one
//! platform. Tables are prefixed `service_`, beside key-model's
//! `key_model_*`; `service_schema` holds the schema version, migrations run
//! under an advisory lock (instances starting together take turns), and a
//! database written by a newer version is refused.
//!
//! The blocking `postgres` client drives each connection with a small
//! tokio runtime of its own, which must never start inside another (the
//! service's handlers run on tokio's workers). So, as key-model's store
//! does, every connection lives on a thread of ours and a call hands its
//! work over a channel: callable from any thread, a tokio worker's too.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use key_model::{TenantId, Timestamp};
use postgres::{Client, NoTls, Row, Statement};

use super::{
    AuditRow, PortalSessionRow, RecordStore, RecordsError, RecordsErrorKind, Result, SecretHash,
    SessionRow,
};

/// Migration `n` (from 1) takes the database from version `n - 1` to `n`,
/// in the transaction that records it.
const MIGRATIONS: [&str; 1] = [
    // 1: as the SQLite file's first schema (sqlite.rs).
    "CREATE TABLE service_tenants (
        tenant     text   PRIMARY KEY,
        token_hash bytea  NOT NULL UNIQUE,
        created_at bigint NOT NULL
    );
    CREATE TABLE service_ssh_sessions (
        n          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id text   NOT NULL UNIQUE,
        tenant     text   NOT NULL,
        status     text   NOT NULL,
        started_at bigint NOT NULL,
        bytes      bigint NOT NULL,
        key_ref    text   NOT NULL,
        recording  bytea  NOT NULL
    );
    CREATE INDEX service_ssh_sessions_by_tenant ON service_ssh_sessions (tenant, n);
    CREATE TABLE service_audit (
        seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at         bigint NOT NULL,
        tenant     text   NOT NULL,
        action     text   NOT NULL,
        actor      text   NOT NULL,
        key_ref    text,
        session_id text
    );
    CREATE INDEX service_audit_by_tenant ON service_audit (tenant, seq);
    CREATE TABLE service_portal_sessions (
        id_hash    bytea  PRIMARY KEY,
        tenant     text   NOT NULL,
        created_at bigint NOT NULL,
        last_seen  bigint NOT NULL
    );",
];

/// The newest schema this version writes.
#[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // a few migrations
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// The advisory lock of the service's migrations (not key-model's: "kmsrecs").
const MIGRATION_LOCK: i64 = 0x6b6d_7372_6563_7300;

/// Connections per instance: requests on a few workers do not queue
/// behind each other.
const CONNECTIONS: usize = 4;

const INSERT_AUDIT: &str =
    "INSERT INTO service_audit (at, tenant, action, actor, key_ref, session_id)
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq";

/// The records in a PostgreSQL database.
pub struct PostgresRecords {
    pool: Pool,
}

impl std::fmt::Debug for PostgresRecords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the connection parameters: they may hold a password.
        f.debug_struct("PostgresRecords").finish_non_exhaustive()
    }
}

fn failed(detail: &'static str) -> impl Fn(postgres::Error) -> RecordsError {
    move |_| RecordsError::unavailable(detail)
}

fn bad_row(_: postgres::Error) -> RecordsError {
    RecordsError::corrupt("a records row holds a value of the wrong type")
}

impl PostgresRecords {
    /// Connects to `params` (a libpq connection string or URL, without
    /// TLS: a local socket, 127.0.0.1 or a network you trust) and brings the
    /// schema up to date.
    pub fn connect(params: &str) -> Result<PostgresRecords> {
        let records = PostgresRecords {
            pool: Pool::open(params, CONNECTIONS)?,
        };
        records.pool.run(|conn| migrate(&mut conn.client))?;
        Ok(records)
    }

    /// Runs one prepared statement on a free connection and returns its
    /// rows.
    fn query(
        &self,
        sql: &'static str,
        args: Vec<Box<dyn postgres::types::ToSql + Send + Sync>>,
        detail: &'static str,
    ) -> Result<Vec<Row>> {
        self.pool.run(move |conn| {
            let statement = conn.prepare(sql).map_err(failed(detail))?;
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                args.iter().map(|a| &**a as _).collect();
            conn.client.query(&statement, &refs).map_err(failed(detail))
        })
    }
}

fn migrate(client: &mut Client) -> Result<()> {
    let fail = failed("migrating the records schema failed");
    let mut tx = client.transaction().map_err(&fail)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(&fail)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS service_schema (version integer NOT NULL)")
        .map_err(&fail)?;
    let found: Option<i32> = tx
        .query_one("SELECT max(version) FROM service_schema", &[])
        .and_then(|row| row.try_get(0))
        .map_err(&fail)?;
    let found = found.unwrap_or(0);
    if found > SCHEMA_VERSION {
        return Err(RecordsError {
            kind: RecordsErrorKind::NewerSchema,
            detail: "the records schema is newer than this version of the service reads",
        });
    }
    let start = usize::try_from(found)
        .map_err(|_| RecordsError::corrupt("the records schema version is negative"))?;
    for migration in &MIGRATIONS[start..] {
        tx.batch_execute(migration).map_err(&fail)?;
    }
    if found < SCHEMA_VERSION {
        tx.execute("DELETE FROM service_schema", &[])
            .map_err(&fail)?;
        tx.execute(
            "INSERT INTO service_schema (version) VALUES ($1)",
            &[&SCHEMA_VERSION],
        )
        .map_err(&fail)?;
    }
    tx.commit().map_err(&fail)
}

type Arg = Box<dyn postgres::types::ToSql + Send + Sync>;

fn arg<T: postgres::types::ToSql + Send + Sync + 'static>(value: T) -> Arg {
    Box::new(value)
}

/// `LIMIT` and `OFFSET` as PostgreSQL takes them (`NULL`: no limit).
fn window(offset: u64, limit: Option<u64>) -> (Arg, Arg) {
    let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    (arg(limit.map(clamp)), arg(clamp(offset)))
}

fn session_from(row: &Row) -> Result<SessionRow> {
    Ok(SessionRow {
        session_id: row.try_get(0).map_err(bad_row)?,
        tenant: row.try_get(1).map_err(bad_row)?,
        status: row.try_get(2).map_err(bad_row)?,
        started_at: row.try_get(3).map_err(bad_row)?,
        bytes: row.try_get(4).map_err(bad_row)?,
        key_ref: row.try_get(5).map_err(bad_row)?,
    })
}

fn audit_args(audit: &AuditRow) -> [&(dyn postgres::types::ToSql + Sync); 6] {
    [
        &audit.at,
        &audit.tenant,
        &audit.action,
        &audit.actor,
        &audit.key_ref,
        &audit.session_id,
    ]
}

fn seq_of(row: &Row) -> Result<u64> {
    let seq: i64 = row.try_get(0).map_err(bad_row)?;
    u64::try_from(seq).map_err(|_| RecordsError::corrupt("an audit number is negative"))
}

impl RecordStore for PostgresRecords {
    fn put_tenant(&self, tenant: &TenantId, token_hash: &SecretHash, replace: bool) -> Result<()> {
        let sql = if replace {
            "INSERT INTO service_tenants (tenant, token_hash, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (tenant) DO UPDATE SET token_hash = EXCLUDED.token_hash RETURNING tenant"
        } else {
            "INSERT INTO service_tenants (tenant, token_hash, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (tenant) DO NOTHING RETURNING tenant"
        };
        let now = super::rows::seconds(Timestamp::now())?;
        let rows = self.query(
            sql,
            vec![
                arg(tenant.as_str().to_owned()),
                arg(token_hash.to_vec()),
                arg(now),
            ],
            "writing a tenant failed",
        )?;
        if rows.is_empty() {
            return Err(RecordsError {
                kind: RecordsErrorKind::Exists,
                detail: "the tenant exists",
            });
        }
        Ok(())
    }

    fn tenant_by_token(&self, token_hash: &SecretHash) -> Result<Option<(String, Vec<u8>)>> {
        let rows = self.query(
            "SELECT tenant, token_hash FROM service_tenants WHERE token_hash = $1",
            vec![arg(token_hash.to_vec())],
            "reading the tenants failed",
        )?;
        rows.first()
            .map(|r| {
                Ok((
                    r.try_get(0).map_err(bad_row)?,
                    r.try_get(1).map_err(bad_row)?,
                ))
            })
            .transpose()
    }

    fn tenant_names(&self) -> Result<Vec<String>> {
        self.query(
            "SELECT tenant FROM service_tenants ORDER BY tenant",
            Vec::new(),
            "reading the tenants failed",
        )?
        .iter()
        .map(|r| r.try_get(0).map_err(bad_row))
        .collect()
    }

    fn insert_session(
        &self,
        record: &SessionRow,
        recording: &[u8],
        audit: &AuditRow,
    ) -> Result<u64> {
        let (record, recording, audit) = (record.clone(), recording.to_vec(), audit.clone());
        self.pool.run(move |conn| {
            let fail = failed("storing a session record failed");
            let insert = conn
                .prepare(
                    "INSERT INTO service_ssh_sessions
                     (session_id, tenant, status, started_at, bytes, key_ref, recording)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .map_err(&fail)?;
            let insert_audit = conn.prepare(INSERT_AUDIT).map_err(&fail)?;
            let mut tx = conn.client.transaction().map_err(&fail)?;
            tx.execute(
                &insert,
                &[
                    &record.session_id,
                    &record.tenant,
                    &record.status,
                    &record.started_at,
                    &record.bytes,
                    &record.key_ref,
                    &recording,
                ],
            )
            .map_err(&fail)?;
            let row = tx
                .query_one(&insert_audit, &audit_args(&audit))
                .map_err(&fail)?;
            tx.commit().map_err(&fail)?;
            seq_of(&row)
        })
    }

    fn session_rows(
        &self,
        tenant: &TenantId,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Vec<SessionRow>> {
        let (limit, offset) = window(offset, limit);
        self.query(
            "SELECT session_id, tenant, status, started_at, bytes, key_ref FROM service_ssh_sessions
             WHERE tenant = $1 ORDER BY n DESC LIMIT $2 OFFSET $3",
            vec![arg(tenant.as_str().to_owned()), limit, offset],
            "reading the session records failed",
        )?
        .iter()
        .map(session_from)
        .collect()
    }

    fn session_row(&self, tenant: &TenantId, session_id: &str) -> Result<Option<SessionRow>> {
        self.query(
            "SELECT session_id, tenant, status, started_at, bytes, key_ref FROM service_ssh_sessions
             WHERE tenant = $1 AND session_id = $2",
            vec![arg(tenant.as_str().to_owned()), arg(session_id.to_owned())],
            "reading a session record failed",
        )?
        .first()
        .map(session_from)
        .transpose()
    }

    fn recording(&self, tenant: &TenantId, session_id: &str) -> Result<Option<Vec<u8>>> {
        self.query(
            "SELECT recording FROM service_ssh_sessions WHERE tenant = $1 AND session_id = $2",
            vec![arg(tenant.as_str().to_owned()), arg(session_id.to_owned())],
            "reading a recording failed",
        )?
        .first()
        .map(|r| r.try_get(0).map_err(bad_row))
        .transpose()
    }

    fn append_audit(&self, audit: &AuditRow) -> Result<u64> {
        let audit = audit.clone();
        self.pool.run(move |conn| {
            let fail = failed("appending to the audit log failed");
            let insert = conn.prepare(INSERT_AUDIT).map_err(&fail)?;
            let row = conn
                .client
                .query_one(&insert, &audit_args(&audit))
                .map_err(&fail)?;
            seq_of(&row)
        })
    }

    fn audit_rows(
        &self,
        tenant: &TenantId,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Vec<(u64, AuditRow)>> {
        let (limit, offset) = window(offset, limit);
        self.query(
            "SELECT seq, at, tenant, action, actor, key_ref, session_id FROM service_audit
             WHERE tenant = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3",
            vec![arg(tenant.as_str().to_owned()), limit, offset],
            "reading the audit log failed",
        )?
        .iter()
        .map(|r| {
            Ok((
                seq_of(r)?,
                AuditRow {
                    at: r.try_get(1).map_err(bad_row)?,
                    tenant: r.try_get(2).map_err(bad_row)?,
                    action: r.try_get(3).map_err(bad_row)?,
                    actor: r.try_get(4).map_err(bad_row)?,
                    key_ref: r.try_get(5).map_err(bad_row)?,
                    session_id: r.try_get(6).map_err(bad_row)?,
                },
            ))
        })
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
        let (hash, tenant) = (id_hash.to_vec(), tenant.as_str().to_owned());
        let now = super::rows::seconds(now)?;
        let (created_before, seen_before) = (
            super::rows::seconds(created_before)?,
            super::rows::seconds(seen_before)?,
        );
        self.pool.run(move |conn| {
            let fail = failed("starting a portal session failed");
            let mut tx = conn.client.transaction().map_err(&fail)?;
            tx.execute(
                "DELETE FROM service_portal_sessions WHERE created_at < $1 OR last_seen < $2",
                &[&created_before, &seen_before],
            )
            .map_err(&fail)?;
            tx.execute(
                "INSERT INTO service_portal_sessions (id_hash, tenant, created_at, last_seen)
                 VALUES ($1, $2, $3, $3)",
                &[&hash, &tenant, &now],
            )
            .map_err(&fail)?;
            tx.commit().map_err(&fail)
        })
    }

    fn portal_session(&self, id_hash: &SecretHash) -> Result<Option<PortalSessionRow>> {
        self.query(
            "SELECT tenant, created_at, last_seen, id_hash FROM service_portal_sessions WHERE id_hash = $1",
            vec![arg(id_hash.to_vec())],
            "reading a portal session failed",
        )?
        .first()
        .map(|r| {
            Ok((
                r.try_get(0).map_err(bad_row)?,
                r.try_get(1).map_err(bad_row)?,
                r.try_get(2).map_err(bad_row)?,
                r.try_get(3).map_err(bad_row)?,
            ))
        })
        .transpose()
    }

    fn touch_portal_session(&self, id_hash: &SecretHash, now: Timestamp) -> Result<()> {
        self.query(
            "UPDATE service_portal_sessions SET last_seen = GREATEST(last_seen, $2) WHERE id_hash = $1",
            vec![arg(id_hash.to_vec()), arg(super::rows::seconds(now)?)],
            "marking a portal session used failed",
        )
        .map(drop)
    }

    fn delete_portal_session(&self, id_hash: &SecretHash) -> Result<()> {
        self.query(
            "DELETE FROM service_portal_sessions WHERE id_hash = $1",
            vec![arg(id_hash.to_vec())],
            "ending a portal session failed",
        )
        .map(drop)
    }
}

// ---- the connections -----------------------------------------------------

/// A connection and the statements prepared on it (each once per
/// connection, not once per call).
struct Conn {
    client: Client,
    prepared: HashMap<&'static str, Statement>,
}

impl Conn {
    fn new(client: Client) -> Conn {
        Conn {
            client,
            prepared: HashMap::new(),
        }
    }

    fn prepare(&mut self, sql: &'static str) -> std::result::Result<Statement, postgres::Error> {
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.prepared.insert(sql, statement.clone());
        Ok(statement)
    }
}

type Job = Box<dyn FnOnce(&mut Conn) + Send>;

/// The connections: one thread each, taking jobs from one channel.
struct Pool {
    /// `None` only while dropping: closing the channel stops the threads.
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    fn open(params: &str, n: usize) -> Result<Pool> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let (ready, connected) = mpsc::channel();
        let mut pool = Pool {
            jobs: Some(jobs),
            workers: Vec::with_capacity(n),
        };
        for _ in 0..n {
            let (params, queue, ready) = (params.to_owned(), Arc::clone(&queue), ready.clone());
            let worker = std::thread::Builder::new()
                .name("service-records-postgres".to_owned())
                .spawn(move || match Client::connect(&params, NoTls) {
                    Ok(client) => {
                        let _ = ready.send(true);
                        serve(&params, Conn::new(client), &queue);
                    }
                    Err(_) => {
                        let _ = ready.send(false);
                    }
                })
                .map_err(|_| RecordsError::unavailable("cannot start a connection thread"))?;
            pool.workers.push(worker);
        }
        drop(ready);
        for _ in 0..n {
            if !connected.recv().unwrap_or(false) {
                return Err(RecordsError::unavailable(
                    "cannot connect to PostgreSQL for the records",
                ));
            }
        }
        Ok(pool)
    }

    /// Runs `f` on a free connection and waits for its answer.
    fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Conn) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (answer, answered) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |conn| {
            let _ = answer.send(f(conn));
        });
        self.jobs
            .as_ref()
            .and_then(|jobs| jobs.send(job).ok())
            .ok_or(RecordsError::unavailable(
                "the records' connections are closed",
            ))?;
        // No answer: the job panicked and its sender was dropped.
        answered
            .recv()
            .unwrap_or(Err(RecordsError::unavailable("a PostgreSQL call failed")))
    }
}

/// A connection's thread: jobs until the channel closes, reconnecting
/// when the connection broke or a job panicked mid-protocol.
fn serve(params: &str, mut conn: Conn, queue: &Mutex<Receiver<Job>>) {
    loop {
        let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else { return };
        if conn.client.is_closed()
            && let Ok(fresh) = Client::connect(params, NoTls)
        {
            conn = Conn::new(fresh);
        }
        if catch_unwind(AssertUnwindSafe(|| job(&mut conn))).is_err()
            && let Ok(fresh) = Client::connect(params, NoTls)
        {
            conn = Conn::new(fresh);
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
