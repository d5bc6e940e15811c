//! What the PostgreSQL tests share: a store on a fresh database of the
//! binary's throwaway cluster, and rings over it with one fixed root key (so
//! that several rings read each other's keys; the multi-process tests share
//! a `FileRootKey` file instead), and names.

use key_model::ring::PostgresKeyStore;
use key_model::testing::CanaryKeys;
use key_model::{KeyName, KeyRing, TenantScope};
use key_model_tests::postgres::{Cluster, Database};

/// The seed of the root key every ring of these tests uses: the canary
/// kit's root key for it, a fixed test key.
pub(crate) const ROOT_SEED: u64 = 0x5eed_0013;

/// An empty database of the shared cluster.
pub(crate) fn database() -> Database {
    Cluster::shared().database()
}

/// A store on `db`, with two connections.
pub(crate) fn store(db: &Database) -> PostgresKeyStore {
    PostgresKeyStore::connect_with(&db.connection_string(), 2).expect("connect to PostgreSQL")
}

/// A new ring (nothing cached) over a new store on `db`, with the fixed
/// root key.
pub(crate) fn ring(db: &Database) -> KeyRing {
    KeyRing::new(store(db), CanaryKeys::new(ROOT_SEED).root_key())
}

pub(crate) fn scope(tenant: &str) -> TenantScope {
    TenantScope::authorized_by_host(tenant.parse().expect("valid tenant"))
}

pub(crate) fn name(tenant: &str, purpose: &str) -> KeyName {
    format!("tenants/{tenant}/keys/{purpose}")
        .parse()
        .expect("valid key name")
}
