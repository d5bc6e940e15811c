//! A [`KeyStore`] in one SQLite file (feature `store-sqlite`): the embedded
//! default.

use core::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::model::id::{KeyName, KeyPurpose, KeyRef, KeyVersion, TenantId};
use crate::model::lifecycle::{KeyMetadata, KeyOrigin, KeyState};
use crate::model::time::Timestamp;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::root::WrappedKey;
use crate::ring::store::{KeyStore, Revision, StoreCall, StoredKey, StoredVersion};

/// The schema this version of key-model writes and reads, kept in the
/// file's `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

/// Schema 1. One row per key (its revision, for the compare-and-swap, and
/// its number of versions, so a version row moved or deleted behind the
/// store's back is detected) and one row per key version, every field of
/// its metadata a column, the wrapped material a blob. No column holds
/// unwrapped material. `CREATE TABLE` without `IF NOT EXISTS`: a file that
/// already has such tables but no schema version is not adopted.
const SCHEMA_V1: &str = "
CREATE TABLE keys (
    tenant     TEXT    NOT NULL,
    purpose    TEXT    NOT NULL,
    revision   INTEGER NOT NULL CHECK (revision >= 1),
    versions   INTEGER NOT NULL CHECK (versions >= 1),
    PRIMARY KEY (tenant, purpose)
) STRICT;
CREATE TABLE key_versions (
    tenant     TEXT    NOT NULL,
    purpose    TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    key_ref    TEXT    NOT NULL UNIQUE,
    state      TEXT    NOT NULL,
    destroy_at INTEGER,
    origin     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    is_primary INTEGER NOT NULL,
    wrapped    BLOB,
    PRIMARY KEY (tenant, purpose, version),
    FOREIGN KEY (tenant, purpose) REFERENCES keys (tenant, purpose)
) STRICT;
";

/// How long a writer waits for another process's transaction before the
/// store reports itself unavailable.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A [`KeyStore`] in one SQLite file, with SQLite compiled in (nothing to
/// install): the development and single-host default.
///
/// [`SqliteKeyStore::open`] creates the file or opens it, runs the schema
/// migrations (the schema version is the file's `PRAGMA user_version`; a
/// file written by a newer schema is refused with
/// [`BackendErrorKind::UnsupportedFormat`] and left untouched), and puts it
/// in WAL mode with `synchronous = FULL`, so a committed change survives a
/// crash of the process or of the machine. Every change is one
/// transaction, a compare-and-swap on the key's revision: several
/// processes may share the file. The schema is in `docs/key-model.md`;
/// query it with the `sqlite3` shell.
///
/// ```
/// use key_model::ring::{MemoryRootKey, SqliteKeyStore};
/// use key_model::{KeyName, KeyRing, TenantScope};
///
/// let dir = std::env::temp_dir().join(format!("key-model-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let store = SqliteKeyStore::open(dir.join("keys.sqlite3"))?;
/// let root = std::sync::Arc::new(MemoryRootKey::generate()?);
/// let ring = KeyRing::new(store, std::sync::Arc::clone(&root));
/// let acme = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// ring.create_key(&acme, &name)?;
/// drop(ring);
///
/// let reopened = KeyRing::new(SqliteKeyStore::open(dir.join("keys.sqlite3"))?, root);
/// assert_eq!(reopened.list(&acme)?[0].key_ref().name(), name);
/// # drop(reopened);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SqliteKeyStore {
    /// One connection: `rusqlite::Connection` is not `Sync`, and the ring
    /// calls its store only on changes and cache misses, never on the hot
    /// path, so a mutex costs nothing there.
    connection: Mutex<Connection>,
    path: PathBuf,
}

fn unavailable(detail: &'static str) -> impl Fn(rusqlite::Error) -> BackendError {
    move |e| {
        // Busy (another process holds the write lock past the timeout) is
        // worth its own message; every other SQLite error is reported by
        // the fixed `detail`, never with data from the file.
        let busy = matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        BackendError::new(
            BackendErrorKind::Unavailable,
            if busy {
                "the SQLite file is locked by another writer"
            } else {
                detail
            },
        )
    }
}

fn corrupt(detail: &'static str) -> BackendError {
    BackendError::new(BackendErrorKind::Corrupt, detail)
}

