//! Derives for [key-model](https://docs.rs/key-model): secret-free boundary
//! types and redacting `Debug`, `Display` and `Serialize`.
//!
//! Use them through `key_model`, which re-exports them behind its default
//! `derive` feature.
