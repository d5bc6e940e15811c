//! Derives for [key-model](https://docs.rs/key-model): secret-free boundary
//! types and redacting `Debug`, `Display` and `Serialize`.
//!
//! Use them through `key_model`, which re-exports them behind its default
//! `derive` feature.

// Shared by every derive. (Allowed dead until the first derive lands.)
#[allow(dead_code)]
mod crate_path;
#[allow(dead_code)]
mod ctxt;
#[allow(dead_code)]
mod symbol;
