//! A [`KeyStore`] in PostgreSQL, shared by many service instances
//! (feature `store-postgres`).
//!
//! **Client.** The blocking `postgres` client: the plug point is
//! synchronous, and the blocking client keeps tokio out of the caller's
//! code. It drives each connection with a small tokio runtime of its own,
//! which must not be entered from inside another runtime (tokio panics on
//! a nested `block_on`). So every connection lives on a thread of the
//! store's, and a call hands its work to a free one over a channel and
//! waits for the answer: a call from any thread, a tokio worker's included,
//! never enters a runtime. A call still blocks its thread for one round
//! trip; the key ring calls the store only on a change or a cache refresh,
//! never to encrypt or decrypt with a cached key (see `docs/key-model.md`).
//!
//! **Pool.** A fixed number of connections
//! ([`PostgresKeyStore::DEFAULT_CONNECTIONS`], or
//! [`PostgresKeyStore::connect_with`]): a call takes whichever is free, so
//! concurrent loads do not queue behind each other, and a broken connection
//! is replaced before its next use. No pool crate: the channel is the pool.
//!
//! **Schema.** One row per key (its name and its revision, the number a
//! compare-and-swap compares) and one row per key version (its reference,
//! state, origin, creation time, primary flag as columns, the wrapped
//! material as `bytea`): see `MIGRATIONS` below and `docs/key-model.md`.
//! `key_model_schema` holds the schema's version; opening a database
//! written by a newer schema fails instead of guessing.

use postgres::{Client, Row, Statement, Transaction};

use crate::model::id::{KeyName, KeyPurpose, KeyRef, KeyVersion, TenantId};
use crate::model::lifecycle::{KeyMetadata, KeyOrigin, KeyState};
use crate::model::time::Timestamp;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::root::WrappedKey;
use crate::ring::store::{KeyStore, Revision, StoreCall, StoredKey, StoredVersion};

mod pool;

use pool::{Conn, Pool};

/// The migrations, in order: migration `n` (from 1) takes a database from
/// schema version `n - 1` to `n`. Each runs in the transaction that records
/// its version, so a database is never left between two versions.
const MIGRATIONS: [&str; 1] = [
    // 1: keys and their versions.
    "CREATE TABLE key_model_keys (
        tenant   text   NOT NULL,
        purpose  text   NOT NULL,
        revision bigint NOT NULL CHECK (revision > 0),
        PRIMARY KEY (tenant, purpose)
    );
    CREATE TABLE key_model_versions (
        tenant     text    NOT NULL,
        purpose    text    NOT NULL,
        version    bigint  NOT NULL CHECK (version > 0),
        key_ref    text    NOT NULL,
        state      text    NOT NULL,
        destroy_at bigint,
        origin     text    NOT NULL,
        created_at bigint  NOT NULL,
        is_primary boolean NOT NULL,
        wrapped    bytea,
        PRIMARY KEY (tenant, purpose, version),
        FOREIGN KEY (tenant, purpose) REFERENCES key_model_keys (tenant, purpose)
    );",
];

/// The advisory lock that serializes migrations when several instances
/// open one database at once (any fixed number; this one spells
/// "keymodel").
const MIGRATION_LOCK: i64 = 0x6b65_796d_6f64_656c;

/// A key's revision and its version rows, in one statement (one snapshot).
/// A key row without version rows gives one row of NULLs (the `LEFT JOIN`).
const LOAD: &str = "SELECT k.revision, v.version, v.key_ref, v.state, v.destroy_at,
        v.origin, v.created_at, v.is_primary, v.wrapped
    FROM key_model_keys k
    LEFT JOIN key_model_versions v ON v.tenant = k.tenant AND v.purpose = k.purpose
    WHERE k.tenant = $1 AND k.purpose = $2
    ORDER BY v.version";

/// The question the ring asks when a cached key's lifetime is up.
const REVISION: &str = "SELECT revision FROM key_model_keys WHERE tenant = $1 AND purpose = $2";

const LIST: &str = "SELECT purpose FROM key_model_keys WHERE tenant = $1 ORDER BY purpose";

/// Create only if absent: no row back means the key exists (a conflict).
const CREATE: &str = "INSERT INTO key_model_keys (tenant, purpose, revision) VALUES ($1, $2, 1)
    ON CONFLICT (tenant, purpose) DO NOTHING RETURNING revision";

