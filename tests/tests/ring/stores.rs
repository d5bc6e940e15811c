//! Every key store runs the store conformance suite of the testing kit
//! (`key_model::testing::run_store_conformance`).

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::TempDir;
use key_model::ring::{MemoryKeyStore, SqliteKeyStore};
use key_model::testing::run_store_conformance;

#[test]
fn the_memory_store_conforms() {
    run_store_conformance(MemoryKeyStore::new);
}

#[test]
fn the_sqlite_store_conforms() {
    let dir = TempDir::new("conformance");
    let next = AtomicUsize::new(0);
    run_store_conformance(|| {
        let file = dir.file(&format!("{}.sqlite3", next.fetch_add(1, Ordering::Relaxed)));
        SqliteKeyStore::open(file).expect("a new SQLite store")
    });
}
