//! The typed sinks (G3) write exactly what they document, byte for byte.

use std::io;

use key_model::sink::{AuditWriter, CsvWriter, EventEnvelope, JsonLinesWriter, SinkError};
use key_model::{ApiDto, AuditDto, ExportDto, KeyRef, KeyState, SecretFree, TenantId, Timestamp};
use serde::Serialize;

fn key_ref(version: u32) -> KeyRef {
    format!("tenants/acme/keys/ssh-session-recording/versions/{version}")
        .parse()
        .unwrap()
}

fn acme() -> TenantId {
    "acme".parse().unwrap()
}

#[derive(Debug, Serialize, SecretFree)]
#[serde(rename_all = "snake_case")]
enum Status {
    Sealed,
    Purged,
}

#[derive(Debug, Serialize, ApiDto)]
#[key_model(also(EventDto, ExportDto, AuditDto))]
struct Recording {
    session_id: String,
    bytes: u64,
    status: Status,
    note: Option<String>,
    encryption_key_ref: KeyRef,
}

fn recording(note: Option<&str>) -> Recording {
    Recording {
        session_id: "s-1".into(),
        bytes: 2048,
        status: Status::Sealed,
        note: note.map(str::to_owned),
        encryption_key_ref: key_ref(3),
    }
}

#[test]
fn api_json_is_compact_json_of_the_dto() {
    let json = key_model::sink::api_json(&recording(None)).unwrap();
    assert_eq!(
        String::from_utf8(json).unwrap(),
        r#"{"session_id":"s-1","bytes":2048,"status":"sealed","note":null,"encryption_key_ref":"tenants/acme/keys/ssh-session-recording/versions/3"}"#
    );
}

#[test]
fn write_api_json_writes_the_same_bytes() {
    let mut out = Vec::new();
    key_model::sink::write_api_json(&mut out, &recording(Some("x"))).unwrap();
    assert_eq!(
        out,
        key_model::sink::api_json(&recording(Some("x"))).unwrap()
    );
}

#[test]
fn api_json_accepts_generic_bodies() {
    #[derive(Serialize, ApiDto)]
    struct Page<T> {
        items: Vec<T>,
    }
    let page = Page {
        items: vec![KeyState::Enabled, KeyState::Destroyed],
    };
    assert_eq!(
        key_model::sink::api_json(&page).unwrap(),
        br#"{"items":["enabled","destroyed"]}"#
    );
}

#[test]
fn event_envelope_wraps_the_payload() {
    let tenant = acme();
    let payload = recording(None);
    let event = EventEnvelope::new(&tenant, "ssh_session.sealed", &payload).unwrap();
    assert_eq!(event.tenant(), &tenant);
    assert_eq!(event.event_type(), "ssh_session.sealed");
    assert_eq!(event.payload().bytes, 2048);
    assert_eq!(
        String::from_utf8(event.to_json().unwrap()).unwrap(),
        r#"{"tenant":"acme","event_type":"ssh_session.sealed","payload":{"session_id":"s-1","bytes":2048,"status":"sealed","note":null,"encryption_key_ref":"tenants/acme/keys/ssh-session-recording/versions/3"}}"#
    );
    assert_eq!(
        key_model::sink::event_json(&tenant, "ssh_session.sealed", &payload).unwrap(),
        event.to_json().unwrap()
    );
    // The envelope is `Copy` (it only borrows, whatever the payload) and
    // itself `Serialize`, for buses with their own encoding.
    let copy = event;
    assert_eq!(copy.to_json().unwrap(), event.to_json().unwrap());
    assert_eq!(
        serde_json::to_value(event).unwrap()["event_type"],
        "ssh_session.sealed"
    );
}

