//! The key stores side by side, in one run: the in-memory store, the SQLite
//! store (a file in a temporary directory) and the PostgreSQL store (on a
//! throwaway server the bench starts itself, `key_model_tests::postgres`),
//! against raw XChaCha20-Poly1305.
//!
//! Criterion measures (ratios: `python3 scripts/bench/store-ratios.py`):
//! - `store_cached/{encrypt,decrypt}/{raw,memory,sqlite,postgres}`: 4 KiB with a
//!   cached key; the raw side is the floor of `key-model/benches/ring.rs`
//!   (a fresh random nonce, one buffer of the exact size, sealed in place).
//! - `store_threads/decrypt/{1,2}`: 4 KiB decrypts on one ring (PostgreSQL
//!   store) from one thread and from two at once; one iteration is one
//!   decrypt per thread, so the throughput ratio is
//!   `2 * time(1) / time(2)`.
//!
//! Printed after criterion (a loop of its own, not criterion's statistics,
//! because they are percentiles and one-shot costs):
//! - rotate latency on each store, p50 and p99 of 200 rotations (20 keys,
//!   10 each, so records stay small as in service);
//! - cold start: a store of 10 000 keys opened by a new ring, each key
//!   decrypted once (each a load, an unwrap and a decrypt).
//!
//! Run: `cargo bench -p key-model-tests --bench stores`, then
//! `python3 scripts/bench/store-ratios.py`; figures in `docs/performance.md`.
//! `bash scripts/bench/store-instructions.sh` counts instructions instead (the
//! machine is shared, wall clock is noisy): with `KEY_MODEL_BENCH_CASE` set
//! (`encrypt/raw`, `decrypt/postgres`, ...), the binary runs that case
//! `KEY_MODEL_BENCH_TIMES` times inside `key_model_measured_region`, which
//! callgrind counts alone, and exits.
#![forbid(unsafe_code)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::KeyInit;
use criterion::{BenchmarkId, Criterion, Throughput};
use key_model::ring::{KeyStore, MemoryKeyStore, PostgresKeyStore, SqliteKeyStore};
use key_model::testing::CanaryKeys;
use key_model::{Envelope, KeyName, KeyRing, TenantScope};
use key_model_tests::postgres::{Cluster, Database};

const SIZE: usize = 4096;
// The raw floor of `key-model/benches/ring.rs`, the same file.
#[path = "../../key-model/benches/support/raw_floor.rs"]
mod raw_floor;
use raw_floor::{CONTEXT, raw_decrypt, raw_encrypt};
/// Keys in the cold-start store.
const COLD_KEYS: usize = 10_000;

fn raw_cipher() -> XChaCha20Poly1305 {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("random source");
    XChaCha20Poly1305::new(&key.into())
}

fn scope() -> TenantScope {
    TenantScope::authorized_by_host("acme".parse().expect("tenant"))
}

fn name(i: usize) -> KeyName {
    format!("tenants/acme/keys/key-{i}").parse().expect("name")
}

/// The stores under test, by label: each a fresh, empty one.
struct Stores {
    memory: Arc<MemoryKeyStore>,
    sqlite: Arc<SqliteKeyStore>,
    postgres: Arc<PostgresKeyStore>,
    _db: Database,
    dir: std::path::PathBuf,
}

