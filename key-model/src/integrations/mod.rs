//! Integrations with other crates: one file per optional feature, named
//! after the crate it integrates (`axum.rs`, `utoipa.rs`, `rusqlite.rs`,
//! ...), each declared here as `#[cfg(feature = "NAME")] mod NAME;`, off by
//! default. An integration may use every other module of this crate; none
//! of them may use an integration. Empty today: the `SecretFree` impls for
//! `chrono`, `time`, `uuid` and `serde_json` values live with the other
//! impls in `boundary/marker.rs`, because they are marker impls, not
//! adapters.
