//! The attribute names the derives understand, in one place.

/// `#[key_model(...)]`: container options shared by every derive.
pub(crate) const KEY_MODEL: &str = "key_model";
/// `#[key_model(crate = "path")]`: where to find key-model when it is
/// renamed or re-exported.
pub(crate) const CRATE: &str = "crate";
/// `#[key_model(also(EventDto, ...))]`: further boundary kinds one boundary
/// derive implements, since two derives cannot both implement `SecretFree`.
pub(crate) const ALSO: &str = "also";
/// `#[cfg(...)]`, copied from fields and variants onto their checks.
pub(crate) const CFG: &str = "cfg";

// Redacting derives (`RedactedDebug`, `RedactedDisplay`, `RedactedSerialize`).

/// `#[redact]`, `#[redact(skip)]`, `#[redact(with = path)]` on a field.
pub(crate) const REDACT: &str = "redact";
/// `#[redact(skip)]`: leave the field out of the output.
pub(crate) const SKIP: &str = "skip";
/// `#[redact(with = path)]`: the function that writes the field.
pub(crate) const WITH: &str = "with";
/// `#[display("...")]`: the format string of `RedactedDisplay`.
pub(crate) const DISPLAY: &str = "display";
/// `#[serde(...)]`, read (never owned) by `RedactedSerialize`.
pub(crate) const SERDE: &str = "serde";
/// `#[serde(rename = "...")]`, also `rename(serialize = "...")`.
pub(crate) const RENAME: &str = "rename";
/// `#[serde(rename_all = "...")]` on a container or variant.
pub(crate) const RENAME_ALL: &str = "rename_all";
/// `#[serde(rename_all_fields = "...")]` on an enum.
pub(crate) const RENAME_ALL_FIELDS: &str = "rename_all_fields";
/// The `serialize = "..."` half of a `rename(...)` or `rename_all(...)`.
pub(crate) const SERIALIZE: &str = "serialize";
/// `#[serde(skip_serializing)]`.
pub(crate) const SKIP_SERIALIZING: &str = "skip_serializing";
/// `#[serde(skip_serializing_if = "path")]`.
pub(crate) const SKIP_SERIALIZING_IF: &str = "skip_serializing_if";
/// `#[repr(...)]`, read to refuse `packed` layouts.
pub(crate) const REPR: &str = "repr";
