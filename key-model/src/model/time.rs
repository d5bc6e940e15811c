//! A point in time at one-second resolution, for key lifecycle metadata.

use core::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::model::de::guard;

/// Seconds since the Unix epoch (UTC), the resolution key lifecycle times
/// need. Serialized as a JSON integer.
///
/// The model keeps its own small type rather than depend on a date crate;
/// convert at the edge with [`Timestamp::from_unix_seconds`] and
/// [`Timestamp::unix_seconds`], or from and to [`SystemTime`].
///
/// ```
/// use key_model::Timestamp;
///
/// let t = Timestamp::from_unix_seconds(1_764_000_000);
/// assert_eq!(t.unix_seconds(), 1_764_000_000);
/// assert!(Timestamp::now() > t);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
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

impl fmt::Display for Timestamp {
    /// `@{seconds}`, the notation `date -d @N` understands.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}", self.0)
    }
}
