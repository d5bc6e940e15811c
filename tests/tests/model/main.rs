//! The key model's value types: identifiers (strict parsing, canonical
//! text) and the lifecycle transition table with the fail-closed policy,
//! and the same rules through the database integrations.

mod deserialize;
mod identifiers;
mod lifecycle;
// The integrations that read the model from a database (features
// `rusqlite`, `postgres`, `sqlx`): strict parsing on the way in.
mod sql;
// The schema integrations (features `schemars`, `utoipa`), checked
// against the parser.
mod schemas;
