//! What crosses the boundary: the typed sinks (G3), the redacting derives
//! (G4) and the format strings std accepts through them, the optional `SecretFree` impls for other crates' types, and the
//! exact text every public type and error prints (G8).

mod csv;
mod format_specs;
mod output_no_key_material;
mod redact;
mod secret_free_features;
mod sinks;
