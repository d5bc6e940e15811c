//! Every key store runs the store conformance suite of the testing kit
//! (`key_model::testing::run_store_conformance`).

use key_model::ring::MemoryKeyStore;
use key_model::testing::run_store_conformance;

#[test]
fn the_memory_store_conforms() {
    run_store_conformance(MemoryKeyStore::new);
}
