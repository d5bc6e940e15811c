//! Run-time cost of the derives, in one criterion run, on the shapes of
//! `tests/shapes/mod.rs` (a 10-field DTO and a 3-field one):
//!
//! - `debug`: `RedactedDebug` against std's `#[derive(Debug)]` and against
//!   veil's `Redact` (the peer), each writing `{:?}` into a reused `String`;
//! - `serialize`: `RedactedSerialize` against serde's derive, each writing
//!   JSON with `serde_json::to_writer` into a reused `Vec<u8>`;
//! - `boundary`: the same JSON write of a DTO with `ApiDto` against its twin
//!   without it, which must cost the same (the derive emits no run-time
//!   code; `scripts/bench/zero-cost.sh` checks the binaries).
//!
//! Every comparison exists on equal work: `std-same` and `serde-same` are
//! std's and serde's derives on the masked twins, whose secret field writes
//! `[REDACTED]` too, so they print the redacted types' output byte for byte;
//! `veil-same` is veil with `#[redact(fixed = 10)]`, ten `*` for the ten
//! bytes of `[REDACTED]`. `std`, `serde` and `veil` are the forms a user
//! sees (the secret printed as is, or one `*` per character). [`main`]
//! checks those equalities before it measures anything.
//!
//! The buffers are cleared, not reallocated, so the figures are the
//! formatting and serialization paths alone.
//!
//! Run: `cargo bench -p key-model-tests --bench derives`; then
//! `python3 scripts/bench/derive-ratios.py` prints the ratios (see
//! `docs/performance.md`). On a loaded machine wall time is noisy:
//! `bash scripts/bench/instructions.sh` runs the same cases under callgrind
//! (this binary with `KEY_MODEL_BENCH_CASE` set) and prints exact
//! instruction counts and their ratios.
#![forbid(unsafe_code)]

use std::fmt::{Debug, Write as _};
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion};

#[macro_use]
#[path = "../tests/shapes/mod.rs"]
mod shapes;

use shapes::masked::{RedactedLarge as MaskedLarge, RedactedSmall as MaskedSmall};
use shapes::{ApiLarge, ApiSmall, RedactedLarge, RedactedSmall, StdLarge, StdSmall};

