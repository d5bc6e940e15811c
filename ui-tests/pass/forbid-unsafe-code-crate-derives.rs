// The derives work in a crate that forbids unsafe code: the `unsafe impl`
// they generate is theirs, not the crate's.
#![forbid(unsafe_code)]

use key_model::{ApiDto, AuditDto, EventDto, ExportDto, KeyRef, SecretFree};

#[derive(SecretFree)]
struct Value {
    n: u32,
}

#[derive(ApiDto)]
struct Api {
    key: KeyRef,
    value: Value,
}

#[derive(EventDto)]
struct Event(u32);

#[derive(ExportDto)]
struct Export;

#[derive(AuditDto)]
#[key_model(also(ApiDto))]
enum Audit {
    A { n: u32 },
}

fn main() {}
