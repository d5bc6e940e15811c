// One type, several boundary kinds: one derive, the others in `also`.

use key_model::{ApiDto, AuditDto, EventDto, ExportDto, KeyRef, TenantId, Timestamp};

#[derive(serde::Serialize, ApiDto)]
#[key_model(also(EventDto, ExportDto, AuditDto))]
struct KeyRotated {
    old: KeyRef,
    new: KeyRef,
}

fn main() {
    let e = KeyRotated {
        old: "tenants/acme/keys/audit-export/versions/1".parse().unwrap(),
        new: "tenants/acme/keys/audit-export/versions/2".parse().unwrap(),
    };
    let tenant: TenantId = "acme".parse().unwrap();
    key_model::sink::api_json(&e).unwrap();
    key_model::sink::event_json(&tenant, "key.rotated", &e).unwrap();
    let mut csv = key_model::sink::CsvWriter::new(Vec::new());
    csv.write(&e).unwrap();
    assert_eq!(
        csv.into_inner().unwrap(),
        b"old,new\r\ntenants/acme/keys/audit-export/versions/1,tenants/acme/keys/audit-export/versions/2\r\n"
    );
    let mut audit = key_model::sink::AuditWriter::new(Vec::new());
    audit.write(&tenant, Timestamp::UNIX_EPOCH, &e).unwrap();
    fn assert_all<T: ApiDto + EventDto + ExportDto + AuditDto>() {}
    assert_all::<KeyRotated>();
}
