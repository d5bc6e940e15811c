//! The time to unwrap one key through each root key, against the in-memory
//! root key: a small timed program, run by hand (not a test, not criterion:
//! a provider round trip is a network call, and percentiles say more than a
//! mean). Each sample is a cold ring (nothing cached) opening one 64-byte
//! envelope: one unwrap through the root key plus one AEAD, which the warm
//! figures in docs/performance.md put at about 2 µs.
//!
//! `cargo bench -p key-model-tests --bench root_key_unwrap` (the servers
//! must be installed: `bash scripts/install-test-deps.sh`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use key_model::ring::{MemoryKeyStore, MemoryRootKey, RootKey};
use key_model::{KeyName, KeyRing, TenantScope};

#[allow(dead_code, unreachable_pub)]
#[path = "../tests/root_keys/servers/mod.rs"]
mod servers;

const SAMPLES: usize = 500;

fn scope() -> TenantScope {
    TenantScope::authorized_by_host("acme".parse().expect("valid tenant"))
}

/// Cold-ring decrypts through `root`: the sorted sample times.
fn measure<R: RootKey + 'static>(root: &Arc<R>) -> Vec<Duration> {
    let store = Arc::new(MemoryKeyStore::new());
    let name: KeyName = "tenants/acme/keys/orders".parse().expect("valid name");
    let ring = KeyRing::new(Arc::clone(&store), Arc::clone(root));
    ring.create_key(&scope(), &name).expect("key created");
    let sealed = ring
        .encrypt(&scope(), &name, &[7; 64], b"")
        .expect("sealed");
    let mut times: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let cold = KeyRing::new(Arc::clone(&store), Arc::clone(root));
            let start = Instant::now();
            cold.decrypt(&scope(), &sealed, b"").expect("opens");
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn report(label: &str, times: &[Duration]) {
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!(
        "{label:10} p50 {:>9.1} µs   p99 {:>9.1} µs   ({} samples)",
        at(50).as_secs_f64() * 1e6,
        at(99).as_secs_f64() * 1e6,
        times.len()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // useful either: this program always runs the whole measurement.
    report(
        "memory",
        &measure(&Arc::new(MemoryRootKey::generate().expect("random"))),
    );
    let bao = servers::openbao::OpenBao::start();
    report("transit", &measure(&Arc::new(bao.root_key("bench"))));
    let token = servers::softhsm::Token::shared();
    report("pkcs11", &measure(&Arc::new(token.root_key("bench"))));
    let kms = servers::localstack::LocalStack::start();
    report("aws-kms", &measure(&Arc::new(kms.root_key().0)));
}
