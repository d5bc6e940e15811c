//! Sinks typed by boundary kind (G3): the ways data leaves the service.
//!
//! Each entry point is generic over its kind's trait, so it accepts only a
//! type that derived that kind, and the derive has proven every field
//! secret-free. A plain `#[derive(Serialize)]` struct does not compile here,
//! whatever it holds:
//!
//! | sink | accepts | writes |
//! |------|---------|--------|
//! | [`api_json`], [`write_api_json`] | [`ApiDto`] | a JSON response body |
//! | [`EventEnvelope`], [`event_json`] | [`EventDto`] | `{"tenant","event_type","payload"}` JSON |
//! | [`JsonLinesWriter`] | [`ExportDto`] | one JSON object per line |
//! | [`CsvWriter`] | [`ExportDto`] | RFC 4180 CSV with a header row |
//! | [`AuditWriter`] | [`AuditDto`] | one `{"at","tenant","record"}` JSON object per line |
//!
//! ```compile_fail,E0277
//! #[derive(serde::Serialize)]
//! struct Internal {
//!     id: u64,
//! }
//!
//! key_model::sink::api_json(&Internal { id: 1 }).unwrap(); // not an ApiDto
//! ```

use core::fmt;
use std::io;

use serde::Serialize;
use serde::ser::SerializeStruct;

use crate::boundary::marker::{ApiDto, AuditDto, EventDto, ExportDto};
use crate::boundary::sink::row::{Failure, RowError};
use crate::model::id::TenantId;
use crate::model::time::Timestamp;

mod row;

/// Why a sink could not write.
///
/// Its message includes the underlying I/O or serialization error's, and
/// its [`source`](core::error::Error::source) is that error's source (the
/// crate's convention: each message once in a chain). A serialization error comes from
/// a DTO's own `Serialize` (a map with non-string keys in JSON, a nested
/// struct in a CSV row) and describes the shape, not the values. A CSV row
/// that is not flat names the row type, the field where there is one, and
/// the rule:
///
/// ```text
/// sink could not write CSV: CSV rows are flat (scalar fields only): field `labels` of `app::Row` is a map
/// ```
#[derive(Debug)]
pub struct SinkError {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Io(io::Error),
    Json(serde_json::Error),
    Csv(csv::Error),
    /// A CSV row that is not flat, or whose `Serialize` failed: the row
    /// type (`core::any::type_name`) and why.
    CsvRow {
        row: &'static str,
        error: RowError,
    },
    EventType,
}

impl SinkError {
    /// Whether the error came from the underlying writer rather than from
    /// the value.
    pub fn is_io(&self) -> bool {
        match &self.inner {
            Inner::Io(_) => true,
            Inner::Json(e) => e.is_io(),
            Inner::Csv(e) => e.is_io_error(),
            Inner::CsvRow { .. } | Inner::EventType => false,
        }
    }
}

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Io(e) => write!(f, "sink write failed: {e}"),
            Inner::Json(e) => write!(f, "sink could not write JSON: {e}"),
            Inner::Csv(e) => write!(f, "sink could not write CSV: {e}"),
            Inner::CsvRow {
                row,
                error: error @ RowError::Row(_),
            } => write!(
                f,
                "sink could not write CSV: {FLAT_RULE}: `{row}` is {error}, not as a struct"
            ),
            Inner::CsvRow {
                row,
                error: RowError::Field { field, shape },
            } => write!(
                f,
                "sink could not write CSV: {FLAT_RULE}: field `{field}` of `{row}` is {shape}"
            ),
            Inner::CsvRow {
                row,
                error: RowError::Custom(message),
            } => write!(
                f,
                "sink could not write CSV: `{row}` failed to serialize: {message}"
            ),
            Inner::EventType => write!(
                f,
                "invalid event type: 1 to {MAX_EVENT_TYPE_LEN} characters of lowercase letters, digits, `.`, `_` and `-`, starting with a letter"
            ),
        }
    }
}

/// Transparent, as every error of the crate (see the crate docs): the
/// message includes the underlying error's, so the source is the
/// underlying error's source.
impl core::error::Error for SinkError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match &self.inner {
            Inner::Io(e) => e.source(),
            Inner::Json(e) => e.source(),
            // A `csv::Error` shows an I/O error's message and returns it as
            // its source: skip that level too.
            Inner::Csv(e) => match e.kind() {
                csv::ErrorKind::Io(io) => io.source(),
                _ => e.source(),
            },
            Inner::CsvRow { .. } | Inner::EventType => None,
        }
    }
}

