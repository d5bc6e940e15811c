//! A separate OS process on a shared PostgreSQL store, driven by the
//! multi-process tests (`tests/postgres/multi_process.rs`). Each process
//! opens its own [`KeyRing`] over [`PostgresKeyStore`]; they share the
//! root key (one [`FileRootKey`] file, which the test creates) and nothing
//! else.
//!
//! Modes (the first argument), answers one per line on stdout:
//! - `churn CONN ROOT TENANT PURPOSE MILLIS`: rotates and encrypts in a loop
//!   for MILLIS ms; prints `rotated VERSION`, `conflict`, and `sealed
//!   ENVELOPE PLAINTEXT CONTEXT` per message; then `done`.
//! - `decrypt CONN ROOT FILE`: decrypts every `sealed` line of FILE and
//!   prints `ok N`, or `failed LINE ERROR` (exit code 1).
//! - `probe CONN ROOT TENANT PURPOSE ENVELOPE CONTEXT MILLIS TTL`: on a ring
//!   with cache lifetime TTL ms (`default`: the ring's default), every 2 ms
//!   decrypts ENVELOPE and encrypts once, and prints `NANOS DECRYPT
//!   VERSION` (the wall clock in ns since the Unix epoch, what decrypt gave:
//!   `ok` or the refusing state, and the version encrypt used) whenever one
//!   of them changes; stops after MILLIS ms.
#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use key_model::ring::{FileRootKey, PostgresKeyStore};
use key_model::{BackendErrorKind, Envelope, Error, KeyName, KeyRing, TenantScope};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| -> &str {
        args.get(i)
            .map_or_else(|| panic!("argument {i} missing: {args:?}"), String::as_str)
    };
    let ring = || {
        let store = PostgresKeyStore::connect_with(arg(1), 2).expect("connect to PostgreSQL");
        KeyRing::new(
            store,
            FileRootKey::open_or_create(arg(2)).expect("the root key file"),
        )
    };
    let millis = |i: usize| Duration::from_millis(arg(i).parse().expect("milliseconds"));
    match arg(0) {
        "churn" => churn(&ring(), &scope(arg(3)), &name(arg(3), arg(4)), millis(5)),
        "decrypt" => decrypt(&ring(), arg(3)),
        "probe" => {
            let ring = match arg(8) {
                "default" => ring(),
                _ => ring().with_cache_ttl(millis(8)),
            };
            probe(&ring, arg(3), arg(4), arg(5), arg(6), millis(7))
        }
        other => panic!("unknown mode {other}"),
    }
}

fn scope(tenant: &str) -> TenantScope {
    TenantScope::authorized_by_host(tenant.parse().expect("tenant"))
}

fn name(tenant: &str, purpose: &str) -> KeyName {
    format!("tenants/{tenant}/keys/{purpose}")
        .parse()
        .expect("key name")
}

fn churn(ring: &KeyRing, scope: &TenantScope, name: &KeyName, time: Duration) -> ExitCode {
    let pid = std::process::id();
    let start = Instant::now();
    let mut i = 0u64;
    while start.elapsed() < time {
        match ring.rotate(scope, name) {
            Ok(meta) => println!("rotated {}", meta.key_ref().version().get()),
            // Lost every retry to other processes: allowed, and counted.
            Err(Error::Backend(e)) if e.kind() == BackendErrorKind::Conflict => {
                println!("conflict");
            }
            Err(e) => panic!("rotate failed: {e}"),
        }
        for _ in 0..3 {
            let plaintext = format!("message-{pid}-{i}");
            let context = format!("context-{pid}-{i}");
            let envelope = ring
                .encrypt(scope, name, plaintext.as_bytes(), context.as_bytes())
                .expect("encrypt");
            println!("sealed {envelope} {plaintext} {context}");
            i += 1;
        }
    }
    println!("done");
    ExitCode::SUCCESS
}

fn decrypt(ring: &KeyRing, file: &str) -> ExitCode {
    let text = std::fs::read_to_string(file).expect("read the envelopes");
    let mut ok = 0usize;
    for line in text.lines().filter(|l| l.starts_with("sealed ")) {
        let mut parts = line.split(' ').skip(1);
        let (Some(envelope), Some(plaintext), Some(context)) =
            (parts.next(), parts.next(), parts.next())
        else {
            panic!("malformed line {line}");
        };
        let envelope: Envelope = envelope.parse().expect("envelope");
        let tenant = envelope.key_ref().tenant().clone();
        let scope = TenantScope::authorized_by_host(tenant);
        match ring.decrypt(&scope, &envelope, context.as_bytes()) {
            Ok(p) if p.as_bytes() == plaintext.as_bytes() => ok += 1,
            Ok(_) => {
                println!("failed {line} wrong-plaintext");
                return ExitCode::FAILURE;
            }
            Err(e) => {
                println!("failed {line} {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("ok {ok}");
    ExitCode::SUCCESS
}

fn probe(
    ring: &KeyRing,
    tenant: &str,
    purpose: &str,
    envelope: &str,
    context: &str,
    time: Duration,
) -> ExitCode {
    let scope = scope(tenant);
    let name = name(tenant, purpose);
    let envelope: Envelope = envelope.parse().expect("envelope");
    let start = Instant::now();
    let mut last = String::new();
    while start.elapsed() < time {
        let decrypted = match ring.decrypt(&scope, &envelope, context.as_bytes()) {
            Ok(_) => "ok".to_owned(),
            Err(Error::Refused(r)) => r.state().as_str().to_owned(),
            Err(e) => format!("error:{e}").replace(' ', "_"),
        };
        let version = ring
            .encrypt(&scope, &name, b"probe", b"")
            .map_or(0, |e| e.key_ref().version().get());
        let now = format!("{decrypted} {version}");
        if now != last {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .expect("clock after 1970")
                .as_nanos();
            println!("{nanos} {now}");
            last = now;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    ExitCode::SUCCESS
}
