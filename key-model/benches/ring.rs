//! Throughput of envelope encryption through the key ring against the raw
//! `chacha20poly1305` crate, in one run, on 64 B, 4 KiB and 1 MiB.
//!
//! Both sides do what a correct caller must: a fresh random 24-byte nonce
//! from `getrandom` for every message, the caller's context as associated
//! data, and one self-contained message out. The raw side is the floor: the
//! same buffer discipline as the ring (one allocation of the exact size,
//! holding the nonce, the ciphertext sealed in place and the tag, returned
//! as a `Box<[u8]>` as the ring's envelope holds it; on decryption one
//! allocation, opened in place), nothing more, and the cipher built once
//! outside the loop. The ring adds the scope check, the key lookup and
//! policy check, its header (bound as associated data too), the envelope's
//! key reference and, on decryption, zeroizing the plaintext buffer.
//! [`check_floor`] asserts that both sides produce and accept what they
//! should before anything is measured.
//!
//! Run: `cargo bench -p key-model --bench ring` (criterion; the ratios are
//! in `docs/key-model.md`). `bash scripts/bench/ring-instructions.sh` runs
//! each case under callgrind (this binary with `KEY_MODEL_BENCH_CASE` set)
//! for exact instruction counts, and `KEY_MODEL_BENCH_AB=400 cargo bench -p
//! key-model --bench ring` runs the interleaved A/B comparison ([`ab`])
//! instead of criterion.
#![forbid(unsafe_code)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::KeyInit;
use criterion::{BenchmarkId, Criterion, Throughput};
use key_model::{Envelope, KeyName, KeyRing, TenantScope};

const SIZES: [(usize, &str); 3] = [(64, "64B"), (4096, "4KiB"), (1 << 20, "1MiB")];

#[path = "support/raw_floor.rs"]
mod raw_floor;
use raw_floor::{CONTEXT, NONCE_LEN, TAG_LEN, raw_decrypt, raw_encrypt};

/// The two sides and their inputs.
struct Sides {
    /// Shared, so that the refresher (which holds a `Weak`) can be on.
    ring: Arc<KeyRing>,
    scope: TenantScope,
    name: KeyName,
    raw: XChaCha20Poly1305,
}

fn setup() -> Sides {
    let ring = KeyRing::in_memory().expect("ring");
    let scope = TenantScope::authorized_by_host("acme".parse().expect("tenant"));
    let name: KeyName = "tenants/acme/keys/ssh-session-recording"
        .parse()
        .expect("name");
    ring.create_key(&scope, &name).expect("create");
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("random source");
    let raw = XChaCha20Poly1305::new(&key.into());
    Sides {
        ring: Arc::new(ring),
        scope,
        name,
        raw,
    }
}

impl Sides {
    fn ring_encrypt(&self, plaintext: &[u8]) -> Envelope {
        self.ring
            .encrypt(&self.scope, &self.name, plaintext, CONTEXT)
            .expect("encrypt")
    }

    fn ring_decrypt(&self, envelope: &Envelope) -> key_model::Plaintext {
        self.ring
            .decrypt(&self.scope, envelope, CONTEXT)
            .expect("decrypt")
    }
}

/// Both sides round-trip, and the raw message is exactly nonce, ciphertext
/// and tag: the floor does no less than a correct caller must.
fn check_floor(sides: &Sides) {
    for (size, _) in SIZES {
        let plaintext = vec![0x5au8; size];
        let sealed = raw_encrypt(&sides.raw, &plaintext);
        assert_eq!(sealed.len(), NONCE_LEN + size + TAG_LEN);
        assert_ne!(&sealed[NONCE_LEN..NONCE_LEN + size], &plaintext[..]);
        assert_eq!(raw_decrypt(&sides.raw, &sealed), plaintext);
        let envelope = sides.ring_encrypt(&plaintext);
        assert_eq!(sides.ring_decrypt(&envelope).as_bytes(), &plaintext[..]);
    }
}

/// One operation of a case, on its prepared input.
type Op = Box<dyn Fn()>;

/// Every case, `(operation/side/size, op)`: criterion times each, and
/// `KEY_MODEL_BENCH_CASE` runs one alone for callgrind. An op returns
/// nothing; its result goes through `black_box` and is dropped inside, as
/// a caller's would be.
fn cases() -> Vec<(String, Op)> {
    let mut cases: Vec<(String, Op)> = Vec::new();
    for (size, label) in SIZES {
        let plaintext = vec![0x5au8; size];
        let sides = std::rc::Rc::new(setup());
        let (s, p) = (sides.clone(), plaintext.clone());
        cases.push((
            format!("encrypt/raw/{label}"),
            Box::new(move || drop(black_box(raw_encrypt(&s.raw, black_box(&p))))),
        ));
        let (s, p) = (sides.clone(), plaintext.clone());
        cases.push((
            format!("encrypt/ring/{label}"),
            Box::new(move || drop(black_box(s.ring_encrypt(black_box(&p))))),
        ));
        let (s, sealed) = (sides.clone(), raw_encrypt(&sides.raw, &plaintext));
        cases.push((
            format!("decrypt/raw/{label}"),
            Box::new(move || drop(black_box(raw_decrypt(&s.raw, black_box(&sealed))))),
        ));
        let (s, envelope) = (sides.clone(), sides.ring_encrypt(&plaintext));
        cases.push((
            format!("decrypt/ring/{label}"),
            Box::new(move || drop(black_box(s.ring_decrypt(black_box(&envelope))))),
        ));
        // The same ring with the background refresher on: the hot path is
        // meant to cost the same (the refresher's work is on its thread).
        let refreshed = std::rc::Rc::new(setup_refreshed());
        let (s, p) = (refreshed.clone(), plaintext.clone());
        cases.push((
            format!("encrypt/refreshed/{label}"),
            Box::new(move || drop(black_box(s.ring_encrypt(black_box(&p))))),
        ));
        let (s, envelope) = (refreshed.clone(), refreshed.ring_encrypt(&plaintext));
        cases.push((
            format!("decrypt/refreshed/{label}"),
            Box::new(move || drop(black_box(s.ring_decrypt(black_box(&envelope))))),
        ));
    }
    cases
}

