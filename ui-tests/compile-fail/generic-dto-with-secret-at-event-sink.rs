// A generic event payload instantiated with a secret and published.

use key_model::{EventDto, TenantId};
use secrecy::SecretString;

#[derive(EventDto)]
struct Changed<T> {
    before: T,
    after: T,
}

fn publish(tenant: &TenantId, event: &Changed<SecretString>) {
    let _ = key_model::sink::EventEnvelope::new(tenant, "password.changed", event);
}

fn main() {}
