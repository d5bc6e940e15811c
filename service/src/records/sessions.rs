//! How long a portal session lives, and the clock that says what time it
//! is (the system's, or one a test moves).
//!
//! A session ends 8 hours after sign-in whatever happens (a working day:
//! a stolen cookie is good for one day at most), or after 30 minutes
//! without a request (an admin who walked away from the screen), whichever
//! comes first; then the portal sends the browser to the sign-in page.
//! Sign-out deletes the session's row at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use key_model::Timestamp;

use super::PortalSession;

/// The lifetimes of a portal session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// From sign-in to the end, however busy the session.
    pub absolute: Duration,
    /// From the last request to the end.
    pub idle: Duration,
}

impl SessionPolicy {
    /// 8 hours absolute, 30 minutes idle.
    pub const DEFAULT: SessionPolicy = SessionPolicy {
        absolute: Duration::from_secs(8 * 3600),
        idle: Duration::from_secs(30 * 60),
    };

    /// Whether `session` has expired at `now`: at the full lifetime it has.
    pub fn expired(&self, session: &PortalSession, now: Timestamp) -> bool {
        let age = |since: Timestamp| now.unix_seconds().saturating_sub(since.unix_seconds());
        age(session.created_at) >= self.absolute.as_secs()
            || age(session.last_seen) >= self.idle.as_secs()
    }

    /// The start and last-use times before which a session has expired at
    /// `now` (the rows a new sign-in sweeps away).
    pub fn cutoffs(&self, now: Timestamp) -> (Timestamp, Timestamp) {
        let before = |d: Duration| {
            Timestamp::from_unix_seconds(now.unix_seconds().saturating_sub(d.as_secs()))
        };
        (before(self.absolute), before(self.idle))
    }
}

impl Default for SessionPolicy {
    fn default() -> SessionPolicy {
        SessionPolicy::DEFAULT
    }
}

/// What time it is: the system clock, or a manual one that only moves when
/// told (the expiry tests, which must not sleep for half an hour).
/// Cloning a manual clock shares it.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<AtomicU64>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that reads `start` until [`Clock::advance`] moves it.
    pub fn manual(start: Timestamp) -> Clock {
        Clock {
            manual: Some(Arc::new(AtomicU64::new(start.unix_seconds()))),
        }
    }

    /// The time now.
    pub fn now(&self) -> Timestamp {
        match &self.manual {
            Some(secs) => Timestamp::from_unix_seconds(secs.load(Ordering::SeqCst)),
            None => Timestamp::now(),
        }
    }

    /// Moves a manual clock `by` on (whole seconds); the system clock is
    /// left alone.
    pub fn advance(&self, by: Duration) {
        if let Some(secs) = &self.manual {
            secs.fetch_add(by.as_secs(), Ordering::SeqCst);
        }
    }
}