/// [`setup`] with the background refresher on (the default lifetime).
fn setup_refreshed() -> Sides {
    let sides = setup();
    // Detached: it ends when the ring is dropped, with the case.
    drop(sides.ring.refresh_in_background().expect("refresher"));
    sides
}

/// The region `scripts/bench/ring-instructions.sh` counts with callgrind
/// (`--toggle-collect`): `times` runs of one case.
#[inline(never)]
fn key_model_measured_region(op: &dyn Fn(), times: u32) {
    for _ in 0..times {
        op();
    }
}

/// The interleaved A/B comparison (`KEY_MODEL_BENCH_AB=ROUNDS`): for each
/// operation and size, `ROUNDS` rounds, each timing one batch of the raw
/// side and one of the ring, in alternating order, so that load from the
/// rest of the machine falls on both alike. Prints the median time per
/// operation of each side, the ratio of the medians and the median of the
/// rounds' ratios (each round's two batches ran back to back).
fn ab(rounds: usize) {
    let cases = cases();
    let op = |name: &str| &cases.iter().find(|(n, _)| n == name).expect("case").1;
    println!("interleaved A/B, {rounds} rounds of one batch per side, ns per operation");
    for operation in ["encrypt", "decrypt"] {
        for (size, label) in SIZES {
            // About 100 µs per batch on this machine.
            let batch: u32 = u32::try_from((1 << 16) / (size + 1024) + 1).expect("batch");
            let (raw, ring) = (
                op(&format!("{operation}/raw/{label}")),
                op(&format!("{operation}/ring/{label}")),
            );
            let time = |f: &Op| {
                let start = std::time::Instant::now();
                for _ in 0..batch {
                    f();
                }
                start.elapsed().as_secs_f64() * 1e9 / f64::from(batch)
            };
            let (mut raws, mut rings, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..rounds {
                let (a, b) = if round % 2 == 0 {
                    let a = time(raw);
                    (a, time(ring))
                } else {
                    let b = time(ring);
                    (time(raw), b)
                };
                raws.push(a);
                rings.push(b);
                ratios.push(b / a);
            }
            let (raw, ring, paired) = (median(&mut raws), median(&mut rings), median(&mut ratios));
            println!(
                "{operation:8}{label:>6}  batch {batch:4}  raw {raw:11.1}  ring {ring:11.1}  ring/raw {:.3}  median of round ratios {paired:.3} ({:+.1}%)",
                ring / raw,
                (paired - 1.0) * 100.0
            );
        }
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    check_floor(&setup());
    if let Ok(rounds) = std::env::var("KEY_MODEL_BENCH_AB") {
        ab(rounds
            .parse()
            .expect("KEY_MODEL_BENCH_AB: a number of rounds"));
        return;
    }
    // `KEY_MODEL_BENCH_CASE=encrypt/raw/64B` runs that case alone, for
    // callgrind; otherwise this is the criterion bench.
    if let Ok(name) = std::env::var("KEY_MODEL_BENCH_CASE") {
        let times = std::env::var("KEY_MODEL_BENCH_TIMES")
            .map_or(100, |t| t.parse().expect("KEY_MODEL_BENCH_TIMES"));
        let (_, op) = cases()
            .into_iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no case {name}"));
        // Once outside the region, so that one-time work is not counted.
        op();
        key_model_measured_region(&*op, times);
        return;
    }
    // Short runs: the machine is small and shared. Criterion compares both
    // sides within the same run, which is what the ratio needs.
    let mut criterion = Criterion::default()
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    for (name, op) in cases() {
        // criterion's layout, `target/criterion/OPERATION/SIDE/SIZE`.
        let mut parts = name.splitn(3, '/');
        let (Some(operation), Some(side), Some(label)) = (parts.next(), parts.next(), parts.next())
        else {
            panic!("case {name} is not OPERATION/SIDE/SIZE");
        };
        let bytes = SIZES.iter().find(|(_, l)| *l == label).expect("size").0;
        let mut group = criterion.benchmark_group(operation);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(BenchmarkId::new(side, label), |b| b.iter(&op));
        group.finish();
    }
    criterion.final_summary();
}
