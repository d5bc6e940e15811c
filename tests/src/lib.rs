//! Support for key-model's integration tests and benches (the tests
//! themselves live in `tests/`): [`postgres`], the throwaway PostgreSQL
//! server that the PostgreSQL store's tests and benches start themselves.
//! It also holds the doctests of the repository's Markdown, which sit
//! outside key-model's package (a published crate cannot `include_str!`
//! them).
#![forbid(unsafe_code)]

pub mod postgres;
// The leak-canary guide's example for service authors is compiled and run
// as a doctest (this crate's dev-dependency on key-model enables `testing`).
#[cfg(doctest)]
#[doc = include_str!("../../docs/leak-canaries.md")]
struct LeakCanaryGuideDoctests;

// The README's examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

// The ecosystem guide's examples, one per feature (the dev-dependency
// enables them all).
#[cfg(doctest)]
#[doc = include_str!("../../docs/ecosystem.md")]
struct EcosystemDoctests;