/// The rule a CSV row breaks, as every such error states it.
const FLAT_RULE: &str = "CSV rows are flat (scalar fields only)";

impl From<io::Error> for SinkError {
    fn from(e: io::Error) -> Self {
        SinkError {
            inner: Inner::Io(e),
        }
    }
}

impl From<serde_json::Error> for SinkError {
    fn from(e: serde_json::Error) -> Self {
        SinkError {
            inner: Inner::Json(e),
        }
    }
}

impl From<csv::Error> for SinkError {
    fn from(e: csv::Error) -> Self {
        SinkError {
            inner: Inner::Csv(e),
        }
    }
}

/// Encodes an API response body as compact JSON.
///
/// ```
/// use key_model::{ApiDto, KeyRef};
///
/// #[derive(serde::Serialize, ApiDto)]
/// #[serde(rename_all = "camelCase")]
/// struct SessionResponse {
///     session_id: String,
///     encryption_key_ref: KeyRef,
/// }
///
/// let body = SessionResponse {
///     session_id: "s-1".into(),
///     encryption_key_ref: "tenants/acme/keys/ssh-session-recording/versions/3".parse()?,
/// };
/// assert_eq!(
///     key_model::sink::api_json(&body)?,
///     br#"{"sessionId":"s-1","encryptionKeyRef":"tenants/acme/keys/ssh-session-recording/versions/3"}"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn api_json<T: ApiDto + Serialize + ?Sized>(body: &T) -> Result<Vec<u8>, SinkError> {
    Ok(serde_json::to_vec(body)?)
}

/// Writes an API response body as compact JSON to `writer` (a response
/// stream, say), without an intermediate buffer. If serialization fails
/// half-way, what was written stays written; use [`api_json`] for all or
/// nothing.
///
/// ```
/// use key_model::ApiDto;
///
/// #[derive(serde::Serialize, ApiDto)]
/// struct Health {
///     ok: bool,
/// }
///
/// let mut out = Vec::new();
/// key_model::sink::write_api_json(&mut out, &Health { ok: true })?;
/// assert_eq!(out, br#"{"ok":true}"#);
/// # Ok::<(), key_model::sink::SinkError>(())
/// ```
pub fn write_api_json<W, T>(writer: W, body: &T) -> Result<(), SinkError>
where
    W: io::Write,
    T: ApiDto + Serialize + ?Sized,
{
    Ok(serde_json::to_writer(writer, body)?)
}

/// The longest event type, in characters.
pub const MAX_EVENT_TYPE_LEN: usize = 128;

/// One event, ready for a message bus: the tenant it belongs to, its type,
/// and a payload that derived [`EventDto`].
///
/// Serialized as `{"tenant":...,"event_type":...,"payload":...}`. The event
/// type is checked when the envelope is made: 1 to 128 characters of
/// lowercase ASCII letters, digits, `.`, `_` and `-`, starting with a letter
/// (`key.rotated`, `ssh_session.recorded`), because buses use it as a topic
/// or routing key, where free text does not belong.
///
/// ```
/// use key_model::sink::EventEnvelope;
/// use key_model::{EventDto, KeyRef, TenantId};
///
/// #[derive(serde::Serialize, EventDto)]
/// struct KeyRotated {
///     new_primary: KeyRef,
/// }
///
/// let tenant: TenantId = "acme".parse()?;
/// let payload = KeyRotated { new_primary: "tenants/acme/keys/audit-export/versions/2".parse()? };
/// let event = EventEnvelope::new(&tenant, "key.rotated", &payload)?;
/// assert_eq!(event.event_type(), "key.rotated");
/// assert_eq!(
///     event.to_json()?,
///     br#"{"tenant":"acme","event_type":"key.rotated","payload":{"new_primary":"tenants/acme/keys/audit-export/versions/2"}}"#,
/// );
/// assert!(EventEnvelope::new(&tenant, "Key Rotated", &payload).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct EventEnvelope<'a, T: EventDto + ?Sized> {
    tenant: &'a TenantId,
    event_type: &'a str,
    payload: &'a T,
}

// By hand: derived impls would require `T: Clone`, though only `&T` is held.
impl<T: EventDto + ?Sized> Clone for EventEnvelope<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: EventDto + ?Sized> Copy for EventEnvelope<'_, T> {}

impl<'a, T: EventDto + ?Sized> EventEnvelope<'a, T> {
    /// An envelope for `payload`, or an error if `event_type` is malformed.
    pub fn new(
        tenant: &'a TenantId,
        event_type: &'a str,
        payload: &'a T,
    ) -> Result<Self, SinkError> {
        if !is_valid_event_type(event_type) {
            return Err(SinkError {
                inner: Inner::EventType,
            });
        }
        Ok(EventEnvelope {
            tenant,
            event_type,
            payload,
        })
    }

