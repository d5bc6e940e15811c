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
//! `docs/performance.md`).

use std::fmt::{Debug, Write as _};
use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};

#[macro_use]
#[path = "../tests/shapes/mod.rs"]
mod shapes;

use shapes::{ApiLarge, ApiSmall, RedactedLarge, RedactedSmall, StdLarge, StdSmall};

large!(#[derive(veil::Redact)] VeilLarge, #[redact]);
small!(#[derive(veil::Redact)] VeilSmall, #[redact]);

fn debug_into<T: Debug>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    side: &str,
    size: &str,
    value: &T,
) {
    let mut buf = String::with_capacity(1024);
    group.bench_function(criterion::BenchmarkId::new(side, size), |b| {
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
    size: &str,
    value: &T,
) {
    let mut buf = Vec::with_capacity(1024);
    group.bench_function(criterion::BenchmarkId::new(side, size), |b| {
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
criterion_main!(benches);
