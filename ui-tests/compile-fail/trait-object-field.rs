// A trait object: nothing is known about the value behind it, so it could
// be key material.

use key_model::AuditDto;

#[derive(AuditDto)]
struct AuditEntry {
    detail: Box<dyn std::fmt::Debug>,
}

fn main() {}