    /// The tenant the event belongs to.
    pub fn tenant(&self) -> &'a TenantId {
        self.tenant
    }

    /// The event's type.
    pub fn event_type(&self) -> &'a str {
        self.event_type
    }

    /// The payload.
    pub fn payload(&self) -> &'a T {
        self.payload
    }
}

impl<T: EventDto + Serialize + ?Sized> EventEnvelope<'_, T> {
    /// The envelope as compact JSON.
    pub fn to_json(&self) -> Result<Vec<u8>, SinkError> {
        Ok(serde_json::to_vec(self)?)
    }
}

impl<T: EventDto + Serialize + ?Sized> Serialize for EventEnvelope<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("EventEnvelope", 3)?;
        s.serialize_field("tenant", self.tenant)?;
        s.serialize_field("event_type", self.event_type)?;
        s.serialize_field("payload", self.payload)?;
        s.end()
    }
}

fn is_valid_event_type(s: &str) -> bool {
    (1..=MAX_EVENT_TYPE_LEN).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

/// Encodes one event as compact JSON: [`EventEnvelope::new`] then
/// [`EventEnvelope::to_json`].
///
/// ```
/// use key_model::{EventDto, TenantId};
///
/// #[derive(serde::Serialize, EventDto)]
/// struct SessionClosed {
///     session_id: String,
/// }
///
/// let tenant: TenantId = "acme".parse()?;
/// let json = key_model::sink::event_json(&tenant, "session.closed", &SessionClosed { session_id: "s-1".into() })?;
/// assert_eq!(
///     json,
///     br#"{"tenant":"acme","event_type":"session.closed","payload":{"session_id":"s-1"}}"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn event_json<T: EventDto + Serialize + ?Sized>(
    tenant: &TenantId,
    event_type: &str,
    payload: &T,
) -> Result<Vec<u8>, SinkError> {
    EventEnvelope::new(tenant, event_type, payload)?.to_json()
}

/// Writes export rows as JSON Lines: one compact JSON object per row, each
/// followed by `\n`.
///
/// ```
/// use key_model::ExportDto;
/// use key_model::sink::JsonLinesWriter;
///
/// #[derive(serde::Serialize, ExportDto)]
/// struct Row {
///     id: u32,
///     name: String,
/// }
///
/// let mut export = JsonLinesWriter::new(Vec::new());
/// export.write(&Row { id: 1, name: "a".into() })?;
/// export.write(&Row { id: 2, name: "b\nc".into() })?;
/// let out = export.into_inner()?;
/// assert_eq!(out, b"{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\\nc\"}\n");
/// # Ok::<(), key_model::sink::SinkError>(())
/// ```
#[derive(Debug)]
pub struct JsonLinesWriter<W: io::Write> {
    writer: W,
    line: Vec<u8>,
}

impl<W: io::Write> JsonLinesWriter<W> {
    /// A writer of rows to `writer`.
    pub fn new(writer: W) -> Self {
        JsonLinesWriter {
            writer,
            line: Vec::new(),
        }
    }

    /// Writes one row and its newline, with a single `write_all`. A row
    /// that fails to serialize writes nothing, so the lines already written
    /// stay whole.
    pub fn write<T: ExportDto + Serialize + ?Sized>(&mut self, row: &T) -> Result<(), SinkError> {
        json_line(&mut self.line, row)?;
        self.writer.write_all(&self.line)?;
        Ok(())
    }

