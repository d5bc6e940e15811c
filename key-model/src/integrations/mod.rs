//! Integrations with other crates, each an optional feature named after the
//! crate, off by default, adding nothing to a build that does not enable it
//! (`docs/ecosystem.md` lists them, with the version each targets).
//!
//! One file per feature (`rusqlite.rs`, ...), declared here behind its
//! feature. An integration may use every other module of this crate; none
//! of them may use an integration. The `SecretFree` impls for `chrono`,
//! `time`, `uuid` and `serde_json` values are not here: they are marker
//! impls, kept with the others in `boundary/marker.rs`.
//!
//! The SQL integrations (`rusqlite`, `postgres`, `sqlx`) share one column
//! form per type, and parse strictly on the way in:
//!
//! | type | column | value |
//! |------|--------|-------|
//! | `TenantId`, `KeyPurpose`, `KeyName`, `KeyRef` | text | the canonical text |
//! | `KeyVersion` | 64-bit integer | the number, 1 to `u32::MAX` |
//! | `KeyState` | text | the state's name (`enabled`), or for a state with fields its serde JSON (`{"destroy_scheduled":{"at":1796725328}}`) |
//!
//! A row cannot hold a non-canonical reference (`Tenants/acme/...`,
//! `.../versions/07`): reading it is an error whose message names the type,
//! never the value. An unknown state name reads as the fail-closed
//! [`KeyState::Unrecognized`](crate::KeyState::Unrecognized), as serde does.

#[cfg(any(feature = "rusqlite", feature = "postgres", feature = "sqlx"))]
mod sql;

#[cfg(any(feature = "utoipa", feature = "schemars"))]
mod schema;

#[cfg(feature = "axum")]
#[doc(hidden)] // Documented where it is used, as `key_model::axum`.
pub mod axum;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "rusqlite")]
pub mod rusqlite;
#[cfg(feature = "schemars")]
pub mod schemars;
#[cfg(feature = "sqlx")]
pub mod sqlx;
#[cfg(feature = "utoipa")]
pub mod utoipa;
