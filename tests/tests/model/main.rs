//! The key model's value types: identifiers (strict parsing, canonical
//! text) and the lifecycle transition table with the fail-closed policy.

mod deserialize;
mod identifiers;
mod lifecycle;
