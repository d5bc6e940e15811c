//! The service's log: one line per request and per notable event, to
//! standard error and, for the evidence command and the tests, into a
//! buffer that the leak scan reads. A line names methods, routes (the
//! pattern a request matched, never its path or query string: a portal
//! test ticket travels in one, and a caller may paste a token into one),
//! statuses, tenants and key references; never a token, a body or key
//! material.

use std::io::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

/// Where log lines go. Cloning shares the buffer.
#[derive(Debug, Clone, Default)]
pub struct Log {
    captured: Option<Arc<Mutex<Vec<u8>>>>,
    quiet: bool,
}

impl Log {
    /// Lines to standard error only.
    pub fn stderr() -> Log {
        Log::default()
    }

    /// No lines at all (the load test's server: a log on every request
    /// would measure the terminal).
    pub fn off() -> Log {
        Log {
            captured: None,
            quiet: true,
        }
    }

    /// Lines kept in memory (and not printed), for a scan.
    pub fn captured() -> Log {
        Log {
            captured: Some(Arc::default()),
            quiet: true,
        }
    }

    /// Writes one line.
    pub fn line(&self, line: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "{line}");
        }
        if let Some(buffer) = &self.captured {
            let mut buffer = buffer.lock().unwrap_or_else(PoisonError::into_inner);
            buffer.extend_from_slice(line.as_bytes());
            buffer.push(b'\n');
        }
    }

    /// Everything written so far (empty for a log that is not captured).
    pub fn contents(&self) -> Vec<u8> {
        self.captured.as_ref().map_or_else(Vec::new, |b| {
            b.lock().unwrap_or_else(PoisonError::into_inner).clone()
        })
    }
}
