//! Leak canaries (`key_model::testing`): key material with known bytes put
//! where real keys would be, every output channel driven, and everything
//! that comes out scanned for it in every encoding the detector knows.
//!
//! - `detector`: self-tests of the detector itself (a detector that cannot
//!   fail proves nothing).
//! - `channels`: every public type and error outside the ring, tracing and
//!   panic messages.
//! - `ring`: a key ring whose root key and every key version are canaries.
//! - `generated`: the same channels over generated values.
//! - `support`: capture of tracing and panic output, and the hex rendering
//!   careless code would log a key in.

mod channels;
mod detector;
mod generated;
mod ring;
mod support;
