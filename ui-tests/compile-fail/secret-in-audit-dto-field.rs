// Key material in an audit record.

use key_model::{AuditDto, KeyMaterial};

#[derive(AuditDto)]
struct KeyDestroyed {
    actor: String,
    material: KeyMaterial,
}

fn main() {}
