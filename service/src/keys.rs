//! Where tenant keys are kept: the key ring of a data directory, on
//! key-model's embedded default: `SqliteKeyStore` (`DIR/keys.sqlite3`, one
//! row per key version, wrapped material only) and `FileRootKey`
//! (`DIR/root.key`, mode 0600, the development and single-host root key;
//! production root keys are a KMS or an HSM); or, with `--database`,
//! key-model's `PostgresKeyStore` in that database, shared by every
//! instance, with the same `FileRootKey` from the data directory (each
//! host holds a copy of one root key file; a KMS root key is the
//! production choice). Nothing else in the service names a store or a
//! root key.
//!
//! The ring re-reads a key whose cache entry is older than its cache
//! lifetime (1 s by default), so an `operator` command in another process,
//! or a change made through another instance, reaches a running service
//! within that bound.

use std::path::Path;

use key_model::ring::{FileRootKey, PostgresKeyStore, SqliteKeyStore};
use key_model::testing::{CanaryKeys, ring_with_canary_keys};
use key_model::{BackendError, KeyRing};

/// The key ring of a data directory: its keys and its root key, created on
/// first use.
pub fn open_ring(dir: &Path) -> Result<KeyRing, BackendError> {
    open_ring_on(dir, None)
}

/// The key ring of a data directory, with its keys in the PostgreSQL
/// database `database` names when one is given (its root key is still the
/// data directory's).
pub fn open_ring_on(dir: &Path, database: Option<&str>) -> Result<KeyRing, BackendError> {
    let root = FileRootKey::open_or_create(dir.join("root.key"))?;
    Ok(match database {
        Some(params) => KeyRing::new(PostgresKeyStore::connect(params)?, root),
        None => KeyRing::new(SqliteKeyStore::open(dir.join("keys.sqlite3"))?, root),
    })
}

/// A key ring over the data directory's key store whose root key and every
/// generated key are `canaries` (the evidence command and the tests).
pub fn canary_ring(dir: &Path, canaries: &CanaryKeys) -> Result<KeyRing, BackendError> {
    Ok(ring_with_canary_keys(
        SqliteKeyStore::open(dir.join("keys.sqlite3"))?,
        canaries.root_key(),
        canaries,
    ))
}
