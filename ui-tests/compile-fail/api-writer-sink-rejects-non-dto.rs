// A plain `Serialize` struct written as an API response.

#[derive(serde::Serialize)]
struct Internal {
    id: u64,
}

fn main() {
    let _ = key_model::sink::write_api_json(Vec::new(), &Internal { id: 1 });
}
