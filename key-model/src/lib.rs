//! A per-tenant encryption-key model that the compiler enforces.
//!
//! A platform keeps one platform-managed key per tenant and purpose, in
//! numbered versions. This crate turns the rules of that model into types:
//!
//! - keys are referenced by tenant / purpose / version ([`TenantId`],
//!   [`KeyPurpose`], [`KeyVersion`], [`KeyName`], [`KeyRef`]), with one
//!   canonical, strictly parsed text form;
//! - a key reference is metadata, never authorization: operations on key
//!   material take a [`TenantScope`], which only the host's authorization
//!   layer creates;
//! - disabled keys fail closed: one pure function, [`policy::check`],
//!   decides, and states it does not recognise refuse everything;
//! - key material ([`KeyMaterial`]) is opaque: it cannot be printed,
//!   serialized, cloned or compared, and is zeroized on drop.
//!
//! ```
//! use key_model::{
//!     policy, KeyMetadata, KeyOrigin, KeyRef, KeyState, Operation, Timestamp, Transition,
//! };
//!
//! let key_ref: KeyRef = "tenants/acme/keys/ssh-session-recording/versions/1".parse()?;
//! let mut meta = KeyMetadata::new(
//!     key_ref.clone(),
//!     KeyState::Enabled,
//!     KeyOrigin::PlatformManaged,
//!     Timestamp::now(),
//!     false,
//! );
//! assert!(meta.check(Operation::Decrypt).is_ok());
//!
//! meta.apply(Transition::Disable)?;
//! let refusal = meta.check(Operation::Decrypt).unwrap_err();
//! assert_eq!(refusal.to_string(), "decrypt refused: key version is disabled");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The guarantees, their mechanisms and their limits are written down in
//! `docs/guarantees.md`.

mod error;
mod id;
mod lifecycle;
mod marker;
mod material;
pub mod policy;
mod scope;
mod time;

pub use error::{Error, ParseError, ParseErrorKind};
pub use id::{KeyName, KeyPurpose, KeyRef, KeyVersion, MAX_SLUG_LEN, TenantId};
pub use lifecycle::{
    KeyMetadata, KeyOrigin, KeyState, StateKind, Transition, TransitionError, UnrecognizedState,
};
pub use marker::SecretFree;
pub use material::KeyMaterial;
pub use policy::{Operation, Refusal};
pub use scope::TenantScope;
pub use time::Timestamp;
