//! The embedded key ring (`key_model::ring`) driven through its public API:
//! lifecycle operations and G5, envelope binding and parsing (G7), the
//! fail-closed policy in every state (G6), concurrent use, several rings
//! over one store (compare-and-swap, the cache lifetime, a store whose
//! revisions went back), the store
//! conformance suite, errors that carry
//! no key material (G8), and an in-suite fuzz pass over the parsers.
//!
//! One binary, one module per concern; `support` holds the scopes, names
//! and spy root key they share (the ring canaries in `leak_canaries` use it
//! too).

mod concurrency;
mod crash;
mod envelope;
mod errors;
mod fail_closed;
mod file_root;
mod fixtures;
mod fuzz;
mod instances;
mod lifecycle;
mod refresh;
mod revisions;
mod root_conformance;
mod root_recheck;
mod sqlite;
mod stores;
mod support;
