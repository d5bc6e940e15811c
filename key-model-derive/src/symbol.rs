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
