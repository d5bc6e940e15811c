//! The model: what a key is (identifiers, lifecycle, material), who may use
//! it (scope) and when (policy), with no storage and no cryptography.
//!
//! Layering, lowest first: `de` (deserialization that never quotes its
//! input, used by every `Deserialize` of the crate), `time`, `id`, `lifecycle`, `policy` (reads
//! lifecycle states), `scope` (reads ids); `material` needs only the crate's
//! `Error`. Nothing here imports the ring, the boundary or the testing kit.

pub(crate) mod de;
pub(crate) mod id;
pub(crate) mod lifecycle;
pub(crate) mod material;
pub(crate) mod policy;
pub(crate) mod scope;
pub(crate) mod time;
