//! The binary as the tests run it: `serve` in a child process (stopped on
//! drop) and `operator` commands in others.

#![allow(dead_code)] // each test binary uses its own part

use std::ffi::OsStr;
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

/// The service's binary.
pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_key-model-service");

/// A `serve` process; killed and reaped on drop.
pub(crate) struct Serve {
    child: Child,
    /// Where it listens.
    pub(crate) addr: SocketAddr,
    /// The demo tenants' tokens it printed (with `--demo`).
    pub(crate) tokens: Vec<(String, String)>,
}

impl Serve {
    /// Starts `serve --listen 127.0.0.1:0` with `args`, and waits until it
    /// says where it listens.
    pub(crate) fn start<S: AsRef<OsStr>>(args: &[S]) -> Serve {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut serve = Serve {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            tokens: Vec::new(),
        };
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("demo tenant ")
                && let Some((tenant, token)) = rest.split_once(": sign in with token ")
            {
                serve.tokens.push((tenant.to_owned(), token.to_owned()));
            }
            if let Some(rest) = line.strip_prefix("serving on http://") {
                serve.addr = rest.split('/').next().unwrap().parse().unwrap();
                return serve;
            }
        }
        panic!("serve exited before it listened: {:?}", serve.child.wait());
    }

    /// The demo token of `tenant`.
    pub(crate) fn token(&self, tenant: &str) -> &str {
        &self
            .tokens
            .iter()
            .find(|(t, _)| t == tenant)
            .expect("a demo token")
            .1
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `operator` with `args`, which must succeed; returns its output.
pub(crate) fn operator<S: AsRef<OsStr>>(args: &[S]) -> String {
    let out = Command::new(BIN)
        .arg("operator")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "operator: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
