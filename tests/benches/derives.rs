//! Run-time cost of the derives, in one criterion run, on the shapes of
//! `tests/shapes/mod.rs` (a 10-field DTO and a 3-field one):
//!
//! - `debug`: `RedactedDebug` against std's `#[derive(Debug)]` and against
//!   veil's `Redact` (the peer), each writing `{:?}` into a reused `String`;
//! - `serialize`: `RedactedSerialize` against serde's derive, each writing
//!   JSON with `serde_json::to_writer` into a reused `Vec<u8>`;
//! - `boundary`: the same JSON write of a DTO with `ApiDto` against its twin
//!   without it, which must cost the same (the derive emits no run-time
//!   code; `benches/zero-cost.sh` checks the binaries).
//!
//! The buffers are cleared, not reallocated, so the figures are the
//! formatting and serialization paths alone.
//!
//! Run: `cargo bench -p key-model-tests --bench derives`; then
//! `python3 benches/derive-ratios.py` prints the ratios (see
//! `docs/performance.md`). On a loaded machine wall time is noisy:
//! `bash benches/instructions.sh` runs the same cases under callgrind
//! (this binary with `KEY_MODEL_BENCH_CASE` set) and prints exact
//! instruction counts and their ratios.
#![forbid(unsafe_code)]

use std::fmt::{Debug, Write as _};
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, criterion_group, measurement::WallTime};

#[macro_use]
#[path = "../tests/shapes/mod.rs"]
mod shapes;

use shapes::{ApiLarge, ApiSmall, RedactedLarge, RedactedSmall, StdLarge, StdSmall};

/// veil's twins: `token` and `key` under veil's `#[redact]`.
// The shapes' macros declare `pub` items, for the shapes module's users.
#[allow(unreachable_pub)]
mod peer {
    large!(#[derive(veil::Redact)] VeilLarge, #[redact]);
    small!(#[derive(veil::Redact)] VeilSmall, #[redact]);
}

use peer::{VeilLarge, VeilSmall};

fn debug_into<T: Debug>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    side: &str,
    shape: &str,
    value: &T,
) {
    let mut buf = String::with_capacity(1024);
    group.bench_function(criterion::BenchmarkId::new(side, shape), |b| {
        b.iter(|| {
            buf.clear();
            write!(buf, "{:?}", black_box(value)).expect("write to a String");
            black_box(buf.len())
        });
    });
}

fn json_into<T: serde::Serialize>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    side: &str,
    shape: &str,
    value: &T,
) {
    let mut buf = Vec::with_capacity(1024);
    group.bench_function(criterion::BenchmarkId::new(side, shape), |b| {
        b.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(value)).expect("write to a Vec");
            black_box(buf.len())
        });
    });
}

fn debug(c: &mut Criterion) {
    let mut group = c.benchmark_group("debug");
    debug_into(&mut group, "std", "large", &StdLarge::sample());
    debug_into(&mut group, "redacted", "large", &RedactedLarge::sample());
    debug_into(&mut group, "veil", "large", &VeilLarge::sample());
    debug_into(&mut group, "std", "small", &StdSmall::sample());
    debug_into(&mut group, "redacted", "small", &RedactedSmall::sample());
    debug_into(&mut group, "veil", "small", &VeilSmall::sample());
    group.finish();
}

fn serialize(c: &mut Criterion) {
    let mut group = c.benchmark_group("serialize");
    json_into(&mut group, "serde", "large", &StdLarge::sample());
    json_into(&mut group, "redacted", "large", &RedactedLarge::sample());
    json_into(&mut group, "serde", "small", &StdSmall::sample());
    json_into(&mut group, "redacted", "small", &RedactedSmall::sample());
    group.finish();
}

fn boundary(c: &mut Criterion) {
    let mut group = c.benchmark_group("boundary");
    json_into(&mut group, "plain", "large", &StdLarge::sample());
    json_into(&mut group, "api", "large", &ApiLarge::sample());
    json_into(&mut group, "plain", "small", &StdSmall::sample());
    json_into(&mut group, "api", "small", &ApiSmall::sample());
    group.finish();
}

fn config() -> Criterion {
    // Short runs: the machine is small and shared. Both sides of each ratio
    // are measured within the same run.
    Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = debug, serialize, boundary
}

/// One case of the instruction counts: writes into a `String` or a `Vec`.
type Write = Box<dyn Fn(&mut String, &mut Vec<u8>)>;

/// Every case once more for the instruction counts: `(name, write)`, where
/// `write` does what the criterion case of the same name times.
fn cases() -> Vec<(&'static str, Write)> {
    fn debug<T: Debug + 'static>(value: T) -> Write {
        Box::new(move |text, _| {
            text.clear();
            write!(text, "{:?}", black_box(&value)).expect("write to a String");
        })
    }
    fn json<T: serde::Serialize + 'static>(value: T) -> Write {
        Box::new(move |_, bytes| {
            bytes.clear();
            serde_json::to_writer(&mut *bytes, black_box(&value)).expect("write to a Vec");
        })
    }
    vec![
        ("debug/std/large", debug(StdLarge::sample())),
        ("debug/redacted/large", debug(RedactedLarge::sample())),
        ("debug/veil/large", debug(VeilLarge::sample())),
        ("debug/std/small", debug(StdSmall::sample())),
        ("debug/redacted/small", debug(RedactedSmall::sample())),
        ("debug/veil/small", debug(VeilSmall::sample())),
        ("serialize/serde/large", json(StdLarge::sample())),
        ("serialize/redacted/large", json(RedactedLarge::sample())),
        ("serialize/serde/small", json(StdSmall::sample())),
        ("serialize/redacted/small", json(RedactedSmall::sample())),
        ("boundary/plain/large", json(StdLarge::sample())),
        ("boundary/api/large", json(ApiLarge::sample())),
        ("boundary/plain/small", json(StdSmall::sample())),
        ("boundary/api/small", json(ApiSmall::sample())),
    ]
}

/// The region `benches/instructions.sh` counts with callgrind
/// (`--toggle-collect`): `times` writes of one case into warm buffers.
#[inline(never)]
fn key_model_measured_region(
    write: &dyn Fn(&mut String, &mut Vec<u8>),
    text: &mut String,
    bytes: &mut Vec<u8>,
    times: u32,
) {
    for _ in 0..times {
        write(text, bytes);
    }
}

fn main() {
    // `KEY_MODEL_BENCH_CASE=debug/std/large` runs that case alone, for
    // callgrind; otherwise this is the criterion bench.
    if let Ok(name) = std::env::var("KEY_MODEL_BENCH_CASE") {
        let times = std::env::var("KEY_MODEL_BENCH_TIMES")
            .map_or(1000, |t| t.parse().expect("KEY_MODEL_BENCH_TIMES"));
        let (_, write) = cases()
            .into_iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no case {name}"));
        let (mut text, mut bytes) = (String::with_capacity(1024), Vec::with_capacity(1024));
        // Once outside the region, so that one-time work is not counted.
        write(&mut text, &mut bytes);
        key_model_measured_region(&*write, &mut text, &mut bytes, times);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
