//! The marker traits that say a type may cross a boundary (G2, G3, G9).
//!
//! This is the one module of the workspace where `unsafe` is allowed: it
//! declares `unsafe trait SecretFree`, whose implementations are promises the
//! compiler cannot check.
#![allow(unsafe_code)]

/// A type that cannot hold key material or any other secret.
///
/// # Safety
///
/// Implementing it promises that no value of the type, and nothing it
/// contains or points to, holds secret material. Derive it instead: the
/// derive proves the promise field by field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` may hold key material or another secret, so it cannot cross a boundary",
    label = "`{Self}` is not proven secret-free",
    note = "expose a reference instead (`encryption_key_ref: key_model::KeyRef`), or `#[derive(key_model::SecretFree)]` on a plain value type"
)]
pub unsafe trait SecretFree {}
