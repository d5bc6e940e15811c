//! The PostgreSQL store against a real server that the tests start
//! themselves (`key_model_tests::postgres`): the harness itself, ...
//!
//! PostgreSQL not installed is a failure that says how to install it
//! (`bash scripts/install-test-deps.sh`), never a skip.

mod harness;
