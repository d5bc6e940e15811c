// A plain `Serialize` struct written to a CSV export.

#[derive(serde::Serialize)]
struct Internal {
    id: u64,
}

fn main() {
    let mut export = key_model::sink::CsvWriter::new(Vec::new());
    let _ = export.write(&Internal { id: 1 });
}
