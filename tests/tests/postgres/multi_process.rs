//! Several OS processes on one PostgreSQL store (the worker binary
//! `key-model-pg-worker`, one ring each, sharing only the database and one
//! `FileRootKey` file that the test creates):
//!
//! - four processes rotating and encrypting at once for a few seconds:
//!   every version number handed out once, exactly one primary, no version
//!   lost, and every envelope any of them sealed opens in every other;
//! - the cross-instance bound: after `disable`, `destroy` or a primary
//!   change returns in this process, another process acts on it within the
//!   documented bound (the ring's cache lifetime, 1 s by default), measured
//!   and asserted with a margin.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use std::path::PathBuf;

use key_model::ring::FileRootKey;
use key_model::{KeyRing, Timestamp};
use key_model_tests::postgres::Database;

use crate::support::{database, name, scope, store};

const WORKER: &str = env!("CARGO_BIN_EXE_key-model-pg-worker");

/// The documented bound: the default cache lifetime.
const BOUND: Duration = Duration::from_secs(1);
/// What the test allows on top: the probe's 2 ms period, a reload's round
/// trips, and a loaded two-core machine.
const MARGIN: Duration = Duration::from_millis(500);

/// A database and the root key file every process of one test shares
/// (deleted with it).
struct Shared {
    db: Database,
    dir: PathBuf,
}

