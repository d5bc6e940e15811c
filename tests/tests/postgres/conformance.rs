//! The PostgreSQL store passes the store conformance suite of the testing
//! kit, the same one the memory store passes: each behaviour on a fresh
//! database of the throwaway cluster.

use key_model::testing::run_store_conformance;
use key_model_tests::postgres::Cluster;

use crate::support::store;

#[test]
fn the_postgres_store_conforms() {
    // Held for the whole suite: a store does not keep the cluster alive.
    let cluster = Cluster::shared();
    run_store_conformance(|| store(&cluster.database()));
}
