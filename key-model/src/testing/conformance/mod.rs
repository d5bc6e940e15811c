//! Behaviour suites a plug point's implementation runs in its own tests, so a
//! new backend is proven by the same checks as the old ones (as
//! tower-sessions-stores runs one suite against every store).
//!
//! - [`root_key_conformance`]: what the ring relies on from a
//!   [`RootKey`](crate::ring::RootKey): round trips, binding to the key
//!   reference, refusal of altered bytes, wrapped bytes and errors that do
//!   not reveal the material.
//! - [`run_store_conformance`]: what the ring relies on from a
//!   [`KeyStore`](crate::ring::KeyStore): load, list per tenant,
//!   compare-and-swap saves, records kept exactly.
//!
//! Each suite panics at the first behaviour the implementation lacks, with a
//! message that names the behaviour and never the material.

mod root;
mod store;

pub use root::root_key_conformance;
pub use store::{STORE_BEHAVIOURS, run_store_conformance};
