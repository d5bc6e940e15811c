//! Leak canaries (feature `testing`, never needed in production).
//!
//! A [`Canary`] is key material with known bytes. Put canaries where real
//! keys would be, drive every output channel of a service (logs, events, API
//! responses, exports, panics), and scan what came out with
//! [`Canary::assert_no_leak`]. The detector finds the canary as raw bytes,
//! as lowercase or uppercase hex, as standard or URL-safe base64 (padded or
//! not, at each of the three byte alignments, so a canary inside a longer
//! encoded buffer is found too) and as a list of decimal numbers the way
//! `Debug` prints a byte array or slice (`[12, 34, ...]`, one per line in
//! `{:#?}`, or a JSON array), or a list of hex numbers (`{:x?}`, `{:02X?}`,
//! `{:#x?}`).
//!
//! ```
//! use key_model::testing::{Canary, Encoding};
//!
//! let canary = Canary::new(7);
//! let key = canary.key_material();
//! canary.assert_no_leak(format!("{key:?}")); // prints `KeyMaterial([REDACTED])`
//!
//! // A deliberate leak is found, with its encoding and offset.
//! let leaked = format!("token={:?}", canary.bytes());
//! let leak = canary.find_leak(&leaked).unwrap();
//! assert_eq!(leak.encoding(), Encoding::DecimalList);
//! assert_eq!(leak.offset(), 7);
//! ```
//!
//! A whole key ring can run on canaries: [`canary_ring`] (or
//! [`ring_with_canary_keys`] over a store and root key of your choice)
//! gives every key version the ring generates, after any number of
//! rotations, canary material derived from a seed and the version's
//! reference, and its root key canary material too. [`CanaryKeys`] knows
//! them all and scans an output for every one:
//!
//! ```
//! use key_model::testing::canary_ring;
//! use key_model::{KeyName, TenantScope};
//!
//! let (ring, canaries) = canary_ring(42);
//! let acme = TenantScope::authorized_by_host("acme".parse()?);
//! let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
//! ring.create_key(&acme, &name)?;
//! ring.rotate(&acme, &name)?;
//! let sealed = ring.encrypt(&acme, &name, b"rows", b"")?;
//!
//! // Two versions issued, each with its canary; the root key has one too.
//! assert_eq!(canaries.issued().len(), 2);
//! canaries.assert_no_leak(format!("{ring:?} {sealed} {sealed:?}"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The kit also holds the behaviour suites every backend of a plug point runs
//! in its own tests ([`root_key_conformance`], [`run_store_conformance`]), so
//! a KMS root key or a database store is proven by the same checks as the
//! in-memory ones, and [`EditableKeyStore`], the one store whose records a
//! test may edit behind the ring's back.

mod canary;
mod conformance;
mod editable;
mod keys;

pub use canary::{Canary, Encoding, Leak, assert_no_leak, find_leak};
pub use conformance::{STORE_BEHAVIOURS, root_key_conformance, run_store_conformance};
pub use editable::EditableKeyStore;
pub use keys::{CanaryKeys, KeyLeak, LeakedKey, canary_ring, ring_with_canary_keys};
