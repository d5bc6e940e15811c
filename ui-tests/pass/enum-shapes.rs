// Enums: unit, tuple and struct variants, `#[cfg]` variants, and an enum
// with no variants.

use key_model::{EventDto, KeyRef, KeyState, SecretFree};

#[derive(serde::Serialize, EventDto)]
#[serde(tag = "type", rename_all = "snake_case")]
enum KeyEvent {
    Created { key: KeyRef },
    StateChanged { key: KeyRef, from: KeyState, to: KeyState },
    Rotated(RotatedPayload),
    Purged,
    #[cfg(any())]
    Leaked { material: key_model::KeyMaterial },
}

#[derive(serde::Serialize, SecretFree)]
struct RotatedPayload {
    old: KeyRef,
    new: KeyRef,
}

#[derive(SecretFree)]
enum Never {}

fn main() {
    let tenant: key_model::TenantId = "acme".parse().unwrap();
    let event = KeyEvent::Purged;
    let json = key_model::sink::event_json(&tenant, "key.purged", &event).unwrap();
    assert_eq!(
        json,
        br#"{"tenant":"acme","event_type":"key.purged","payload":{"type":"purged"}}"#
    );
    fn assert_secret_free<T: SecretFree>() {}
    assert_secret_free::<Never>();
}
