//! Every derive of key-model, used through a dependency renamed in
//! Cargo.toml (`km = { package = "key-model", ... }`) with
//! `#[key_model(crate = "km")]`. Nothing named `key_model` is in scope
//! here, so this crate does not build if any generated path hard-codes
//! `::key_model`; the tests check the derived impls at run time.
#![forbid(unsafe_code)]

use km::{
    ApiDto, AuditDto, EventDto, ExportDto, KeyMaterial, KeyRef, RedactedDebug, RedactedDisplay,
    RedactedSerialize, SecretFree,
};

/// A value type nested in the boundary types below.
#[derive(serde::Serialize, SecretFree)]
#[key_model(crate = "km")]
pub struct Recording {
    /// Its size.
    pub bytes: u64,
    /// The key it is sealed under.
    pub encryption_key_ref: KeyRef,
}

/// An API body, also an event payload, an export row and an audit record.
#[derive(serde::Serialize, ApiDto)]
#[key_model(crate = "km", also(EventDto, ExportDto, AuditDto))]
pub struct Session {
    /// The session.
    pub session_id: String,
    /// Its bytes.
    pub bytes: u64,
}

/// A generic page, secret-free exactly when its items are.
#[derive(serde::Serialize, EventDto)]
#[key_model(crate = "km")]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
}

/// An export row of its own kind.
#[derive(serde::Serialize, ExportDto)]
#[key_model(crate = "km")]
pub struct Row {
    /// A column.
    pub name: String,
}

/// An audit record of its own kind.
#[derive(serde::Serialize, AuditDto)]
#[key_model(crate = "km")]
pub struct Disabled {
    /// Who disabled the key.
    pub actor: String,
}

/// Writes the last four characters only.
///
/// # Errors
///
/// When the formatter does.
#[expect(
    clippy::ptr_arg,
    reason = "`with` functions take a reference to the field's own type"
)]
pub fn last_four(number: &String, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    f.write_str(&number[number.len().saturating_sub(4)..])
}

/// A type that holds secrets, through every redacting derive.
#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[key_model(crate = "km")]
#[display("{tenant} card {card}")]
pub struct Entry {
    /// Shown as is.
    pub tenant: String,
    /// Never shown.
    #[redact]
    pub key: KeyMaterial,
    /// Shown through `last_four`.
    #[redact(with = last_four)]
    pub card: String,
    /// Left out.
    #[redact(skip)]
    pub scratch: Vec<u8>,
}

/// An enum through every redacting derive.
#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[key_model(crate = "km")]
pub enum Credential {
    /// A key, for a tenant.
    #[display("key for {0}")]
    Key(String, #[redact] KeyMaterial),
    /// Nothing.
    #[display("none")]
    None,
}

#[cfg(test)]
mod tests {
    use super::{Credential, Disabled, Entry, Page, Recording, Row, Session};
    use km::{KeyMaterial, TenantId, Timestamp, sink};

    fn session() -> Session {
        Session {
            session_id: "s-1".into(),
            bytes: 10,
        }
    }

    #[test]
    fn boundary_kinds_reach_their_sinks() -> Result<(), Box<dyn std::error::Error>> {
        let tenant: TenantId = "acme".parse()?;
        assert_eq!(
            sink::api_json(&session())?,
            br#"{"session_id":"s-1","bytes":10}"#
        );
        let event = sink::event_json(&tenant, "session.closed", &session())?;
        assert!(event.ends_with(br#""payload":{"session_id":"s-1","bytes":10}}"#));

        let mut csv = sink::CsvWriter::new(Vec::new());
        csv.write(&session())?;
        assert_eq!(csv.into_inner()?, b"session_id,bytes\r\ns-1,10\r\n");
        let mut csv = sink::CsvWriter::new(Vec::new());
        csv.write(&Row { name: "a".into() })?;
        assert_eq!(csv.into_inner()?, b"name\r\na\r\n");

        let mut audit = sink::AuditWriter::new(Vec::new());
        audit.write(&tenant, Timestamp::now(), &session())?;
        audit.write(
            &tenant,
            Timestamp::now(),
            &Disabled {
                actor: "ops".into(),
            },
        )?;

        let page = Page {
            items: vec![Recording {
                bytes: 1,
                encryption_key_ref: "tenants/acme/keys/audit-export/versions/1".parse()?,
            }],
        };
        let event = sink::event_json(&tenant, "page", &page)?;
        assert!(event.ends_with(br#""payload":{"items":[{"bytes":1,"encryption_key_ref":"tenants/acme/keys/audit-export/versions/1"}]}}"#));
        Ok(())
    }

    #[test]
    fn redacting_derives_redact() -> Result<(), Box<dyn std::error::Error>> {
        let entry = Entry {
            tenant: "acme".into(),
            key: KeyMaterial::generate()?,
            card: "4111111111111111".into(),
            scratch: vec![1, 2, 3],
        };
        assert_eq!(
            format!("{entry:?}"),
            r#"Entry { tenant: "acme", key: [REDACTED], card: 1111 }"#
        );
        assert_eq!(entry.to_string(), "acme card 1111");
        assert_eq!(
            serde_json::to_string(&entry)?,
            r#"{"tenant":"acme","key":"[REDACTED]","card":"1111"}"#
        );

        let key = Credential::Key("acme".into(), KeyMaterial::generate()?);
        assert_eq!(format!("{key:?}"), r#"Key("acme", [REDACTED])"#);
        assert_eq!(key.to_string(), "key for acme");
        assert_eq!(
            serde_json::to_string(&key)?,
            r#"{"Key":["acme","[REDACTED]"]}"#
        );
        assert_eq!(Credential::None.to_string(), "none");
        assert_eq!(serde_json::to_string(&Credential::None)?, r#""None""#);
        Ok(())
    }
}
