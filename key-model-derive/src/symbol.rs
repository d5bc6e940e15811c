//! Every attribute, option and type name the derives match on, in one
//! place (as `serde_derive`'s `symbol.rs`): code elsewhere compares with
//! these, never with a literal of its own.

/// `#[key_model(...)]`: container options shared by every derive.
pub(crate) const KEY_MODEL: &str = "key_model";
/// `#[key_model(crate = "path")]`: where to find key-model when it is
/// renamed or re-exported.
pub(crate) const CRATE: &str = "crate";
/// `#[key_model(also(EventDto, ...))]`: further boundary kinds one boundary
/// derive implements, since two derives cannot both implement `SecretFree`.
pub(crate) const ALSO: &str = "also";
/// `#[derive(...)]`, read for a second boundary kind derive on the type.
pub(crate) const DERIVE: &str = "derive";
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
/// `#[repr(packed)]` and `#[repr(packed(N))]`, refused by the redacting
/// derives.
pub(crate) const PACKED: &str = "packed";

// Boundary kinds: the traits of key-model the boundary derives implement,
// also the names `#[key_model(also(...))]` accepts.

/// `SecretFree`.
pub(crate) const SECRET_FREE: &str = "SecretFree";
/// `ApiDto`.
pub(crate) const API_DTO: &str = "ApiDto";
/// `EventDto`.
pub(crate) const EVENT_DTO: &str = "EventDto";
/// `ExportDto`.
pub(crate) const EXPORT_DTO: &str = "ExportDto";
/// `AuditDto`.
pub(crate) const AUDIT_DTO: &str = "AuditDto";

// serde options that change the shape of the output, which
// `RedactedSerialize` does not reproduce and so refuses.

/// Container options: `tag`, `content`, `untagged`, `transparent`, `into`,
/// `remote`.
pub(crate) const SERDE_UNSUPPORTED_CONTAINER: &[&str] = &[
    "tag",
    "content",
    "untagged",
    "transparent",
    "into",
    "remote",
];
/// Variant options: `serialize_with`, `with`, `untagged`.
pub(crate) const SERDE_UNSUPPORTED_VARIANT: &[&str] = &["serialize_with", "with", "untagged"];
/// Field options: `flatten`, `serialize_with`, `with`, `getter`.
pub(crate) const SERDE_UNSUPPORTED_FIELD: &[&str] =
    &["flatten", "serialize_with", "with", "getter"];

// Type names matched in field types.

/// `PhantomData<T>`: a field of it needs no bound on `T`.
pub(crate) const PHANTOM_DATA: &str = "PhantomData";
/// `Option<T>` of a plain type is plain (see `redact::serialize::is_plain`).
pub(crate) const OPTION: &str = "Option";
/// `Vec<T>` of a plain type is plain.
pub(crate) const VEC: &str = "Vec";
/// `str`, plain.
pub(crate) const STR: &str = "str";
/// The primitive types and `String`, written by serde as they are.
pub(crate) const PLAIN_TYPES: [&str; 17] = [
    "bool", "char", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32",
    "u64", "u128", "usize", "String",
];
