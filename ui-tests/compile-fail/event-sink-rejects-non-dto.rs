// A plain `Serialize` struct published as an event.

#[derive(serde::Serialize)]
struct Internal {
    id: u64,
}

fn main() {
    let tenant: key_model::TenantId = "acme".parse().unwrap();
    let _ = key_model::sink::event_json(&tenant, "internal.changed", &Internal { id: 1 });
}
