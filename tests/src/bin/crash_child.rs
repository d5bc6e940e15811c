//! The child process of the crash-safety test (`tests/tests/ring/crash.rs`):
//! rotates and encrypts on a SQLite key store in a loop until it is killed.
//!
//! Usage: `crash_child DIR`, where `DIR` holds (or will hold) `keys.sqlite3`
//! and `root.key`. After each `encrypt` returns it prints one line,
//! `SEALED <context> <envelope>`, and flushes it: the parent kills the
//! process with SIGKILL at a random moment, and every complete line it read
//! must still decrypt after the store is opened again.
#![forbid(unsafe_code)]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use key_model::ring::{FileRootKey, SqliteKeyStore};
use key_model::{KeyName, KeyRing, TenantScope};

const KEYS: [&str; 3] = ["recordings", "exports", "backups"];

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: crash_child DIR");
        return ExitCode::FAILURE;
    };
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crash_child: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let ring = KeyRing::new(
        SqliteKeyStore::open(dir.join("keys.sqlite3"))?,
        FileRootKey::open_or_create(dir.join("root.key"))?,
    );
    // The host's decision for this test process: it owns tenant acme.
    let scope = TenantScope::authorized_by_host("acme".parse()?);
    let names: Vec<KeyName> = KEYS
        .iter()
        .map(|k| format!("tenants/acme/keys/{k}").parse())
        .collect::<Result<_, _>>()?;
    for name in &names {
        if ring.versions(&scope, name).is_err() {
            ring.create_key(&scope, name)?;
        }
    }
    let pid = std::process::id();
    let mut stdout = std::io::stdout().lock();
    for i in 0u64.. {
        let name = &names[usize::try_from(i % 3)?];
        if i % 4 == 0 {
            ring.rotate(&scope, name)?;
        }
        let context = format!("{pid}-{i}");
        let envelope = ring.encrypt(&scope, name, context.as_bytes(), context.as_bytes())?;
        writeln!(stdout, "SEALED {context} {envelope}")?;
        stdout.flush()?;
    }
    Ok(())
}