/// The compare-and-swap: no row back means the revision moved on.
const SWAP: &str = "UPDATE key_model_keys SET revision = revision + 1
    WHERE tenant = $1 AND purpose = $2 AND revision = $3 RETURNING revision";

/// Every version of the record, one array per column, in one statement.
const UPSERT: &str = "INSERT INTO key_model_versions
        (tenant, purpose, version, key_ref, state, destroy_at, origin, created_at,
         is_primary, wrapped)
    SELECT $1, $2, * FROM UNNEST($3::bigint[], $4::text[], $5::text[], $6::bigint[],
                                 $7::text[], $8::bigint[], $9::boolean[], $10::bytea[])
    ON CONFLICT (tenant, purpose, version) DO UPDATE SET
        key_ref = EXCLUDED.key_ref, state = EXCLUDED.state,
        destroy_at = EXCLUDED.destroy_at, origin = EXCLUDED.origin,
        created_at = EXCLUDED.created_at, is_primary = EXCLUDED.is_primary,
        wrapped = EXCLUDED.wrapped";

/// Rows of versions the record no longer has.
const PRUNE: &str = "DELETE FROM key_model_versions
    WHERE tenant = $1 AND purpose = $2 AND NOT (version = ANY($3))";

/// A [`KeyStore`] in a PostgreSQL database, for keys that survive a restart
/// and are shared by every service instance that opens the same database.
///
/// Every write is a compare-and-swap on the key's revision, in one
/// transaction: two instances that change one key at the same moment
/// cannot overwrite each other. It stores wrapped material only.
///
/// ```no_run
/// use key_model::ring::{MemoryRootKey, PostgresKeyStore};
/// use key_model::KeyRing;
///
/// let store = PostgresKeyStore::connect("host=127.0.0.1 user=keys dbname=keys")?;
/// let ring = KeyRing::new(store, MemoryRootKey::generate()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PostgresKeyStore {
    pool: Pool,
}

impl core::fmt::Debug for PostgresKeyStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Not the connection parameters: they may hold a password.
        f.debug_struct("PostgresKeyStore")
            .field("connections", &self.pool.workers.len())
            .finish_non_exhaustive()
    }
}

impl PostgresKeyStore {
    /// Connections a store opens unless told otherwise: enough for the
    /// ring's concurrent cache loads on a few threads; changes are rare.
    pub const DEFAULT_CONNECTIONS: usize = 4;

    /// The schema version this code writes: the number of migrations it
    /// knows. A database at a higher version is refused.
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // a few migrations
    pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

    /// Connects to the database `params` names (a libpq connection string
    /// or URL, without TLS: use a local socket, 127.0.0.1 or a network you
    /// trust) with [`DEFAULT_CONNECTIONS`](PostgresKeyStore::DEFAULT_CONNECTIONS) connections, and brings its
    /// schema up to date.
    pub fn connect(params: &str) -> Result<PostgresKeyStore, BackendError> {
        PostgresKeyStore::connect_with(params, PostgresKeyStore::DEFAULT_CONNECTIONS)
    }

    /// As [`connect`](PostgresKeyStore::connect), with `connections`
    /// connections (at least one).
    pub fn connect_with(
        params: &str,
        connections: usize,
    ) -> Result<PostgresKeyStore, BackendError> {
        let store = PostgresKeyStore {
            pool: Pool::open(params, connections.max(1))?,
        };
        store.pool.run(|conn| migrate(&mut conn.client))?;
        Ok(store)
    }

    /// The revision of `name`'s record, and the record (`None`: no such
    /// key), read in one statement, so one snapshot.
    fn load_with_revision(&self, name: &KeyName) -> Result<Option<(StoredKey, u64)>, BackendError> {
        let owned = name.clone();
        let rows = self.pool.run(move |conn| {
            let failed = |_| unavailable("reading a key failed");
            let load = conn.prepare(LOAD).map_err(failed)?;
            conn.client
                .query(
                    &load,
                    &[&owned.tenant().as_str(), &owned.purpose().as_str()],
                )
                .map_err(failed)
        })?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let revision = revision_of(first.try_get::<_, i64>(0).map_err(|_| corrupt())?)?;
        let mut versions = Vec::with_capacity(rows.len());
        for row in &rows {
            // A key row without version rows: the LEFT JOIN's one NULL row.
            if row
                .try_get::<_, Option<i64>>(1)
                .map_err(|_| corrupt())?
                .is_none()
            {
                continue;
            }
            versions.push(version_from_row(name, row)?);
        }
        Ok(Some((
            StoredKey {
                name: name.clone(),
                versions,
            },
            revision,
        )))
    }