#[test]
fn event_types_are_checked() {
    let tenant = acme();
    let payload = recording(None);
    let longest = "e".repeat(key_model::sink::MAX_EVENT_TYPE_LEN);
    for ok in ["a", "key.rotated", "key-v2.rotated_now", longest.as_str()] {
        assert!(EventEnvelope::new(&tenant, ok, &payload).is_ok(), "{ok:?}");
    }
    let too_long = "e".repeat(key_model::sink::MAX_EVENT_TYPE_LEN + 1);
    for bad in [
        "",
        "Key.rotated",
        "2fa.enabled",
        "-key",
        "key rotated",
        "key/rotated",
        "clé",
        too_long.as_str(),
    ] {
        let err = EventEnvelope::new(&tenant, bad, &payload).unwrap_err();
        assert!(!err.is_io());
        assert!(std::error::Error::source(&err).is_none());
        // The message states the rule and never echoes the input.
        let message = err.to_string();
        assert!(
            message.starts_with("invalid event type: 1 to 128 characters"),
            "{message}"
        );
        if !bad.is_empty() {
            assert!(!message.contains(bad), "{message}");
        }
    }
}

#[test]
fn json_lines_write_one_object_per_line() {
    let mut export = JsonLinesWriter::new(Vec::new());
    export
        .write(&recording(Some("line one\nline two")))
        .unwrap();
    export.write(&recording(None)).unwrap();
    let out = String::from_utf8(export.into_inner().unwrap()).unwrap();
    let lines: Vec<&str> = out.split_terminator('\n').collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(out.ends_with('\n'));
    assert_eq!(
        lines[0],
        r#"{"session_id":"s-1","bytes":2048,"status":"sealed","note":"line one\nline two","encryption_key_ref":"tenants/acme/keys/ssh-session-recording/versions/3"}"#
    );
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["session_id"], "s-1");
    }
}

#[derive(Serialize, ExportDto)]
struct Cell {
    id: u32,
    text: String,
}

fn csv_of(texts: &[&str]) -> String {
    let mut export = CsvWriter::new(Vec::new());
    for (id, text) in (1..).zip(texts) {
        export
            .write(&Cell {
                id,
                text: (*text).to_owned(),
            })
            .unwrap();
    }
    String::from_utf8(export.into_inner().unwrap()).unwrap()
}

#[test]
fn csv_has_one_header_and_crlf_line_ends() {
    let mut export = CsvWriter::new(Vec::new());
    export.write(&recording(None)).unwrap();
    let mut second = recording(Some("ok"));
    second.status = Status::Purged;
    export.write(&second).unwrap();
    assert_eq!(
        String::from_utf8(export.into_inner().unwrap()).unwrap(),
        "session_id,bytes,status,note,encryption_key_ref\r\n\
         s-1,2048,sealed,,tenants/acme/keys/ssh-session-recording/versions/3\r\n\
         s-1,2048,purged,ok,tenants/acme/keys/ssh-session-recording/versions/3\r\n"
    );
}

#[test]
fn csv_quotes_exactly_what_rfc_4180_requires() {
    assert_eq!(
        csv_of(&[
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\rhere",
            "crlf\r\nhere",
            " spaced ",
            "ünïcödé",
        ]),
        "id,text\r\n\
         1,plain\r\n\
         2,\"a,b\"\r\n\
         3,\"say \"\"hi\"\"\"\r\n\
         4,\"two\nlines\"\r\n\
         5,\"cr\rhere\"\r\n\
         6,\"crlf\r\nhere\"\r\n\
         7, spaced \r\n\
         8,ünïcödé\r\n"
    );
}

#[test]
fn csv_keeps_an_empty_text_field_apart_from_a_missing_one() {
    #[derive(Serialize, ExportDto)]
    struct OnlyText {
        text: String,
    }

    assert_eq!(csv_of(&[""]), "id,text\r\n1,\r\n");
    let mut export = CsvWriter::new(Vec::new());
    export
        .write(&OnlyText {
            text: String::new(),
        })
        .unwrap();
    // A lone empty field is quoted, or the row would read as a blank line.
    assert_eq!(export.into_inner().unwrap(), b"text\r\n\"\"\r\n");
}

#[test]
fn csv_rejects_nested_rows_instead_of_guessing() {
    #[derive(Serialize, SecretFree)]
    struct Inner {
        a: u8,
    }
    #[derive(Serialize, ExportDto)]
    struct Nested {
        id: u8,
        inner: Inner,
    }
    let mut export = CsvWriter::new(Vec::new());
    let err = export
        .write(&Nested {
            id: 1,
            inner: Inner { a: 2 },
        })
        .unwrap_err();
    assert!(!err.is_io());
    assert!(
        err.to_string().starts_with("sink could not write CSV: "),
        "{err}"
    );
    // Transparent (the crate's error convention): the CSV error's message is
    // in `err`'s own, so its source is the CSV error's, which has none.
    assert!(std::error::Error::source(&err).is_none());
}