impl SqliteKeyStore {
    /// Creates or opens the store in the SQLite file at `path`, and brings
    /// its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteKeyStore, BackendError> {
        let path = path.as_ref().to_path_buf();
        let mut connection =
            Connection::open(&path).map_err(unavailable("cannot open the SQLite file"))?;
        connection
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(unavailable("cannot configure the SQLite connection"))?;
        let mode: String = connection
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(unavailable("cannot put the SQLite file in WAL mode"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(BackendError::new(
                BackendErrorKind::Unavailable,
                "the SQLite file refused WAL mode",
            ));
        }
        connection
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(unavailable("cannot configure the SQLite connection"))?;
        migrate(&mut connection)?;
        Ok(SqliteKeyStore {
            connection: Mutex::new(connection),
            path,
        })
    }

    /// The schema version this version of key-model reads and writes.
    pub const SCHEMA_VERSION: i64 = SCHEMA_VERSION;

    /// Checks the whole file: SQLite's integrity check, the foreign keys,
    /// and every key's record as the ring would load it (versions
    /// ascending and all present, exactly one primary, every column well
    /// formed). Returns the number of keys. A fresh process can call it
    /// after a crash before serving.
    pub fn verify(&self) -> Result<usize, BackendError> {
        let keys = {
            let connection = self.lock();
            let integrity: String = connection
                .query_row("PRAGMA integrity_check", [], |row| row.get(0))
                .map_err(unavailable("cannot run the SQLite integrity check"))?;
            if integrity != "ok" {
                return Err(corrupt("the SQLite integrity check failed"));
            }
            let orphans: bool = connection
                .prepare("PRAGMA foreign_key_check")
                .and_then(|mut statement| statement.exists([]))
                .map_err(unavailable("cannot run the SQLite foreign key check"))?;
            if orphans {
                return Err(corrupt("a version row belongs to no key"));
            }
            let mut statement = connection
                .prepare("SELECT tenant, purpose FROM keys ORDER BY tenant, purpose")
                .map_err(unavailable("cannot list the keys"))?;
            statement
                .query_map([], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                .map_err(unavailable("cannot list the keys"))?
        };
        for (tenant, purpose) in &keys {
            let name = key_name(tenant, purpose)?;
            let (record, _) = self
                .load(&StoreCall::new(), &name)?
                .ok_or(corrupt("a listed key has no record"))?;
            record.validate(&name)?;
        }
        Ok(keys.len())
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held rolled its transaction back
        // (rusqlite's `Transaction` rolls back on drop): the file is as
        // the last commit left it.
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for SqliteKeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteKeyStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Brings an empty file to the current schema; accepts the current one;
/// refuses a newer one without touching it.
fn migrate(connection: &mut Connection) -> Result<(), BackendError> {
    let failed = unavailable("cannot migrate the SQLite schema");
    let tx = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&failed)?;
    let found: i64 = tx
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(&failed)?;
    match found {
        0 => {
            tx.execute_batch(SCHEMA_V1).map_err(|_| {
                corrupt("the SQLite file holds tables but no key-model schema version")
            })?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(&failed)?;
        }
        SCHEMA_VERSION => {}
        newer if newer > SCHEMA_VERSION => {
            return Err(BackendError::new(
                BackendErrorKind::UnsupportedFormat,
                "the SQLite file has a newer schema than this version of key-model reads",
            ));
        }
        _ => return Err(corrupt("the SQLite file's schema version is negative")),
    }
    tx.commit().map_err(&failed)
}

fn key_name(tenant: &str, purpose: &str) -> Result<KeyName, BackendError> {
    let bad = |_| corrupt("a key row's tenant or purpose is malformed");
    Ok(KeyName::new(
        tenant.parse::<TenantId>().map_err(bad)?,
        purpose.parse::<KeyPurpose>().map_err(bad)?,
    ))
}

fn revision_of(stored: i64) -> Result<Revision, BackendError> {
    u64::try_from(stored)
        .map(Revision::new)
        .map_err(|_| corrupt("a key row's revision is negative"))
}

fn column(revision: Revision) -> Result<i64, BackendError> {
    i64::try_from(revision.get()).map_err(|_| corrupt("the key's revision overflowed"))
}

/// The text of a state in the `state` column (serde's names), and the time
/// of a scheduled destruction in `destroy_at`.
fn state_columns(state: &KeyState) -> Result<(&str, Option<i64>), BackendError> {
    Ok(match state {
        KeyState::Enabled => ("enabled", None),
        KeyState::Disabled => ("disabled", None),
        KeyState::DestroyScheduled { at } => ("destroy_scheduled", Some(seconds(*at)?)),
        KeyState::Destroyed => ("destroyed", None),
        KeyState::Unrecognized(state) => (state.name(), None),
    })
}

/// A time as an SQLite integer. Past year 292 billion the write is refused
/// rather than stored as another time.
fn seconds(at: Timestamp) -> Result<i64, BackendError> {
    i64::try_from(at.unix_seconds()).map_err(|_| corrupt("a time is beyond what SQLite stores"))
}

/// A name a newer key-model could have written: lowercase words joined by
/// underscores. It loads as `KeyState::Unrecognized` and refuses every
/// operation; anything else in the column is corruption.
fn is_state_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && name.len() <= 64
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn state_of(name: &str, destroy_at: Option<i64>) -> Result<KeyState, BackendError> {
    let at = || {
        destroy_at
            .and_then(|at| u64::try_from(at).ok())
            .map(Timestamp::from_unix_seconds)
            .ok_or(corrupt("a scheduled destruction has no valid time"))
    };
    let state = match name {
        "enabled" => KeyState::Enabled,
        "disabled" => KeyState::Disabled,
        "destroyed" => KeyState::Destroyed,
        "destroy_scheduled" => return Ok(KeyState::DestroyScheduled { at: at()? }),
        other if is_state_name(other) => {
            serde_json::from_value(serde_json::Value::String(other.to_owned()))
                .map_err(|_| corrupt("a version row's state is not a state name"))?
        }
        _ => return Err(corrupt("a version row's state is not a state name")),
    };
    if destroy_at.is_some() {
        return Err(corrupt(
            "a destruction time on a version not scheduled for it",
        ));
    }
    Ok(state)
}

/// The columns of one `key_versions` row, as read.
struct VersionRow {
    version: i64,
    key_ref: String,
    state: String,
    destroy_at: Option<i64>,
    origin: String,
    created_at: i64,
    is_primary: i64,
    wrapped: Option<Vec<u8>>,
}

impl VersionRow {
    const COLUMNS: &'static str =
        "version, key_ref, state, destroy_at, origin, created_at, is_primary, wrapped";

    fn read(row: &Row<'_>) -> rusqlite::Result<VersionRow> {
        Ok(VersionRow {
            version: row.get(0)?,
            key_ref: row.get(1)?,
            state: row.get(2)?,
            destroy_at: row.get(3)?,
            origin: row.get(4)?,
            created_at: row.get(5)?,
            is_primary: row.get(6)?,
            wrapped: row.get(7)?,
        })
    }

    /// The version it describes, if every column is well formed and the
    /// row is one of `name`'s.
    fn into_version(self, name: &KeyName) -> Result<StoredVersion, BackendError> {
        let version = u32::try_from(self.version)
            .ok()
            .and_then(KeyVersion::new)
            .ok_or(corrupt("a version row's number is out of range"))?;
        let key_ref: KeyRef = self
            .key_ref
            .parse()
            .map_err(|_| corrupt("a version row's reference is malformed"))?;
        if key_ref != name.at_version(version) {
            return Err(corrupt("a version row's reference is not its key's"));
        }
        let origin: KeyOrigin = serde_json::from_value(serde_json::Value::String(self.origin))
            .map_err(|_| corrupt("a version row's origin is unknown"))?;
        let created_at = u64::try_from(self.created_at)
            .map(Timestamp::from_unix_seconds)
            .map_err(|_| corrupt("a version row's creation time is negative"))?;
        let primary = match self.is_primary {
            0 => false,
            1 => true,
            _ => return Err(corrupt("a version row's primary flag is not 0 or 1")),
        };
        Ok(StoredVersion {
            metadata: KeyMetadata::new(
                key_ref,
                state_of(&self.state, self.destroy_at)?,
                origin,
                created_at,
                primary,
            ),
            wrapped: self.wrapped.map(WrappedKey::from_bytes),
        })
    }
}

impl KeyStore for SqliteKeyStore {
    fn load(
        &self,
        _: &StoreCall,
        name: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        let failed = unavailable("cannot read a key from the SQLite file");
        let mut connection = self.lock();
        // One read transaction: the key row and its version rows come from
        // one snapshot, never half of a concurrent write.
        let tx = connection.transaction().map_err(&failed)?;
        let (tenant, purpose) = (name.tenant().as_str(), name.purpose().as_str());
        let head: Option<(i64, i64)> = tx
            .query_row(
                "SELECT revision, versions FROM keys WHERE tenant = ?1 AND purpose = ?2",
                params![tenant, purpose],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(&failed)?;
        let Some((revision, count)) = head else {
            return Ok(None);
        };
        let rows = {
            let mut statement = tx
                .prepare(&format!(
                    "SELECT {} FROM key_versions WHERE tenant = ?1 AND purpose = ?2 \
                     ORDER BY version",
                    VersionRow::COLUMNS
                ))
                .map_err(&failed)?;
            statement
                .query_map(params![tenant, purpose], VersionRow::read)
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                .map_err(|_| corrupt("a version row has a column of the wrong type"))?
        };
        tx.finish().map_err(&failed)?;
        if i64::try_from(rows.len()).ok() != Some(count) {
            return Err(corrupt(
                "the key's version rows do not match its number of versions",
            ));
        }
        let versions = rows
            .into_iter()
            .map(|row| row.into_version(name))
            .collect::<Result<Vec<_>, _>>()?;
        let record = StoredKey {
            name: name.clone(),
            versions,
        };
        Ok(Some((record, revision_of(revision)?)))
    }

    fn revision(&self, _: &StoreCall, name: &KeyName) -> Result<Option<Revision>, BackendError> {
        let stored: Option<i64> = self
            .lock()
            .prepare("SELECT revision FROM keys WHERE tenant = ?1 AND purpose = ?2")
            .and_then(|mut statement| {
                statement
                    .query_row(
                        params![name.tenant().as_str(), name.purpose().as_str()],
                        |row| row.get(0),
                    )
                    .optional()
            })
            .map_err(unavailable(
                "cannot read a key's revision from the SQLite file",
            ))?;
        stored.map(revision_of).transpose()
    }

    fn list(&self, _: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        let purposes: Vec<String> = {
            let connection = self.lock();
            let mut statement = connection
                .prepare("SELECT purpose FROM keys WHERE tenant = ?1 ORDER BY purpose")
                .map_err(unavailable("cannot list the keys in the SQLite file"))?;
            statement
                .query_map(params![tenant.as_str()], |row| row.get(0))
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                .map_err(unavailable("cannot list the keys in the SQLite file"))?
        };
        purposes
            .iter()
            .map(|purpose| key_name(tenant.as_str(), purpose))
            .collect()
    }

    fn save(
        &self,
        _: &StoreCall,
        key: &StoredKey,
        expected: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        let failed = unavailable("cannot write a key to the SQLite file");
        if key
            .versions
            .iter()
            .any(|v| v.metadata.key_ref().name() != key.name)
        {
            return Err(corrupt("a version of the record belongs to another key"));
        }
        let count = i64::try_from(key.versions.len())
            .map_err(|_| corrupt("the record has too many versions"))?;
        let (tenant, purpose) = (key.name.tenant().as_str(), key.name.purpose().as_str());
        let mut connection = self.lock();
        // IMMEDIATE: the write lock is taken before the revision is read, so
        // no other process can write between the comparison and the swap.
        let tx = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&failed)?;
        let current: Option<i64> = tx
            .query_row(
                "SELECT revision FROM keys WHERE tenant = ?1 AND purpose = ?2",
                params![tenant, purpose],
                |row| row.get(0),
            )
            .optional()
            .map_err(&failed)?;
        let current = current.map(revision_of).transpose()?;
        if current != expected {
            return Err(BackendError::new(
                BackendErrorKind::Conflict,
                match current {
                    Some(_) if expected.is_none() => "the key exists already",
                    _ => "the record changed since it was read",
                },
            ));
        }
        let next = match current {
            None => Revision::new(1),
            Some(r) => Revision::new(
                r.get()
                    .checked_add(1)
                    .ok_or(corrupt("the key's revision overflowed"))?,
            ),
        };
        tx.execute(
            "INSERT INTO keys (tenant, purpose, revision, versions) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (tenant, purpose) DO UPDATE SET revision = ?3, versions = ?4",
            params![tenant, purpose, column(next)?, count],
        )
        .map_err(&failed)?;
        tx.execute(
            "DELETE FROM key_versions WHERE tenant = ?1 AND purpose = ?2",
            params![tenant, purpose],
        )
        .map_err(&failed)?;
        {
            let mut insert = tx
                .prepare(&format!(
                    "INSERT INTO key_versions (tenant, purpose, {}) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    VersionRow::COLUMNS
                ))
                .map_err(&failed)?;
            for v in &key.versions {
                let m = &v.metadata;
                let (state, destroy_at) = state_columns(m.state())?;
                insert
                    .execute(params![
                        tenant,
                        purpose,
                        i64::from(m.key_ref().version().get()),
                        m.key_ref().to_string(),
                        state,
                        destroy_at,
                        m.origin().to_string(),
                        seconds(m.created_at())?,
                        i64::from(m.is_primary()),
                        v.wrapped.as_ref().map(WrappedKey::as_bytes),
                    ])
                    .map_err(&failed)?;
            }
        }
        tx.commit().map_err(&failed)?;
        Ok(next)
    }
}
