// An event DTO sent as an API response: each sink takes only its own kind.

#[derive(serde::Serialize, key_model::EventDto)]
struct KeyRotated {
    version: u32,
}

fn main() {
    let _ = key_model::sink::api_json(&KeyRotated { version: 2 });
}
