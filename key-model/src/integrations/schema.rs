//! What the schema integrations (`utoipa`, `schemars`) share: each type's
//! pattern, example and description, so the two describe one grammar.
//!
//! A pattern is the strict parser's grammar, anchored (`^...$`: JSON Schema
//! patterns are not), in the syntax both ECMA-262 and the `regex` crate
//! read: no look-around, no back-references. The tests check it against
//! the parser both ways (`tests/tests/model/schemas.rs`).

/// A tenant id or purpose, a DNS label: 1 to 63 of `[a-z0-9-]`, starting
/// and ending with a letter or digit, and no `--` in positions 3 and 4
/// (the IDNA form). Without look-around, that is two alternatives: up to
/// 4 characters (positions 3 and 4 cannot both be `-`, the last is not),
/// or 5 and more, spelling out that positions 3 and 4 are not `--`.
macro_rules! slug {
    () => {
        "(?:[a-z0-9](?:[a-z0-9-]{0,2}[a-z0-9])?|[a-z0-9][a-z0-9-](?:[a-z0-9][a-z0-9-]|-[a-z0-9])[a-z0-9-]{0,58}[a-z0-9])"
    };
}

/// A version's text: a decimal number from 1 to 4294967295 (`u32::MAX`),
/// without a leading zero, spelled out digit by digit so the pattern has
/// the parser's upper bound.
macro_rules! version {
    () => {
        "(?:[1-9][0-9]{0,8}|[1-3][0-9]{9}|4[01][0-9]{8}|42[0-8][0-9]{7}|429[0-3][0-9]{6}|4294[0-8][0-9]{5}|42949[0-5][0-9]{4}|429496[0-6][0-9]{3}|4294967[01][0-9]{2}|42949672[0-8][0-9]|429496729[0-5])"
    };
}

pub(crate) const SLUG_PATTERN: &str = concat!("^", slug!(), "$");
pub(crate) const KEY_NAME_PATTERN: &str = concat!("^tenants/", slug!(), "/keys/", slug!(), "$");
pub(crate) const KEY_REF_PATTERN: &str = concat!(
    "^tenants/",
    slug!(),
    "/keys/",
    slug!(),
    "/versions/",
    version!(),
    "$"
);

pub(crate) const TENANT_EXAMPLE: &str = "acme";
pub(crate) const PURPOSE_EXAMPLE: &str = "ssh-session-recording";
pub(crate) const KEY_NAME_EXAMPLE: &str = "tenants/acme/keys/ssh-session-recording";
pub(crate) const KEY_REF_EXAMPLE: &str = "tenants/acme/keys/ssh-session-recording/versions/3";
pub(crate) const VERSION_EXAMPLE: u32 = 3;
pub(crate) const TIMESTAMP_EXAMPLE: u64 = 1_796_725_328;
pub(crate) const STATE_EXAMPLE: &str = "enabled";
pub(crate) const ORIGIN_EXAMPLE: &str = "platform_managed";

pub(crate) const TENANT_DESCRIPTION: &str =
    "A tenant id: 1 to 63 lowercase letters, digits and `-`, starting with a letter or digit.";
pub(crate) const PURPOSE_DESCRIPTION: &str =
    "A key purpose: 1 to 63 lowercase letters, digits and `-`, starting with a letter or digit.";
pub(crate) const VERSION_DESCRIPTION: &str =
    "A key version number, from 1; numbers are never reused.";
pub(crate) const KEY_NAME_DESCRIPTION: &str =
    "A key (every version): `tenants/{tenant}/keys/{purpose}`, canonical text only.";
pub(crate) const KEY_REF_DESCRIPTION: &str = "A key version: `tenants/{tenant}/keys/{purpose}/versions/{version}`, canonical text only (no leading zeros, no case folding).";
pub(crate) const TIMESTAMP_DESCRIPTION: &str = "Seconds since the Unix epoch (UTC).";
pub(crate) const STATE_DESCRIPTION: &str = "A key version's lifecycle state: `enabled`, `disabled`, `destroyed`, or `{\"destroy_scheduled\":{\"at\":<seconds>}}`. A state name this version does not know is kept and refuses every operation.";
pub(crate) const ORIGIN_DESCRIPTION: &str = "Where a key's material comes from.";
pub(crate) const METADATA_DESCRIPTION: &str = "A key version's metadata: its reference, state, origin, creation time and whether it is the primary.";
pub(crate) const ERROR_CODE_DESCRIPTION: &str = "A stable error code. A code keeps its meaning in every version; new codes may be added, so a client accepts codes it does not know.";

/// The state names with no fields (the schema's string form).
pub(crate) const STATE_NAMES: &[&str] = &["enabled", "disabled", "destroyed"];
/// The origins this version knows, as serde writes them.
pub(crate) const ORIGINS: &[&str] = &["platform_managed"];
