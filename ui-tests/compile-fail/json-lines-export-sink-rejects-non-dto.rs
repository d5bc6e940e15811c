// A plain `Serialize` struct written to a JSON Lines export.

#[derive(serde::Serialize)]
struct Internal {
    id: u64,
}

fn main() {
    let mut export = key_model::sink::JsonLinesWriter::new(Vec::new());
    let _ = export.write(&Internal { id: 1 });
}
