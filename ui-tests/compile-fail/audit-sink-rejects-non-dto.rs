// A plain `Serialize` struct written as an audit record.

#[derive(serde::Serialize)]
struct Internal {
    id: u64,
}

fn main() {
    let tenant: key_model::TenantId = "acme".parse().unwrap();
    let mut audit = key_model::sink::AuditWriter::new(Vec::new());
    let _ = audit.write(&tenant, key_model::Timestamp::now(), &Internal { id: 1 });
}