impl Shared {
    fn new() -> Shared {
        let db = database();
        let dir = std::env::temp_dir().join(format!("key-model-pg-root-{}", db.name()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        Shared { db, dir }
    }

    fn root_path(&self) -> PathBuf {
        self.dir.join("root.key")
    }

    /// A ring of this process over the store, with the shared root key.
    fn ring(&self) -> KeyRing {
        let root = FileRootKey::open_or_create(self.root_path()).expect("the root key file");
        KeyRing::new(store(&self.db), root)
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn worker(shared: &Shared, args: &[&str]) -> Command {
    let mut command = Command::new(WORKER);
    command
        .arg(args[0])
        .arg(shared.db.connection_string())
        .arg(shared.root_path())
        .args(&args[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn finished(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "a worker failed ({}): {stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn four_processes_rotate_and_encrypt_on_one_store_without_losing_anything() {
    let db = Shared::new();
    let (acme, shared) = (scope("acme"), name("acme", "shared"));
    db.ring().create_key(&acme, &shared).expect("create");

    let children: Vec<Child> = (0..4)
        .map(|_| {
            worker(&db, &["churn", "acme", "shared", "3000"])
                .spawn()
                .expect("start a worker")
        })
        .collect();
    let outputs: Vec<String> = children
        .into_iter()
        .map(|c| finished(&c.wait_with_output().expect("wait for a worker")))
        .collect();

    let mut rotated = BTreeSet::new();
    let mut sealed = Vec::new();
    for (i, out) in outputs.iter().enumerate() {
        assert!(out.ends_with("done\n"), "worker {i} did not finish: {out}");
        let mut mine = 0;
        for line in out.lines() {
            if let Some(v) = line.strip_prefix("rotated ") {
                let v: u32 = v.parse().expect("a version number");
                assert!(rotated.insert(v), "version {v} was handed out twice");
                mine += 1;
            } else if line.starts_with("sealed ") {
                sealed.push(line.to_owned());
            }
        }
        assert!(mine > 0, "worker {i} never rotated: {out}");
    }

    // The store holds version 1 and every version a rotation returned, none
    // else, and exactly one primary: the newest.
    let versions = db.ring().versions(&acme, &shared).expect("versions");
    let stored: BTreeSet<u32> = versions
        .iter()
        .map(|m| m.key_ref().version().get())
        .collect();
    let mut expected = rotated.clone();
    expected.insert(1);
    assert_eq!(stored, expected, "a rotation was lost or invented");
    let primaries: Vec<_> = versions.iter().filter(|m| m.is_primary()).collect();
    assert_eq!(primaries.len(), 1, "{primaries:?}");
    assert_eq!(
        primaries[0].key_ref().version().get(),
        *expected.last().expect("versions")
    );

    // Every envelope opens in every process (each worker decrypts all of
    // them with a ring of its own).
    let file = std::env::temp_dir().join(format!(
        "key-model-pg-envelopes-{}-{}",
        std::process::id(),
        db.db.name()
    ));
    std::fs::write(&file, sealed.join("\n")).expect("write the envelopes");
    let path = file.to_str().expect("UTF-8 path");
    let children: Vec<Child> = (0..4)
        .map(|_| {
            worker(&db, &["decrypt", path])
                .spawn()
                .expect("start a worker")
        })
        .collect();
    let results: Vec<String> = children
        .into_iter()
        .map(|c| finished(&c.wait_with_output().expect("wait for a worker")))
        .collect();
    let _ = std::fs::remove_file(&file);
    for result in results {
        assert_eq!(result.trim(), format!("ok {}", sealed.len()));
    }
    assert!(
        sealed.len() >= 12,
        "too little traffic to mean anything: {}",
        sealed.len()
    );
}

/// What the probe process reported: when, what decrypt gave, which version
/// encrypt used.
struct Seen {
    nanos: u128,
    decrypt: String,
    version: u32,
}

fn now_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos()
}

/// Waits for the probe to report `until`, and returns how long after
/// `since` (ns since the epoch) it first did.
fn observed(
    lines: &Receiver<Seen>,
    what: &str,
    since: u128,
    until: impl Fn(&Seen) -> bool,
) -> Duration {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(seen) if until(&seen) => {
                let after = seen.nanos.saturating_sub(since);
                return Duration::from_nanos(u64::try_from(after).expect("a few seconds"));
            }
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout) => {
                panic!("the other process never saw the {what} (10 s)")
            }
            Err(RecvTimeoutError::Disconnected) => panic!("the probe process ended"),
        }
    }
}

#[test]
fn disable_destroy_and_a_primary_change_reach_another_process_within_the_bound() {
    let took = changes_seen_by_another_process("default");
    for (what, took) in took {
        assert!(
            took < BOUND + MARGIN,
            "the {what} took {took:?} to reach the other process (bound {BOUND:?})"
        );
    }
}

#[test]
fn with_a_zero_cache_lifetime_another_process_sees_changes_at_its_next_operation() {
    // Every operation asks the store: the bound is one probe period and
    // one revision read, not a cache lifetime.
    for (what, took) in changes_seen_by_another_process("0") {
        assert!(
            took < MARGIN,
            "the {what} took {took:?} to reach a process that checks on every operation"
        );
    }
}

/// Starts a probe process with cache lifetime `ttl` (ms, or `default`),
/// makes a primary change, a disable and a destroy here, and returns how
/// long after each returned the probe first acted on it.
fn changes_seen_by_another_process(ttl: &str) -> [(&'static str, Duration); 3] {
    let db = Shared::new();
    let (acme, key) = (scope("acme"), name("acme", "bound"));
    let ring = db.ring();
    let v1 = ring
        .create_key(&acme, &key)
        .expect("create")
        .key_ref()
        .clone();
    let sealed = ring
        .encrypt(&acme, &key, b"old data", b"")
        .expect("encrypt");
    ring.rotate(&acme, &key).expect("rotate");

    let mut probe = worker(
        &db,
        &[
            "probe",
            "acme",
            "bound",
            &sealed.to_string(),
            "",
            "30000",
            ttl,
        ],
    )
    .spawn()
    .expect("start the probe");
    let stdout = probe.stdout.take().expect("piped");
    let (tx, lines) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("probe output");
            let mut parts = line.split(' ');
            let seen = Seen {
                nanos: parts.next().and_then(|n| n.parse().ok()).expect("time"),
                decrypt: parts.next().expect("decrypt").to_owned(),
                version: parts.next().and_then(|v| v.parse().ok()).expect("version"),
            };
            if tx.send(seen).is_err() {
                return;
            }
        }
    });
    observed(&lines, "start", 0, |s| s.decrypt == "ok" && s.version == 2);

    let v3 = ring.rotate(&acme, &key).expect("rotate");
    let since = now_nanos();
    let primary = observed(&lines, "primary change", since, |s| {
        s.version == v3.key_ref().version().get()
    });

    ring.disable(&acme, &v1).expect("disable");
    let since = now_nanos();
    let disable = observed(&lines, "disable", since, |s| s.decrypt == "disabled");

    let at = Timestamp::from_unix_seconds(1_900_000_000);
    ring.schedule_destruction(&acme, &v1, at).expect("schedule");
    ring.destroy(&acme, &v1).expect("destroy");
    let since = now_nanos();
    let destroy = observed(&lines, "destroy", since, |s| s.decrypt == "destroyed");

    // The probe is ours; stop it by its handle.
    let _ = probe.kill();
    let _ = probe.wait();
    let _ = reader.join();
    eprintln!(
        "cross-process bound (cache lifetime {ttl}): primary change {primary:?}, \
         disable {disable:?}, destroy {destroy:?}"
    );
    [
        ("primary change", primary),
        ("disable", disable),
        ("destroy", destroy),
    ]
}