    /// Writes `key` if its stored revision is `expected` (`None`: only if
    /// the key does not exist), in one transaction; returns the new
    /// revision, or a [`BackendErrorKind::Conflict`] having written nothing.
    fn save_if(&self, key: &StoredKey, expected: Option<u64>) -> Result<u64, BackendError> {
        let rows = VersionRows::of(key)?;
        let tenant = key.name.tenant().as_str().to_owned();
        let purpose = key.name.purpose().as_str().to_owned();
        let expected = expected
            .map(i64::try_from)
            .transpose()
            .map_err(|_| conflict())?;
        self.pool.run(move |conn| {
            // Prepared before the transaction borrows the connection.
            let statements = Statements::prepare(conn)
                .map_err(|_| unavailable("preparing a key change failed"))?;
            let mut tx = conn
                .client
                .transaction()
                .map_err(|_| unavailable("starting a transaction failed"))?;
            let revision = swap_revision(&mut tx, &statements, &tenant, &purpose, expected)?;
            rows.write(&mut tx, &statements, &tenant, &purpose)?;
            tx.commit()
                .map_err(|_| unavailable("committing a key change failed"))?;
            revision_of(revision)
        })
    }
}

impl KeyStore for PostgresKeyStore {
    fn load(
        &self,
        _: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        Ok(self
            .load_with_revision(name)?
            .map(|(key, revision)| (key, Revision::new(revision))))
    }

    /// One column of one row: the question the ring asks when a cached
    /// key is older than its cache lifetime.
    fn revision(&self, _: &StoreCall, name: &KeyName) -> Result<Option<Revision>, BackendError> {
        let tenant = name.tenant().as_str().to_owned();
        let purpose = name.purpose().as_str().to_owned();
        let row = self.pool.run(move |conn| {
            let failed = |_| unavailable("reading a key's revision failed");
            let revision = conn.prepare(REVISION).map_err(failed)?;
            conn.client
                .query_opt(&revision, &[&tenant, &purpose])
                .map_err(failed)
        })?;
        row.map(|row| {
            let revision: i64 = row.try_get(0).map_err(|_| corrupt())?;
            revision_of(revision).map(Revision::new)
        })
        .transpose()
    }

    fn list(&self, _: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        let owned = tenant.as_str().to_owned();
        let rows = self.pool.run(move |conn| {
            let failed = |_| unavailable("listing keys failed");
            let list = conn.prepare(LIST).map_err(failed)?;
            conn.client.query(&list, &[&owned]).map_err(failed)
        })?;
        rows.iter()
            .map(|row| {
                let purpose: &str = row.try_get(0).map_err(|_| corrupt())?;
                let purpose: KeyPurpose = purpose.parse().map_err(|_| corrupt())?;
                Ok(KeyName::new(tenant.clone(), purpose))
            })
            .collect()
    }

    fn save(
        &self,
        _: &StoreCall,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        self.save_if(key, expected.map(Revision::get))
            .map(Revision::new)
    }
}

/// Brings the schema up to date, in one transaction under an advisory lock
/// (instances starting together migrate one after another); refuses a
/// schema newer than this code's.
fn migrate(client: &mut Client) -> Result<(), BackendError> {
    let failed = |_| unavailable("migrating the key store's schema failed");
    let mut tx = client.transaction().map_err(failed)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(failed)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS key_model_schema (version integer NOT NULL)")
        .map_err(failed)?;
    let found: Option<i32> = tx
        .query_one("SELECT max(version) FROM key_model_schema", &[])
        .and_then(|row| row.try_get(0))
        .map_err(failed)?;
    let found = found.unwrap_or(0);
    if found > PostgresKeyStore::SCHEMA_VERSION {
        return Err(BackendError::new(
            BackendErrorKind::UnsupportedFormat,
            "the key store's schema is newer than this version of key-model",
        ));
    }
    let start = usize::try_from(found).map_err(|_| corrupt())?;
    for migration in &MIGRATIONS[start..] {
        tx.batch_execute(migration).map_err(failed)?;
    }
    if found < PostgresKeyStore::SCHEMA_VERSION {
        tx.execute("DELETE FROM key_model_schema", &[])
            .map_err(failed)?;
        tx.execute(
            "INSERT INTO key_model_schema (version) VALUES ($1)",
            &[&PostgresKeyStore::SCHEMA_VERSION],
        )
        .map_err(failed)?;
    }
    tx.commit().map_err(failed)
}

