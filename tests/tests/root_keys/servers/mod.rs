//! The real servers the root-key tests run against, started by the tests
//! themselves: each on a free port of 127.0.0.1, ready before it is
//! returned, stopped when its last user drops it (a panicking test drops it
//! too, while unwinding). A missing tool fails the test with the command
//! that installs it; nothing is skipped.
//!
//! The tools are found where `scripts/install-test-deps.sh` puts them
//! (`$KEY_MODEL_TEST_DEPS`, default `~/.cache/key-model-test-deps`), then
//! on `PATH`.

pub(crate) mod localstack;
pub(crate) mod openbao;
pub(crate) mod softhsm;

use std::net::{Ipv4Addr, TcpListener};
use std::path::PathBuf;
use std::process::Child;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

/// The install script's cache directory.
pub(crate) fn deps_dir() -> PathBuf {
    std::env::var_os("KEY_MODEL_TEST_DEPS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/key-model-test-deps"))
        })
        .expect("HOME or KEY_MODEL_TEST_DEPS is set")
}

/// `relative` under the cache directory, else `name` on `PATH`; a missing
/// tool panics with the way to install it.
pub(crate) fn tool(relative: &str, name: &str, install: &str) -> PathBuf {
    let cached = deps_dir().join(relative);
    if cached.is_file() {
        return cached;
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "{name} is not installed (looked in {} and on PATH): run `bash scripts/install-test-deps.sh {install}`",
        cached.display()
    );
}

/// A port of 127.0.0.1 that was free a moment ago.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// Polls `ready` until it holds, or panics after `limit`.
pub(crate) fn wait_until(what: &str, limit: Duration, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < limit, "{what} not ready after {limit:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A child process killed (and reaped) when dropped.
pub(crate) struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One server shared by the tests that run at the same time: started by the
/// first, stopped when the last one drops its handle (the next test starts
/// a new one).
pub(crate) struct Shared<T>(Mutex<Weak<T>>);

impl<T> Shared<T> {
    pub(crate) const fn new() -> Shared<T> {
        Shared(Mutex::new(Weak::new()))
    }

    pub(crate) fn get(&self, start: impl FnOnce() -> T) -> Arc<T> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(server) = slot.upgrade() {
            return server;
        }
        let server = Arc::new(start());
        *slot = Arc::downgrade(&server);
        server
    }
}

/// A blocking HTTP client for the tests' admin calls (not key-model's).
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(10)))
            .build(),
    )
}
