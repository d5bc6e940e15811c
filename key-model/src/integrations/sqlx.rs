//! sqlx 0.9 for Postgres (feature `sqlx`): `Type`, `Encode` and `Decode`
//! for the identifiers and [`KeyState`], in the column forms of
//! [`integrations`](crate::integrations): `TEXT` for the text forms,
//! `BIGINT` for a version.
//!
//! Postgres only: sqlx's SQLite driver links `sqlite3` through its own
//! `libsqlite3-sys`, as rusqlite does, and two crates that link one native
//! library cannot share a build; a service on SQLite uses the `rusqlite`
//! feature. The feature needs Rust 1.94 (sqlx 0.9's MSRV).
//!
//! Strict on the way in: a column is read as text and parsed by the same
//! parser as any other input, so a row cannot hold a non-canonical
//! reference, and a malformed value is an error whose message names the
//! type, never the value. An unknown state name reads as the fail-closed
//! [`KeyState::Unrecognized`].
//!
//! ```
//! use key_model::KeyRef;
//! use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, Postgres};
//! use sqlx::{Encode, Type};
//!
//! // What `sqlx::query("... WHERE key_ref = $1").bind(&key_ref)` sends.
//! let key_ref: KeyRef = "tenants/acme/keys/billing/versions/1".parse()?;
//! let mut buf = PgArgumentBuffer::default();
//! let _ = Encode::<Postgres>::encode_by_ref(&key_ref, &mut buf)?;
//! assert_eq!(&buf[..], b"tenants/acme/keys/billing/versions/1");
//! assert!(<KeyRef as Type<Postgres>>::compatible(&PgTypeInfo::with_name("TEXT")));
//! # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
//! ```

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef, Postgres};
use sqlx::{Decode, Encode, Type};

use crate::integrations::sql::{self, InvalidColumn};
use crate::model::id::{KeyName, KeyPurpose, KeyRef, KeyVersion, TenantId};
use crate::model::lifecycle::KeyState;

/// The text of a column, as `&str` decodes it; text that is not UTF-8 is
/// our error, which names the type only.
fn text<'r>(value: PgValueRef<'r>, what: &'static str) -> Result<&'r str, BoxDynError> {
    <&str as Decode<Postgres>>::decode(value).map_err(|_| InvalidColumn::new(what).into())
}

macro_rules! text_column {
    ($($ty:ty => $what:literal),+ $(,)?) => {$(
        impl Type<Postgres> for $ty {
            fn type_info() -> PgTypeInfo {
                <&str as Type<Postgres>>::type_info()
            }

            fn compatible(ty: &PgTypeInfo) -> bool {
                <&str as Type<Postgres>>::compatible(ty)
            }
        }

        impl Encode<'_, Postgres> for $ty {
            fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <&str as Encode<Postgres>>::encode(self.to_string().as_str(), buf)
            }
        }

        impl<'r> Decode<'r, Postgres> for $ty {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                Ok(sql::parse(text(value, $what)?, $what)?)
            }
        }
    )+};
}

text_column!(
    TenantId => "tenant id",
    KeyPurpose => "key purpose",
    KeyName => "key name",
    KeyRef => "key reference",
);

impl Type<Postgres> for KeyVersion {
    fn type_info() -> PgTypeInfo {
        <i64 as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for KeyVersion {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<Postgres>>::encode(sql::version_to_i64(*self), buf)
    }
}

impl<'r> Decode<'r, Postgres> for KeyVersion {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let n = <i64 as Decode<Postgres>>::decode(value)
            .map_err(|_| InvalidColumn::new("key version"))?;
        Ok(sql::version_from_i64(n)?)
    }
}

impl Type<Postgres> for KeyState {
    fn type_info() -> PgTypeInfo {
        <&str as Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <&str as Type<Postgres>>::compatible(ty)
    }
}

impl Encode<'_, Postgres> for KeyState {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <&str as Encode<Postgres>>::encode(sql::state_text(self).as_ref(), buf)
    }
}

impl<'r> Decode<'r, Postgres> for KeyState {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(sql::state_from_text(text(value, "key state")?)?)
    }
}
