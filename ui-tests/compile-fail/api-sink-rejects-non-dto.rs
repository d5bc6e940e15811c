// A plain `Serialize` struct sent as an API response.

#[derive(serde::Serialize)]
struct Internal {
    id: u64,
}

fn main() {
    let _ = key_model::sink::api_json(&Internal { id: 1 });
}
