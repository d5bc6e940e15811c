// `#[redact]` on an AuditDto itself and on one of its variants: still the
// author's word that it holds a secret, refused at each attribute.

use key_model::AuditDto;

#[derive(serde::Serialize, AuditDto)]
#[redact]
enum Event {
    #[redact]
    Login { user: String },
}

fn main() {}
