//! The key model's value types: identifiers (strict parsing, canonical
//! text) and the lifecycle transition table with the fail-closed policy.

mod identifiers;
mod lifecycle;
