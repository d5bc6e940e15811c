//! The PostgreSQL store (`key_model::ring::PostgresKeyStore`) against a real
//! server that the tests start themselves (`key_model_tests::postgres`):
//! the harness itself, the store's schema and migrations, corrupt rows,
//! several OS processes on one store, and the leak canaries on a `pg_dump`.
//!
//! PostgreSQL not installed is a failure that says how to install it
//! (`bash scripts/install-test-deps.sh`), never a skip.

mod canaries;
mod conformance;
mod corrupt;
mod harness;
mod multi_process;
mod store;
mod support;
