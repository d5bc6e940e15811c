//! The redacting derives write straight into the caller's buffer: with
//! room enough in it, `RedactedDebug`, `RedactedDisplay` and
//! `RedactedSerialize` make no heap allocation at all.
//!
//! A counting global allocator (`stats_alloc`, which keeps this crate free of
//! `unsafe`) counts allocations and reallocations between the start and the
//! end of each write. It is global to this test binary, so every case runs
//! in one `#[test]`: no other test thread allocates meanwhile.

use core::fmt::{self, Write as _};
use std::alloc::System;

use key_model::{KeyMaterial, RedactedDebug, RedactedDisplay, RedactedSerialize};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[macro_use]
#[path = "shapes/mod.rs"]
mod shapes;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocations and reallocations made while `write` runs.
fn allocations(write: impl FnOnce()) -> usize {
    let region = Region::new(GLOBAL);
    write();
    let change = region.change();
    change.allocations + change.reallocations
}

// A `with` function takes a reference to the field's own type.
#[allow(clippy::ptr_arg)]
fn last_four(number: &String, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(&number[number.len().saturating_sub(4)..])
}

/// The other field options and an enum, beside the shapes' plain
/// `#[redact]`.
// Redacted fields are, by design, never read by the derives.
#[allow(dead_code)]
#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
enum Credential {
    #[display("card {holder} ending {number}")]
    Card {
        holder: String,
        #[redact(with = last_four)]
        number: String,
        #[redact(skip)]
        cvc: u16,
    },
    #[display("key {0}")]
    Key(String, #[redact] KeyMaterial),
}

/// Runs `write` into a buffer made by `buffer` and returns the allocations
/// counted, after checking that something was written.
fn debug_allocations<T: fmt::Debug>(value: &T, pretty: bool, buffer: fn() -> String) -> usize {
    let mut out = buffer();
    let count = allocations(|| {
        if pretty {
            write!(out, "{value:#?}").expect("write to a String");
        } else {
            write!(out, "{value:?}").expect("write to a String");
        }
    });
    assert!(out.contains("[REDACTED]") || out.contains("1111"), "{out}");
    count
}

fn display_allocations<T: fmt::Display>(value: &T, buffer: fn() -> String) -> usize {
    let mut out = buffer();
    let count = allocations(|| write!(out, "{value}").expect("write to a String"));
    assert!(!out.is_empty());
    count
}

fn json_allocations<T: serde::Serialize>(
    value: &T,
    pretty: bool,
    buffer: fn() -> Vec<u8>,
) -> usize {
    let mut out = buffer();
    let count = allocations(|| {
        if pretty {
            serde_json::to_writer_pretty(&mut out, value).expect("write to a Vec");
        } else {
            serde_json::to_writer(&mut out, value).expect("write to a Vec");
        }
    });
    assert!(
        out.windows(10)
            .any(|w| w == b"[REDACTED]" || w.ends_with(b"1111"))
    );
    count
}

fn roomy_string() -> String {
    String::with_capacity(4096)
}

fn roomy_vec() -> Vec<u8> {
    Vec::with_capacity(4096)
}

#[test]
fn redacting_derives_write_without_allocating() {
    let large = shapes::RedactedLarge::sample();
    let small = shapes::RedactedSmall::sample();
    let card = Credential::Card {
        holder: "ada".into(),
        number: "4111111111111111".into(),
        cvc: 123,
    };
    let key = Credential::Key("acme".into(), KeyMaterial::generate().expect("key"));

    // The counter counts: the same writes into an empty buffer allocate.
    // Without this, a broken counter would pass every case below.
    assert!(debug_allocations(&large, false, String::new) > 0);
    assert!(json_allocations(&large, false, Vec::new) > 0);

    let mut found = Vec::new();
    for pretty in [false, true] {
        found.push((
            "Debug large",
            pretty,
            debug_allocations(&large, pretty, roomy_string),
        ));
        found.push((
            "Debug small",
            pretty,
            debug_allocations(&small, pretty, roomy_string),
        ));
        found.push((
            "Debug card",
            pretty,
            debug_allocations(&card, pretty, roomy_string),
        ));
        found.push((
            "Debug key",
            pretty,
            debug_allocations(&key, pretty, roomy_string),
        ));
        found.push((
            "JSON large",
            pretty,
            json_allocations(&large, pretty, roomy_vec),
        ));
        found.push((
            "JSON small",
            pretty,
            json_allocations(&small, pretty, roomy_vec),
        ));
        found.push((
            "JSON card",
            pretty,
            json_allocations(&card, pretty, roomy_vec),
        ));
        found.push((
            "JSON key",
            pretty,
            json_allocations(&key, pretty, roomy_vec),
        ));
    }
    found.push((
        "Display card",
        false,
        display_allocations(&card, roomy_string),
    ));
    found.push((
        "Display key",
        false,
        display_allocations(&key, roomy_string),
    ));
    let allocating: Vec<_> = found.iter().filter(|(_, _, n)| *n > 0).collect();
    assert!(
        allocating.is_empty(),
        "writes that allocated (case, pretty, allocations): {allocating:?}"
    );
}