impl Stores {
    fn new(cluster: &Arc<Cluster>) -> Stores {
        let db = cluster.database();
        let dir =
            std::env::temp_dir().join(format!("key-model-store-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        Stores {
            memory: Arc::new(MemoryKeyStore::new()),
            sqlite: Arc::new(SqliteKeyStore::open(dir.join("keys.sqlite3")).expect("open")),
            postgres: Arc::new(
                PostgresKeyStore::connect(&db.connection_string()).expect("connect"),
            ),
            _db: db,
            dir,
        }
    }

    fn each(&self) -> [(&'static str, Arc<dyn KeyStore>); 3] {
        [
            ("memory", Arc::clone(&self.memory) as Arc<dyn KeyStore>),
            ("sqlite", Arc::clone(&self.sqlite) as Arc<dyn KeyStore>),
            ("postgres", Arc::clone(&self.postgres) as Arc<dyn KeyStore>),
        ]
    }
}

impl Drop for Stores {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn ring_over(store: Arc<dyn KeyStore>, root: &CanaryKeys) -> KeyRing {
    KeyRing::new(store, root.root_key())
}

fn cached(c: &mut Criterion, stores: &Stores, root: &CanaryKeys) {
    let plaintext = vec![0x5au8; SIZE];
    let raw = raw_cipher();
    let raw_sealed = raw_encrypt(&raw, &plaintext);
    let mut group = c.benchmark_group("store_cached");
    group.throughput(Throughput::Bytes(SIZE as u64));
    group.bench_function(BenchmarkId::new("encrypt", "raw"), |b| {
        b.iter(|| black_box(raw_encrypt(&raw, &plaintext)));
    });
    group.bench_function(BenchmarkId::new("decrypt", "raw"), |b| {
        b.iter(|| black_box(raw_decrypt(&raw, &raw_sealed)));
    });
    for (label, store) in stores.each() {
        let ring = ring_over(store, root);
        let key = name(0);
        ring.create_key(&scope(), &key).expect("create");
        let envelope = ring
            .encrypt(&scope(), &key, &plaintext, CONTEXT)
            .expect("encrypt");
        group.bench_function(BenchmarkId::new("encrypt", label), |b| {
            b.iter(|| {
                black_box(
                    ring.encrypt(&scope(), &key, &plaintext, CONTEXT)
                        .expect("encrypt"),
                )
            });
        });
        group.bench_function(BenchmarkId::new("decrypt", label), |b| {
            b.iter(|| black_box(ring.decrypt(&scope(), &envelope, CONTEXT).expect("decrypt")));
        });
    }
    group.finish();
}

fn threads(c: &mut Criterion, stores: &Stores, root: &CanaryKeys) {
    let ring = ring_over(Arc::clone(&stores.postgres) as Arc<dyn KeyStore>, root);
    let key = name(1);
    ring.create_key(&scope(), &key).expect("create");
    let envelope = ring
        .encrypt(&scope(), &key, &vec![0x5au8; SIZE], CONTEXT)
        .expect("encrypt");
    let mut group = c.benchmark_group("store_threads");
    for n in [1u64, 2] {
        group.throughput(Throughput::Elements(n));
        group.bench_function(BenchmarkId::new("decrypt", n), |b| {
            b.iter_custom(|iters| {
                let scope = scope();
                let start = Instant::now();
                std::thread::scope(|s| {
                    for _ in 0..n {
                        s.spawn(|| {
                            for _ in 0..iters {
                                black_box(
                                    ring.decrypt(&scope, &envelope, CONTEXT).expect("decrypt"),
                                );
                            }
                        });
                    }
                });
                start.elapsed()
            });
        });
    }
    group.finish();
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn rotate_latency(stores: &Stores, root: &CanaryKeys) {
    println!("\nrotate latency (200 rotations: 20 keys, 10 each)");
    for (label, store) in stores.each() {
        let ring = ring_over(store, root);
        let keys: Vec<KeyName> = (100..120).map(name).collect();
        for key in &keys {
            ring.create_key(&scope(), key).expect("create");
        }
        let mut took = Vec::with_capacity(200);
        for _ in 0..10 {
            for key in &keys {
                let start = Instant::now();
                black_box(ring.rotate(&scope(), key).expect("rotate"));
                took.push(start.elapsed());
            }
        }
        took.sort();
        println!(
            "  {label:9} p50 {:>10.1?}  p99 {:>10.1?}",
            percentile(&took, 50),
            percentile(&took, 99)
        );
    }
}

fn cold_start(stores: &Stores, root: &CanaryKeys) {
    println!("\ncold start: a new ring over {COLD_KEYS} keys, each decrypted once");
    for (label, store) in stores.each() {
        let envelopes: Vec<Envelope> = {
            let ring = ring_over(Arc::clone(&store), root);
            (0..COLD_KEYS)
                .map(|i| {
                    let key = name(10_000 + i);
                    ring.create_key(&scope(), &key).expect("create");
                    ring.encrypt(&scope(), &key, b"cold", CONTEXT)
                        .expect("encrypt")
                })
                .collect()
        };
        let start = Instant::now();
        let ring = ring_over(store, root);
        for envelope in &envelopes {
            black_box(ring.decrypt(&scope(), envelope, CONTEXT).expect("decrypt"));
        }
        let took = start.elapsed();
        println!(
            "  {label:9} total {took:>10.1?}  per key {:>10.1?}",
            took / u32::try_from(COLD_KEYS).expect("small")
        );
    }
}

/// The code callgrind counts: `times` runs of `op`.
#[inline(never)]
fn key_model_measured_region(times: u32, op: &mut dyn FnMut()) {
    for _ in 0..times {
        op();
    }
}

/// One case under callgrind: set up, one untimed run, then `times` runs
/// inside the measured region.
fn instruction_case(case: &str, times: u32, stores: &Stores, root: &CanaryKeys) {
    let plaintext = vec![0x5au8; SIZE];
    let (op, side) = case.split_once('/').expect("CASE is OP/SIDE");
    let mut run: Box<dyn FnMut()> = if side == "raw" {
        let raw = raw_cipher();
        let sealed = raw_encrypt(&raw, &plaintext);
        match op {
            "encrypt" => Box::new(move || drop(black_box(raw_encrypt(&raw, &plaintext)))),
            _ => Box::new(move || drop(black_box(raw_decrypt(&raw, &sealed)))),
        }
    } else {
        let store = stores
            .each()
            .into_iter()
            .find(|(label, _)| *label == side)
            .map(|(_, store)| store)
            .expect("a store label");
        // A lifetime longer than the run: the count is the cached path
        // alone, without the one revision read per second it amortizes.
        let ring = ring_over(store, root).with_cache_ttl(Duration::from_secs(3600));
        let key = name(2);
        ring.create_key(&scope(), &key).expect("create");
        let envelope = ring
            .encrypt(&scope(), &key, &plaintext, CONTEXT)
            .expect("encrypt");
        let scope = scope();
        match op {
            "encrypt" => Box::new(move || {
                drop(black_box(
                    ring.encrypt(&scope, &key, &plaintext, CONTEXT)
                        .expect("encrypt"),
                ));
            }),
            _ => Box::new(move || {
                drop(black_box(
                    ring.decrypt(&scope, &envelope, CONTEXT).expect("decrypt"),
                ));
            }),
        }
    };
    run();
    key_model_measured_region(times, &mut *run);
}

fn main() {
    // One server for the whole run, stopped when `cluster` drops.
    let cluster = Cluster::shared();
    // A fixed root key, so every ring of a store reads its keys (the kit's
    // root key; the material of new versions is random as in service).
    let root = CanaryKeys::new(0xbe_0c13);
    let stores = Stores::new(&cluster);
    if let Ok(case) = std::env::var("KEY_MODEL_BENCH_CASE") {
        let times = std::env::var("KEY_MODEL_BENCH_TIMES")
            .ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or(1000);
        instruction_case(&case, times, &stores, &root);
        return;
    }
    // Short runs: the machine is small and shared; criterion compares the
    // sides within one run, which is what the ratios need.
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    cached(&mut c, &stores, &root);
    threads(&mut c, &stores, &root);
    c.final_summary();
    // `cargo bench -- FILTER` and `--list` run criterion's part only.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') || a == "--list")
    {
        return;
    }
    rotate_latency(&stores, &root);
    cold_start(&stores, &root);
}