    /// Flushes the underlying writer.
    pub fn flush(&mut self) -> Result<(), SinkError> {
        Ok(self.writer.flush()?)
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(mut self) -> Result<W, SinkError> {
        self.flush()?;
        Ok(self.writer)
    }
}

/// Writes export rows as CSV (RFC 4180: comma-separated, CRLF line ends,
/// fields quoted only when they hold a comma, a quote, CR or LF, quotes
/// doubled), with a header row taken from the first row's field names.
///
/// Rows must be flat: each field a scalar, a string, an `Option` of one
/// (`None` is an empty field), or a unit enum variant (its name). A nested
/// struct, sequence, map, enum variant with data, or a `#[serde(flatten)]`
/// field (which makes the row a map) is a [`SinkError`] at write time,
/// naming the row type, the field and the rule, not a guess.
///
/// **Formulas.** A text cell that starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return is run as a formula when the export is opened in a
/// spreadsheet (CSV injection: `=HYPERLINK(...)` in a user's display name).
/// By default the writer neutralises such a cell the way OWASP advises: it
/// writes a single quote `'` in front, which spreadsheets read as "this is
/// text" (some show the quote; a program reading the export strips it).
/// Only text is changed: a cell serialized from an integer or a float is a
/// number, which a spreadsheet never runs, so `-1` from an `i32` stays `-1`,
/// while the string `"-1"` becomes `'-1`. Header names come from the code,
/// not the data, and are left alone. [`CsvWriter::neutralise_formulas`]
/// turns this off for a consumer that is not a spreadsheet.
///
/// ```
/// use key_model::ExportDto;
/// use key_model::sink::CsvWriter;
///
/// #[derive(serde::Serialize, ExportDto)]
/// struct Row {
///     id: i32,
///     note: Option<String>,
/// }
///
/// let mut export = CsvWriter::new(Vec::new());
/// export.write(&Row { id: 1, note: Some("say \"hi\", then go".into()) })?;
/// export.write(&Row { id: 2, note: None })?;
/// export.write(&Row { id: -3, note: Some("=1+2".into()) })?;
/// let out = export.into_inner()?;
/// assert_eq!(out, b"id,note\r\n1,\"say \"\"hi\"\", then go\"\r\n2,\r\n-3,'=1+2\r\n");
/// # Ok::<(), key_model::sink::SinkError>(())
/// ```
#[derive(Debug)]
pub struct CsvWriter<W: io::Write> {
    writer: W,
    wrote_header: bool,
    neutralise_formulas: bool,
}

impl<W: io::Write> CsvWriter<W> {
    /// A writer of rows to `writer`, neutralising formulas.
    pub fn new(writer: W) -> Self {
        CsvWriter {
            writer,
            wrote_header: false,
            neutralise_formulas: true,
        }
    }

    /// Whether to neutralise text cells that a spreadsheet would run as a
    /// formula (on by default; see [`CsvWriter`]). Turn it off only when
    /// the export is read by a program that wants the text exactly, never
    /// by a spreadsheet.
    ///
    /// ```
    /// use key_model::ExportDto;
    /// use key_model::sink::CsvWriter;
    ///
    /// #[derive(serde::Serialize, ExportDto)]
    /// struct Row {
    ///     expr: String,
    /// }
    ///
    /// let mut export = CsvWriter::new(Vec::new()).neutralise_formulas(false);
    /// export.write(&Row { expr: "=1+2".into() })?;
    /// assert_eq!(export.into_inner()?, b"expr\r\n=1+2\r\n");
    /// # Ok::<(), key_model::sink::SinkError>(())
    /// ```
    #[must_use]
    pub fn neutralise_formulas(mut self, on: bool) -> Self {
        self.neutralise_formulas = on;
        self
    }

    /// Writes one row (preceded, the first time, by the header row), with a
    /// single `write_all`. The row is flattened and formatted apart first,
    /// so a row that fails (not flat, or a failing `Serialize`) writes
    /// nothing: no half record for the next row to continue.
    pub fn write<T: ExportDto + Serialize + ?Sized>(&mut self, row: &T) -> Result<(), SinkError> {
        let bytes =
            row::record(row, !self.wrote_header, self.neutralise_formulas).map_err(|failure| {
                match failure {
                    Failure::Row(error) => SinkError {
                        inner: Inner::CsvRow {
                            row: core::any::type_name::<T>(),
                            error,
                        },
                    },
                    Failure::Csv(e) => e.into(),
                    Failure::Io(e) => e.into(),
                }
            })?;
        self.writer.write_all(&bytes)?;
        self.wrote_header = true;
        Ok(())
    }

    /// Flushes the underlying writer.
    pub fn flush(&mut self) -> Result<(), SinkError> {
        Ok(self.writer.flush()?)
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(mut self) -> Result<W, SinkError> {
        self.flush()?;
        Ok(self.writer)
    }
}

/// Writes audit records, one compact JSON object per line:
/// `{"at":<unix seconds>,"tenant":...,"record":...}`.
///
/// ```
/// use key_model::sink::AuditWriter;
/// use key_model::{AuditDto, KeyRef, TenantId, Timestamp};
///
/// #[derive(serde::Serialize, AuditDto)]
/// struct KeyDisabled {
///     actor: String,
///     key: KeyRef,
/// }
///
/// let tenant: TenantId = "acme".parse()?;
/// let mut audit = AuditWriter::new(Vec::new());
/// audit.write(
///     &tenant,
///     Timestamp::from_unix_seconds(1_764_000_000),
///     &KeyDisabled { actor: "ops@acme".into(), key: "tenants/acme/keys/audit-export/versions/1".parse()? },
/// )?;
/// assert_eq!(
///     audit.into_inner()?,
///     b"{\"at\":1764000000,\"tenant\":\"acme\",\"record\":{\"actor\":\"ops@acme\",\"key\":\"tenants/acme/keys/audit-export/versions/1\"}}\n",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct AuditWriter<W: io::Write> {
    writer: W,
    line: Vec<u8>,
}

impl<W: io::Write> AuditWriter<W> {
    /// A writer of audit records to `writer`.
    pub fn new(writer: W) -> Self {
        AuditWriter {
            writer,
            line: Vec::new(),
        }
    }

