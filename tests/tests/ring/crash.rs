//! Crash safety of the SQLite store: a child process
//! (`tests/src/bin/crash_child.rs`) rotates and encrypts in a loop and is
//! killed with SIGKILL at a random moment, 20 times. After each kill the
//! store opens, `SqliteKeyStore::verify` passes, and every envelope the
//! child reported as sealed (a complete line on its standard output,
//! printed after `encrypt` returned) decrypts, in this process, to what was
//! sealed. Replay a run with `KEY_MODEL_CRASH_SEED`.

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::support::{TempDir, scope};
use key_model::ring::{FileRootKey, SqliteKeyStore};
use key_model::{Envelope, KeyRing};

const KILLS: usize = 20;

/// A small xorshift generator: the kill delays, reproducible from a seed.
struct Delays(u64);

impl Delays {
    fn next_ms(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

#[test]
fn a_store_killed_mid_write_opens_and_every_reported_envelope_decrypts() {
    let seed = std::env::var("KEY_MODEL_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(1, |d| u64::from(d.subsec_nanos()) ^ d.as_secs() | 1)
        });
    println!("KEY_MODEL_CRASH_SEED={seed}");
    let mut delays = Delays(seed);
    let dir = TempDir::new("crash");
    let started = Instant::now();
    let mut sealed: Vec<(String, Envelope)> = Vec::new();
    let mut rounds_that_sealed = 0;
    for round in 0..KILLS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash_child"))
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the child starts");
        let mut stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = stdout.read_to_end(&mut text);
            text
        });
        std::thread::sleep(Duration::from_millis(50 + delays.next_ms(250)));
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            let _ = child.stderr.take().expect("piped").read_to_string(&mut err);
            panic!("round {round}: the child exited by itself ({status}): {err}");
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("the child is reaped");
        let text = String::from_utf8(reader.join().expect("reader")).expect("UTF-8");

        // Only complete lines: a line cut by the kill was never reported.
        let before = sealed.len();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        for line in complete.lines() {
            let mut parts = line.splitn(3, ' ');
            assert_eq!(parts.next(), Some("SEALED"), "round {round}: {line}");
            let context = parts.next().expect("a context").to_owned();
            let envelope: Envelope = parts.next().expect("an envelope").parse().unwrap();
            sealed.push((context, envelope));
        }
        if sealed.len() > before {
            rounds_that_sealed += 1;
        }

        let store = SqliteKeyStore::open(dir.file("keys.sqlite3"))
            .unwrap_or_else(|e| panic!("round {round}: the store does not open: {e}"));
        let keys = store
            .verify()
            .unwrap_or_else(|e| panic!("round {round}: the store does not verify: {e}"));
        assert!(keys <= 3, "round {round}: {keys} keys");
        let ring = KeyRing::new(
            store,
            FileRootKey::open_or_create(dir.file("root.key")).unwrap(),
        );
        let acme = scope("acme");
        for (context, envelope) in &sealed {
            let opened = ring
                .decrypt(&acme, envelope, context.as_bytes())
                .unwrap_or_else(|e| {
                    panic!(
                        "round {round}: {} no longer decrypts: {e}",
                        envelope.key_ref()
                    )
                });
            assert_eq!(opened.as_bytes(), context.as_bytes(), "round {round}");
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{KILLS} kills, {} envelopes, {rounds_that_sealed} rounds sealed something, {elapsed:?}",
        sealed.len()
    );
    assert!(
        rounds_that_sealed >= KILLS / 2,
        "most children lived long enough to seal: {rounds_that_sealed} of {KILLS}"
    );
    let versions = sealed
        .iter()
        .map(|(_, e)| e.key_ref().version().get())
        .max()
        .unwrap_or(0);
    assert!(
        versions > 2,
        "the children rotated (highest version {versions})"
    );
    assert!(elapsed < Duration::from_secs(60), "bounded: {elapsed:?}");
}
