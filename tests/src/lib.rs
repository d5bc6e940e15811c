//! Support for key-model's integration tests and benches (the tests
//! themselves live in `tests/`): [`postgres`], the throwaway PostgreSQL
//! server that the PostgreSQL store's tests and benches start themselves.
#![forbid(unsafe_code)]

pub mod postgres;