/// The compare-and-swap: moves the key's revision from `expected` to the
/// next one (or creates the key at revision 1), or fails with a conflict.
/// The `UPDATE` locks the key's row until the transaction ends, so two
/// writers of one key take turns, and the second one's `WHERE` sees the
/// first one's revision and matches nothing.
fn swap_revision(
    tx: &mut Transaction<'_>,
    statements: &Statements,
    tenant: &str,
    purpose: &str,
    expected: Option<i64>,
) -> Result<i64, BackendError> {
    let failed = |_| unavailable("writing a key failed");
    let row = match expected {
        None => tx
            .query_opt(&statements.create, &[&tenant, &purpose])
            .map_err(failed)?,
        Some(expected) => tx
            .query_opt(&statements.swap, &[&tenant, &purpose, &expected])
            .map_err(failed)?,
    };
    let row = row.ok_or_else(conflict)?;
    row.try_get(0).map_err(|_| corrupt())
}

/// A record's versions as the columns of `key_model_versions`, one array
/// per column, written in one statement.
struct VersionRows {
    version: Vec<i64>,
    key_ref: Vec<String>,
    state: Vec<String>,
    destroy_at: Vec<Option<i64>>,
    origin: Vec<String>,
    created_at: Vec<i64>,
    is_primary: Vec<bool>,
    wrapped: Vec<Option<Vec<u8>>>,
}

impl VersionRows {
    fn of(key: &StoredKey) -> Result<VersionRows, BackendError> {
        let n = key.versions.len();
        let mut rows = VersionRows {
            version: Vec::with_capacity(n),
            key_ref: Vec::with_capacity(n),
            state: Vec::with_capacity(n),
            destroy_at: Vec::with_capacity(n),
            origin: Vec::with_capacity(n),
            created_at: Vec::with_capacity(n),
            is_primary: Vec::with_capacity(n),
            wrapped: Vec::with_capacity(n),
        };
        let out_of_range = || {
            BackendError::new(
                BackendErrorKind::Corrupt,
                "a key record holds a value the schema cannot store",
            )
        };
        for v in &key.versions {
            let m = &v.metadata;
            let (state, at) = state_columns(m.state());
            rows.version.push(i64::from(m.key_ref().version().get()));
            rows.key_ref.push(m.key_ref().to_string());
            rows.state.push(state.to_owned());
            rows.destroy_at.push(
                at.map(|at| i64::try_from(at.unix_seconds()))
                    .transpose()
                    .map_err(|_| out_of_range())?,
            );
            rows.origin.push(m.origin().to_string());
            rows.created_at
                .push(i64::try_from(m.created_at().unix_seconds()).map_err(|_| out_of_range())?);
            rows.is_primary.push(m.is_primary());
            rows.wrapped
                .push(v.wrapped.as_ref().map(|w| w.as_bytes().to_vec()));
        }
        Ok(rows)
    }

    /// Replaces the key's version rows with these: every version upserted,
    /// any version row the record no longer has deleted.
    fn write(
        &self,
        tx: &mut Transaction<'_>,
        statements: &Statements,
        tenant: &str,
        purpose: &str,
    ) -> Result<(), BackendError> {
        let failed = |_| unavailable("writing a key's versions failed");
        tx.execute(
            &statements.upsert,
            &[
                &tenant,
                &purpose,
                &self.version,
                &self.key_ref,
                &self.state,
                &self.destroy_at,
                &self.origin,
                &self.created_at,
                &self.is_primary,
                &self.wrapped,
            ],
        )
        .map_err(failed)?;
        tx.execute(&statements.prune, &[&tenant, &purpose, &self.version])
            .map_err(failed)?;
        Ok(())
    }
}