/// veil's twins: `token` and `key` under veil's `#[redact]`, by default
/// (one `*` per character), and in `same` with a fixed width of ten `*`,
/// the length of `[REDACTED]`, named as the redacted types so that their
/// output has the same length.
// The shapes' macros declare `pub` items, for the shapes module's users.
#[allow(unreachable_pub)]
mod peer {
    large!(#[derive(veil::Redact)] VeilLarge, String, #[redact]);
    small!(#[derive(veil::Redact)] VeilSmall, String, #[redact]);

    pub mod same {
        large!(#[derive(veil::Redact)] RedactedLarge, String, #[redact(fixed = 10)]);
        small!(#[derive(veil::Redact)] RedactedSmall, String, #[redact(fixed = 10)]);
    }
}

use peer::same::{RedactedLarge as VeilSameLarge, RedactedSmall as VeilSameSmall};
use peer::{VeilLarge, VeilSmall};

/// One write of a case into a `String` or a `Vec`.
type Write = Box<dyn Fn(&mut String, &mut Vec<u8>)>;

/// `write!(text, "{:?}")` of `value`, into a cleared buffer.
fn debug<T: Debug + 'static>(value: T) -> Write {
    Box::new(move |text, _| {
        text.clear();
        write!(text, "{:?}", black_box(&value)).expect("write to a String");
    })
}

/// `serde_json::to_writer` of `value`, into a cleared buffer.
fn json<T: serde::Serialize + 'static>(value: T) -> Write {
    Box::new(move |_, bytes| {
        bytes.clear();
        serde_json::to_writer(&mut *bytes, black_box(&value)).expect("write to a Vec");
    })
}

/// Every case, `(group/side/shape, write)`: criterion times each, and
/// `KEY_MODEL_BENCH_CASE` runs one alone for callgrind.
fn cases() -> Vec<(&'static str, Write)> {
    vec![
        ("debug/std/large", debug(StdLarge::sample())),
        ("debug/std-same/large", debug(MaskedLarge::sample())),
        ("debug/redacted/large", debug(RedactedLarge::sample())),
        ("debug/veil/large", debug(VeilLarge::sample())),
        ("debug/veil-same/large", debug(VeilSameLarge::sample())),
        ("debug/std/small", debug(StdSmall::sample())),
        ("debug/std-same/small", debug(MaskedSmall::sample())),
        ("debug/redacted/small", debug(RedactedSmall::sample())),
        ("debug/veil/small", debug(VeilSmall::sample())),
        ("debug/veil-same/small", debug(VeilSameSmall::sample())),
        ("serialize/serde/large", json(StdLarge::sample())),
        ("serialize/serde-same/large", json(MaskedLarge::sample())),
        ("serialize/redacted/large", json(RedactedLarge::sample())),
        ("serialize/serde/small", json(StdSmall::sample())),
        ("serialize/serde-same/small", json(MaskedSmall::sample())),
        ("serialize/redacted/small", json(RedactedSmall::sample())),
        ("boundary/plain/large", json(StdLarge::sample())),
        ("boundary/api/large", json(ApiLarge::sample())),
        ("boundary/plain/small", json(StdSmall::sample())),
        ("boundary/api/small", json(ApiSmall::sample())),
    ]
}

/// The output of one write of `case`: the text for `debug/..`, the JSON
/// otherwise.
fn output(case: &str) -> String {
    let (_, write) = cases()
        .into_iter()
        .find(|(n, _)| *n == case)
        .unwrap_or_else(|| panic!("no case {case}"));
    let (mut text, mut bytes) = (String::new(), Vec::new());
    write(&mut text, &mut bytes);
    if case.starts_with("debug/") {
        text
    } else {
        String::from_utf8(bytes).expect("JSON is UTF-8")
    }
}

/// The equal-work pairs print the same bytes (the veil pair the same
/// number of bytes), and the user-facing forms do not: checked before
/// anything is measured, so a figure is never reported for unequal work.
fn assert_equal_work() {
    for shape in ["large", "small"] {
        let redacted = output(&format!("debug/redacted/{shape}"));
        assert_eq!(
            redacted,
            output(&format!("debug/std-same/{shape}")),
            "Debug, {shape}"
        );
        assert_eq!(
            format!(
                "{:#?}",
                pick(shape, &RedactedLarge::sample(), &RedactedSmall::sample())
            ),
            format!(
                "{:#?}",
                pick(shape, &MaskedLarge::sample(), &MaskedSmall::sample())
            ),
            "pretty Debug, {shape}"
        );
        assert_eq!(
            output(&format!("serialize/redacted/{shape}")),
            output(&format!("serialize/serde-same/{shape}")),
            "JSON, {shape}"
        );
        let veil = output(&format!("debug/veil-same/{shape}"));
        assert_eq!(veil.len(), redacted.len(), "veil's length, {shape}: {veil}");
        assert_eq!(
            veil.replace("**********", "[REDACTED]"),
            redacted,
            "veil, {shape}"
        );
        assert_ne!(
            output(&format!("debug/std/{shape}")),
            redacted,
            "std shows the secret"
        );
        assert!(output(&format!("debug/veil/{shape}")).len() > redacted.len());
    }
}

/// `large` or `small` as one `Debug` value, for the pretty check.
fn pick<'a>(shape: &str, large: &'a dyn Debug, small: &'a dyn Debug) -> &'a dyn Debug {
    if shape == "large" { large } else { small }
}

/// The region `scripts/bench/instructions.sh` counts with callgrind
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
    assert_equal_work();
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
    // Short runs: the machine is small and shared. Both sides of each ratio
    // are measured within the same run.
    let mut criterion = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    let (mut text, mut bytes) = (String::with_capacity(1024), Vec::with_capacity(1024));
    for (name, write) in cases() {
        // criterion's layout, `target/criterion/GROUP/SIDE/SHAPE`, which
        // `scripts/bench/derive-ratios.py` reads.
        let mut parts = name.splitn(3, '/');
        let (group, side, shape) = (parts.next(), parts.next(), parts.next());
        let (Some(group), Some(side), Some(shape)) = (group, side, shape) else {
            panic!("case {name} is not GROUP/SIDE/SHAPE");
        };
        let mut group = criterion.benchmark_group(group);
        group.bench_function(BenchmarkId::new(side, shape), |b| {
            b.iter(|| {
                write(&mut text, &mut bytes);
                black_box((text.len(), bytes.len()))
            });
        });
        group.finish();
    }
    criterion.final_summary();
}