    /// Writes one record, stamped with its tenant and time, and a newline,
    /// with a single `write_all`. A record that fails to serialize writes
    /// nothing: an audit log never holds half a record.
    pub fn write<T: AuditDto + Serialize + ?Sized>(
        &mut self,
        tenant: &TenantId,
        at: Timestamp,
        record: &T,
    ) -> Result<(), SinkError> {
        json_line(&mut self.line, &AuditLine { at, tenant, record })?;
        self.writer.write_all(&self.line)?;
        Ok(())
    }

    /// Flushes the underlying writer.
    pub fn flush(&mut self) -> Result<(), SinkError> {
        Ok(self.writer.flush()?)
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(mut self) -> Result<W, SinkError> {
        self.flush()?;
        Ok(self.writer)
    }
}

/// Serializes `value` and a newline into `line`, replacing its contents.
fn json_line<T: Serialize + ?Sized>(line: &mut Vec<u8>, value: &T) -> Result<(), SinkError> {
    line.clear();
    serde_json::to_writer(&mut *line, value)?;
    line.push(b'\n');
    Ok(())
}

#[derive(Serialize)]
struct AuditLine<'a, T: ?Sized> {
    at: Timestamp,
    tenant: &'a TenantId,
    record: &'a T,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{assert_chain_repeats_nothing, chain};

    /// A cause with a cause of its own, to see what a wrapper keeps.
    #[derive(Debug)]
    struct Disk(io::Error);

    impl fmt::Display for Disk {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("disk refused the write")
        }
    }

    impl core::error::Error for Disk {
        fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    fn disk_error() -> io::Error {
        io::Error::other(Disk(io::Error::new(
            io::ErrorKind::StorageFull,
            "quota exceeded",
        )))
    }

    /// A writer that refuses everything.
    #[derive(Debug)]
    struct Refusing;

    impl io::Write for Refusing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(disk_error())
        }

        fn flush(&mut self) -> io::Result<()> {
            Err(disk_error())
        }
    }

    #[test]
    fn sink_error_chains_show_each_message_once() {
        let io = SinkError::from(disk_error());
        assert_chain_repeats_nothing(&io);
        assert_eq!(
            chain(&io),
            [
                "sink write failed: disk refused the write",
                "quota exceeded"
            ]
        );
        let json = SinkError::from(serde_json::from_str::<u8>("x").unwrap_err());
        assert_chain_repeats_nothing(&json);
        let ragged = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&b"a,b\nc\n"[..])
            .records()
            .find_map(Result::err)
            .unwrap();
        assert_chain_repeats_nothing(&SinkError::from(ragged));
        let csv_io = SinkError::from(csv::Error::from(disk_error()));
        assert_chain_repeats_nothing(&csv_io);
        assert_eq!(
            chain(&csv_io),
            [
                "sink could not write CSV: disk refused the write",
                "quota exceeded"
            ]
        );
    }

    #[test]
    fn csv_record_keeps_the_cause_of_a_write_error() {
        let mut record = csv::Writer::from_writer(Refusing);
        record.write_record(["a"]).unwrap(); // buffered
        let error = SinkError::from(row::finish_record(record).unwrap_err());
        assert!(error.is_io());
        assert_eq!(
            chain(&error),
            [
                "sink write failed: disk refused the write",
                "quota exceeded"
            ]
        );
    }

    #[test]
    fn event_type_rule() {
        for ok in [
            "a",
            "key.rotated",
            "ssh_session.recorded-v2",
            &"a".repeat(128),
        ] {
            assert!(is_valid_event_type(ok), "{ok}");
        }
        for bad in [
            "",
            "Key",
            "1key",
            ".key",
            "key rotated",
            "kéy",
            &"a".repeat(129),
        ] {
            assert!(!is_valid_event_type(bad), "{bad}");
        }
    }
}
