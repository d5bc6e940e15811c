//! The boundary: what may leave the service. The marker traits prove a type
//! secret-free (`marker`), and the sinks accept nothing else (`sink`).
//!
//! Mirrors key-model-derive's `boundary/`, which derives the marker traits.

pub(crate) mod marker;
pub mod sink;
