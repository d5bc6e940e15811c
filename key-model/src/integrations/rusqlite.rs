//! `rusqlite` (feature `rusqlite`): `ToSql` and `FromSql` for the
//! identifiers and [`KeyState`], in the column forms of
//! [`integrations`](crate::integrations) (text, a 64-bit integer for a
//! version).
//!
//! Strict on the way in: a column is parsed by the same parser as any
//! other input, so a row cannot hold a non-canonical reference, and a
//! malformed value is a `FromSqlError::Other` whose message names the
//! type, never the value. An unknown state name reads as the fail-closed
//! [`KeyState::Unrecognized`].
//!
//! The feature does not choose how SQLite is linked: the crate that owns
//! the database enables rusqlite's `bundled` (or links the system's).
//!
//! ```
//! use key_model::{KeyRef, KeyState};
//!
//! let db = rusqlite::Connection::open_in_memory()?;
//! db.execute("CREATE TABLE versions (key_ref TEXT PRIMARY KEY, state TEXT NOT NULL)", ())?;
//! let key_ref: KeyRef = "tenants/acme/keys/billing/versions/1".parse()?;
//! db.execute("INSERT INTO versions VALUES (?1, ?2)", (&key_ref, &KeyState::Enabled))?;
//! let (back, state): (KeyRef, KeyState) =
//!     db.query_row("SELECT key_ref, state FROM versions", (), |row| Ok((row.get(0)?, row.get(1)?)))?;
//! assert_eq!((back, state), (key_ref, KeyState::Enabled));
//!
//! // A non-canonical reference in a row is an error, not a key reference.
//! db.execute("UPDATE versions SET key_ref = 'tenants/acme/keys/billing/versions/01'", ())?;
//! let err = db.query_row("SELECT key_ref FROM versions", (), |row| row.get::<_, KeyRef>(0));
//! assert!(err.unwrap_err().to_string().contains("not hold a canonical key reference"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::integrations::sql::{self, InvalidColumn};
use crate::model::id::{KeyName, KeyPurpose, KeyRef, KeyVersion, TenantId};
use crate::model::lifecycle::KeyState;

fn other(e: InvalidColumn) -> FromSqlError {
    FromSqlError::Other(Box::new(e))
}

/// Text of a column; a non-text column is `InvalidType`, text that is not
/// UTF-8 is our error (rusqlite's would carry the decoder's detail).
fn text<'a>(value: ValueRef<'a>, what: &'static str) -> Result<&'a str, FromSqlError> {
    match value {
        ValueRef::Text(bytes) => {
            core::str::from_utf8(bytes).map_err(|_| other(InvalidColumn::new(what)))
        }
        _ => Err(FromSqlError::InvalidType),
    }
}

macro_rules! text_column {
    ($($ty:ty => $what:literal),+ $(,)?) => {$(
        impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $ty {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                sql::parse(text(value, $what)?, $what).map_err(other)
            }
        }
    )+};
}

text_column!(TenantId => "tenant id", KeyPurpose => "key purpose");

/// `KeyName` and `KeyRef` have no `as_str` (they are built from parts):
/// their canonical text is their `Display`.
macro_rules! display_column {
    ($($ty:ty => $what:literal),+ $(,)?) => {$(
        impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.to_string()))
            }
        }

        impl FromSql for $ty {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                sql::parse(text(value, $what)?, $what).map_err(other)
            }
        }
    )+};
}

display_column!(KeyName => "key name", KeyRef => "key reference");

impl ToSql for KeyVersion {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(sql::version_to_i64(*self)))
    }
}

/// An integer value only: text is a type error, never parsed as a number.
impl FromSql for KeyVersion {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Integer(n) => sql::version_from_i64(n).map_err(other),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

impl ToSql for KeyState {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(sql::state_text(self).into_owned()))
    }
}

impl FromSql for KeyState {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        sql::state_from_text(text(value, "key state")?).map_err(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_non_utf8_text_column_is_our_error() {
        let err = KeyRef::column_result(ValueRef::Text(b"tenants/\xff")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the column does not hold a canonical key reference"
        );
        assert!(matches!(
            TenantId::column_result(ValueRef::Integer(7)),
            Err(FromSqlError::InvalidType)
        ));
    }
}
