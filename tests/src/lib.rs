//! Integration and leak-canary tests for key-model live in `tests/`; this
//! library holds only the doctests of the repository's Markdown, which sit
//! outside key-model's package (a published crate cannot `include_str!`
//! them).
#![forbid(unsafe_code)]

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
