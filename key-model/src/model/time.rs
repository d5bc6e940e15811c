//! A point in time at one-second resolution, for key lifecycle metadata.

use core::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::model::de::guard;

/// Seconds since the Unix epoch (UTC), the resolution key lifecycle times
/// need.
///
/// **Stored form**: serialized as a JSON integer, the seconds
/// (`1796725328`), and that form never changes (G10): stored metadata and
/// records written by any version read back. **Text for people**: `Display`
/// and `Debug` print RFC 3339 in UTC, `2026-12-08T10:22:08Z`; a time past
/// the last second of year 9999, which RFC 3339 cannot write, prints as
/// `@{seconds}` (the notation `date -d @N` understands).
///
/// The model keeps its own small type rather than a date crate's; convert
/// at the edge with [`Timestamp::from_unix_seconds`] and
/// [`Timestamp::unix_seconds`], or from and to [`SystemTime`].
///
/// ```
/// use key_model::Timestamp;
///
/// let t = Timestamp::from_unix_seconds(1_796_725_328);
/// assert_eq!(t.unix_seconds(), 1_796_725_328);
/// assert_eq!(t.to_string(), "2026-12-08T10:22:08Z");
/// assert_eq!(format!("{t:?}"), "2026-12-08T10:22:08Z");
/// assert_eq!(serde_json::to_string(&t)?, "1796725328");
/// assert!(Timestamp::now() > Timestamp::UNIX_EPOCH);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Timestamp(u64);

impl<'de> serde::Deserialize<'de> for Timestamp {
    /// What `#[serde(transparent)]` over `u64` accepted, with a message of
    /// its own: serde's quotes the rejected value.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        guard(
            deserializer,
            "invalid timestamp: expected whole seconds since the Unix epoch (an integer from 0 to 18446744073709551615)",
            u64::deserialize,
        )
        .map(Timestamp)
    }
}

impl Timestamp {
    /// The Unix epoch.
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    /// The current time, from the system clock. A clock set before 1970
    /// reads as the epoch.
    pub fn now() -> Timestamp {
        Timestamp::from(SystemTime::now())
    }

    /// The time `secs` seconds after the Unix epoch.
    pub const fn from_unix_seconds(secs: u64) -> Timestamp {
        Timestamp(secs)
    }

    /// Seconds since the Unix epoch.
    pub const fn unix_seconds(self) -> u64 {
        self.0
    }

    /// This time as a [`SystemTime`], or `None` where the platform's
    /// `SystemTime` cannot represent it.
    pub fn to_system_time(self) -> Option<SystemTime> {
        UNIX_EPOCH.checked_add(Duration::from_secs(self.0))
    }

    /// This time plus `d` (whole seconds), saturating at the far future.
    #[must_use]
    pub const fn saturating_add(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_add(d.as_secs()))
    }
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        Timestamp(t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()))
    }
}

/// The last second RFC 3339 can write (9999-12-31T23:59:59Z): its year has
/// four digits, and humantime refuses anything later.
const LAST_RFC3339_SECOND: u64 = 253_402_300_799;

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC (`2026-12-08T10:22:08Z`), or `@{seconds}` after
    /// year 9999.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // humantime: one dependency-free function for the calendar
        // arithmetic, well kept and used by env_logger; no date code of ours.
        match self.to_system_time() {
            Some(t) if self.0 <= LAST_RFC3339_SECOND => {
                fmt::Display::fmt(&humantime::format_rfc3339_seconds(t), f)
            }
            _ => write!(f, "@{}", self.0),
        }
    }
}

/// The same text as `Display`: a person reading a `Debug` dump of
/// metadata wants the date, not the seconds.
impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(secs: u64) -> String {
        Timestamp::from_unix_seconds(secs).to_string()
    }

    #[test]
    fn known_instants_print_as_rfc3339() {
        assert_eq!(text(0), "1970-01-01T00:00:00Z");
        // The instant of the issue's example.
        assert_eq!(text(1_796_725_328), "2026-12-08T10:22:08Z");
        // Leap days: 2000 (divisible by 400), 2024, and the day after.
        assert_eq!(text(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(text(1_709_164_799), "2024-02-28T23:59:59Z");
        assert_eq!(text(1_709_164_800), "2024-02-29T00:00:00Z");
        assert_eq!(text(1_709_251_200), "2024-03-01T00:00:00Z");
        // Past the 32-bit limit (2038-01-19T03:14:07Z) and on.
        assert_eq!(text(2_147_483_647), "2038-01-19T03:14:07Z");
        assert_eq!(text(2_147_483_648), "2038-01-19T03:14:08Z");
        assert_eq!(text(4_102_444_800), "2100-01-01T00:00:00Z");
        assert_eq!(text(LAST_RFC3339_SECOND), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn times_rfc3339_cannot_write_print_seconds_and_never_panic() {
        assert_eq!(text(LAST_RFC3339_SECOND + 1), "@253402300800");
        assert_eq!(text(u64::MAX), format!("@{}", u64::MAX));
        assert_eq!(
            format!("{:?}", Timestamp::from_unix_seconds(u64::MAX)),
            format!("@{}", u64::MAX)
        );
    }

    #[test]
    fn debug_is_display_and_the_stored_form_is_the_seconds() {
        let t = Timestamp::from_unix_seconds(1_796_725_328);
        assert_eq!(format!("{t:?}"), t.to_string());
        assert_eq!(serde_json::to_string(&t).unwrap(), "1796725328");
        let back: Timestamp = serde_json::from_str("1796725328").unwrap();
        assert_eq!(back, t);
    }
}
