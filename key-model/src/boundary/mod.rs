//! The boundary: what may leave the service. The marker traits prove a type
//! secret-free (`marker`), and the sinks accept nothing else (`sink`).
//!
//! Mirrors key-model-derive's `boundary/`, which derives the marker traits.

// The one `allow(unsafe_code)` of the workspace: `marker` declares
// `unsafe trait SecretFree` and holds the library's `unsafe impl`s. See the
// crate root for why the lint cannot be lowered anywhere else unnoticed.
#[allow(unsafe_code)]
pub(crate) mod marker;
pub(crate) mod never_serialized;
pub mod sink;