#[test]
fn audit_records_carry_time_and_tenant() {
    #[derive(Serialize, AuditDto)]
    struct KeyDisabled<'a> {
        actor: &'a str,
        key: KeyRef,
    }
    let tenant = acme();
    let mut audit = AuditWriter::new(Vec::new());
    audit
        .write(
            &tenant,
            Timestamp::from_unix_seconds(1_764_000_000),
            &KeyDisabled {
                actor: "ops@acme",
                key: key_ref(1),
            },
        )
        .unwrap();
    audit
        .write(&tenant, Timestamp::UNIX_EPOCH, &recording(None))
        .unwrap();
    assert_eq!(
        String::from_utf8(audit.into_inner().unwrap()).unwrap(),
        "{\"at\":1764000000,\"tenant\":\"acme\",\"record\":{\"actor\":\"ops@acme\",\"key\":\"tenants/acme/keys/ssh-session-recording/versions/1\"}}\n\
         {\"at\":0,\"tenant\":\"acme\",\"record\":{\"session_id\":\"s-1\",\"bytes\":2048,\"status\":\"sealed\",\"note\":null,\"encryption_key_ref\":\"tenants/acme/keys/ssh-session-recording/versions/3\"}}\n"
    );
}

/// A writer whose every write fails, as a closed socket's would.
#[derive(Debug)]
struct Broken;

impl io::Write for Broken {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
    }

    fn flush(&mut self) -> io::Result<()> {
        Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
    }
}

#[test]
fn writer_failures_are_reported_as_io() {
    let tenant = acme();
    let errors: Vec<SinkError> = vec![
        key_model::sink::write_api_json(Broken, &recording(None)).unwrap_err(),
        JsonLinesWriter::new(Broken)
            .write(&recording(None))
            .unwrap_err(),
        AuditWriter::new(Broken)
            .write(&tenant, Timestamp::UNIX_EPOCH, &recording(None))
            .unwrap_err(),
        CsvWriter::new(Broken).write(&recording(None)).unwrap_err(),
    ];
    for err in errors {
        assert!(err.is_io(), "{err}");
        assert!(err.to_string().contains("closed"), "{err}");
    }
}

/// A row whose serialization fails half-way: the first field is fine, the
/// second cannot be written (a nested struct in CSV, a map with non-string
/// keys in JSON).
#[derive(Serialize, ExportDto)]
#[key_model(also(AuditDto))]
struct HalfBad {
    id: u8,
    bad: std::collections::BTreeMap<(u8, u8), u8>,
}

fn half_bad() -> HalfBad {
    HalfBad {
        id: 9,
        bad: [((1, 2), 3)].into_iter().collect(),
    }
}

#[test]
fn a_failed_row_leaves_no_partial_output() {
    let mut export = JsonLinesWriter::new(Vec::new());
    export.write(&half_bad()).unwrap_err();
    export.write(&recording(None)).unwrap();
    let out = String::from_utf8(export.into_inner().unwrap()).unwrap();
    assert!(out.starts_with(r#"{"session_id""#), "{out}");

    let tenant = acme();
    let mut audit = AuditWriter::new(Vec::new());
    audit
        .write(&tenant, Timestamp::UNIX_EPOCH, &half_bad())
        .unwrap_err();
    audit
        .write(&tenant, Timestamp::UNIX_EPOCH, &recording(None))
        .unwrap();
    let out = String::from_utf8(audit.into_inner().unwrap()).unwrap();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with(r#"{"at":0,"tenant":"acme","record":{"session_id""#),
        "{out}"
    );

    let mut export = CsvWriter::new(Vec::new());
    export.write(&half_bad()).unwrap_err();
    export
        .write(&Cell {
            id: 1,
            text: "a".into(),
        })
        .unwrap();
    assert_eq!(
        String::from_utf8(export.into_inner().unwrap()).unwrap(),
        "id,text\r\n1,a\r\n"
    );
}