/// A state as its two columns: its name, and the destruction time of a
/// scheduled destruction. A state this version does not know keeps its
/// name, so writing a record back does not change it.
fn state_columns(state: &KeyState) -> (&str, Option<Timestamp>) {
    match state {
        KeyState::Enabled => ("enabled", None),
        KeyState::Disabled => ("disabled", None),
        KeyState::DestroyScheduled { at } => ("destroy_scheduled", Some(*at)),
        KeyState::Destroyed => ("destroyed", None),
        KeyState::Unrecognized(name) => (name.name(), None),
    }
}

/// The state the two columns name: through [`KeyState`]'s own
/// deserializer, which makes any name it does not know
/// [`KeyState::Unrecognized`] (refused for everything).
fn state_from_columns(name: &str, at: Option<i64>) -> Result<KeyState, BackendError> {
    use serde::Deserialize;
    use serde::de::value::{Error, StrDeserializer};
    if name == "destroy_scheduled" {
        let at = at
            .and_then(|at| u64::try_from(at).ok())
            .ok_or_else(corrupt)?;
        return Ok(KeyState::DestroyScheduled {
            at: Timestamp::from_unix_seconds(at),
        });
    }
    KeyState::deserialize(StrDeserializer::<Error>::new(name)).map_err(|_| corrupt())
}

/// One version row of `name`, checked: its reference column names this key
/// and the row's version (a row copied or moved from another key is
/// corrupt), and every column holds a value the model accepts.
fn version_from_row(name: &KeyName, row: &Row) -> Result<StoredVersion, BackendError> {
    let get_err = |_| corrupt();
    let version: i64 = row.try_get(1).map_err(get_err)?;
    let version = u32::try_from(version)
        .ok()
        .and_then(KeyVersion::new)
        .ok_or_else(corrupt)?;
    let key_ref: &str = row.try_get(2).map_err(get_err)?;
    let key_ref: KeyRef = key_ref.parse().map_err(|_| corrupt())?;
    if key_ref != name.at_version(version) {
        return Err(BackendError::new(
            BackendErrorKind::Corrupt,
            "a version row's reference names another key or version",
        ));
    }
    let state: &str = row.try_get(3).map_err(get_err)?;
    let state = state_from_columns(state, row.try_get(4).map_err(get_err)?)?;
    let origin: &str = row.try_get(5).map_err(get_err)?;
    let origin = match origin {
        "platform_managed" => KeyOrigin::PlatformManaged,
        _ => return Err(corrupt()),
    };
    let created_at: i64 = row.try_get(6).map_err(get_err)?;
    let created_at = u64::try_from(created_at).map_err(|_| corrupt())?;
    let primary: bool = row.try_get(7).map_err(get_err)?;
    let wrapped: Option<Vec<u8>> = row.try_get(8).map_err(get_err)?;
    Ok(StoredVersion {
        metadata: KeyMetadata::new(
            key_ref,
            state,
            origin,
            Timestamp::from_unix_seconds(created_at),
            primary,
        ),
        wrapped: wrapped.map(WrappedKey::from_bytes),
    })
}

fn revision_of(revision: i64) -> Result<u64, BackendError> {
    u64::try_from(revision).map_err(|_| corrupt())
}

fn corrupt() -> BackendError {
    BackendError::new(
        BackendErrorKind::Corrupt,
        "a key row holds a value the model does not accept",
    )
}

fn conflict() -> BackendError {
    BackendError::new(
        BackendErrorKind::Conflict,
        "the key's revision in PostgreSQL is not the one this change was computed from",
    )
}

fn unavailable(detail: &'static str) -> BackendError {
    BackendError::new(BackendErrorKind::Unavailable, detail)
}

/// The statements of a key change.
struct Statements {
    create: Statement,
    swap: Statement,
    upsert: Statement,
    prune: Statement,
}

impl Statements {
    fn prepare(conn: &mut Conn) -> Result<Statements, postgres::Error> {
        Ok(Statements {
            create: conn.prepare(CREATE)?,
            swap: conn.prepare(SWAP)?,
            upsert: conn.prepare(UPSERT)?,
            prune: conn.prepare(PRUNE)?,
        })
    }
}
