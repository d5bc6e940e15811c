//! What the SQL integrations (`rusqlite`, `postgres`, `sqlx`) share: the
//! column forms, strict parsing on the way in, and an error that never
//! echoes the column.
//!
//! The column forms are in the `integrations` module docs.

use core::fmt;
use std::borrow::Cow;

use crate::model::id::KeyVersion;
use crate::model::lifecycle::KeyState;

/// A column value that is not a valid value of the type read. Its message
/// names the type, never the value: a column that holds a secret by mistake
/// is not copied into a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InvalidColumn {
    what: &'static str,
}

impl InvalidColumn {
    pub(crate) const fn new(what: &'static str) -> InvalidColumn {
        InvalidColumn { what }
    }
}

impl fmt::Display for InvalidColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the column does not hold a canonical {}", self.what)
    }
}

impl core::error::Error for InvalidColumn {}

/// Parses `text` with `T`'s strict parser; the error names only `what`.
pub(crate) fn parse<T: core::str::FromStr>(
    text: &str,
    what: &'static str,
) -> Result<T, InvalidColumn> {
    text.parse().map_err(|_| InvalidColumn::new(what))
}

/// A version read from a 64-bit integer column.
pub(crate) fn version_from_i64(n: i64) -> Result<KeyVersion, InvalidColumn> {
    u32::try_from(n)
        .ok()
        .and_then(core::num::NonZeroU32::new)
        .map(KeyVersion::from)
        .ok_or(InvalidColumn::new("key version"))
}

/// A version as a 64-bit integer, which holds every `u32` (a signed 32-bit
/// column does not).
pub(crate) fn version_to_i64(v: KeyVersion) -> i64 {
    i64::from(v.get())
}

/// A state's column text: its name, or its serde JSON when it has fields.
pub(crate) fn state_text(state: &KeyState) -> Cow<'static, str> {
    match state {
        KeyState::Enabled | KeyState::Disabled | KeyState::Destroyed => {
            Cow::Borrowed(state.kind().as_str())
        }
        KeyState::Unrecognized(name) => Cow::Owned(name.name().to_owned()),
        KeyState::DestroyScheduled { .. } => Cow::Owned(
            // Serializing a map of a name to a number cannot fail.
            serde_json::to_string(state).unwrap_or_default(),
        ),
    }
}

/// A state read from its column text: a JSON map when it starts with `{`,
/// else a name (an unknown one reads as `Unrecognized`).
pub(crate) fn state_from_text(text: &str) -> Result<KeyState, InvalidColumn> {
    use serde::Deserialize;
    use serde::de::value::{Error, StrDeserializer};
    let invalid = InvalidColumn::new("key state");
    if text.starts_with('{') {
        serde_json::from_str(text).map_err(|_| invalid)
    } else if text.is_empty() || text.starts_with('"') {
        // An empty name, or a JSON string where the name belongs.
        Err(invalid)
    } else {
        KeyState::deserialize(StrDeserializer::<Error>::new(text)).map_err(|_| invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::Timestamp;

    #[test]
    fn states_round_trip_through_their_column_text() {
        let at = Timestamp::from_unix_seconds(1_796_725_328);
        for (state, text) in [
            (KeyState::Enabled, "enabled"),
            (KeyState::Disabled, "disabled"),
            (KeyState::Destroyed, "destroyed"),
            (
                KeyState::DestroyScheduled { at },
                r#"{"destroy_scheduled":{"at":1796725328}}"#,
            ),
        ] {
            assert_eq!(state_text(&state), text);
            assert_eq!(state_from_text(text).unwrap(), state);
        }
        let newer = state_from_text("quarantined").unwrap();
        assert!(matches!(newer, KeyState::Unrecognized(_)));
        assert_eq!(state_text(&newer), "quarantined");
    }

    #[test]
    fn malformed_states_and_versions_are_errors_that_do_not_echo() {
        for text in [
            "",
            "destroy_scheduled",
            r#""enabled""#,
            r#"{"destroy_scheduled":{"at":"sk_live_1"}}"#,
            r#"{"sk_live_2":1,"b":2}"#,
            "{sk_live_3",
        ] {
            let err = state_from_text(text).unwrap_err();
            assert_eq!(
                err.to_string(),
                "the column does not hold a canonical key state"
            );
        }
        for n in [0, -1, i64::from(u32::MAX) + 1, i64::MIN] {
            assert_eq!(
                version_from_i64(n).unwrap_err().to_string(),
                "the column does not hold a canonical key version"
            );
        }
        assert_eq!(
            version_from_i64(i64::from(u32::MAX)).unwrap().get(),
            u32::MAX
        );
    }
}
