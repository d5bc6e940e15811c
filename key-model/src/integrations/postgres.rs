//! Postgres (feature `postgres`): `ToSql` and `FromSql` of postgres-types
//! 0.2, the traits of both `postgres` 0.19 and `tokio-postgres`, for the
//! identifiers and [`KeyState`], in the column forms of
//! [`integrations`](crate::integrations): `TEXT` (or `VARCHAR`, ...) for
//! the text forms, `BIGINT` for a version (`INTEGER` is read too, and
//! written when the version fits).
//!
//! Strict on the way in: a column is parsed by the same parser as any
//! other input, so a row cannot hold a non-canonical reference, and a
//! malformed value is an error whose message names the type, never the
//! value. An unknown state name reads as the fail-closed
//! [`KeyState::Unrecognized`].
//!
//! ```
//! use bytes::BytesMut;
//! use key_model::{KeyRef, KeyState};
//! use postgres_types::{FromSql, ToSql, Type};
//!
//! // What the driver does with a query parameter and a result column.
//! let key_ref: KeyRef = "tenants/acme/keys/billing/versions/1".parse()?;
//! let mut buf = BytesMut::new();
//! key_ref.to_sql_checked(&Type::TEXT, &mut buf)?;
//! assert_eq!(KeyRef::from_sql(&Type::TEXT, &buf)?, key_ref);
//!
//! let err = KeyRef::from_sql(&Type::TEXT, b"tenants/acme/keys/billing/versions/01").unwrap_err();
//! assert_eq!(err.to_string(), "the column does not hold a canonical key reference");
//! assert!(matches!(KeyState::from_sql(&Type::TEXT, b"quarantined")?, KeyState::Unrecognized(_)));
//! # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
//! ```

use core::error::Error;

use bytes::BytesMut;
use postgres_types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

use crate::integrations::sql::{self, InvalidColumn};
use crate::model::id::{KeyName, KeyPurpose, KeyRef, KeyVersion, TenantId};
use crate::model::lifecycle::KeyState;

type BoxError = Box<dyn Error + Sync + Send>;

/// The text of a column, as `&str` reads it (every text type); text that
/// is not UTF-8 is our error, which names the type only.
fn text<'a>(ty: &Type, raw: &'a [u8], what: &'static str) -> Result<&'a str, BoxError> {
    if !<&str as FromSql>::accepts(ty) {
        return Err(Box::new(InvalidColumn::new(what)));
    }
    core::str::from_utf8(raw).map_err(|_| InvalidColumn::new(what).into())
}

macro_rules! text_column {
    ($($ty:ty => $what:literal),+ $(,)?) => {$(
        impl ToSql for $ty {
            fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
                self.to_string().as_str().to_sql(ty, out)
            }

            fn accepts(ty: &Type) -> bool {
                <&str as ToSql>::accepts(ty)
            }

            to_sql_checked!();
        }

        impl<'a> FromSql<'a> for $ty {
            fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
                Ok(sql::parse(text(ty, raw, $what)?, $what)?)
            }

            fn accepts(ty: &Type) -> bool {
                <&str as FromSql>::accepts(ty)
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

impl ToSql for KeyVersion {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let n = sql::version_to_i64(*self);
        if *ty == Type::INT4 {
            // Every version fits a BIGINT; an INTEGER column holds half.
            let n = i32::try_from(n).map_err(|_| InvalidColumn::new("key version"))?;
            n.to_sql(ty, out)
        } else {
            n.to_sql(ty, out)
        }
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::INT8 || *ty == Type::INT4
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for KeyVersion {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let invalid = || -> BoxError { Box::new(InvalidColumn::new("key version")) };
        let n = if *ty == Type::INT4 {
            i64::from(i32::from_sql(ty, raw).map_err(|_| invalid())?)
        } else {
            i64::from_sql(ty, raw).map_err(|_| invalid())?
        };
        Ok(sql::version_from_i64(n)?)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::INT8 || *ty == Type::INT4
    }
}

impl ToSql for KeyState {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        sql::state_text(self).as_ref().to_sql(ty, out)
    }

    fn accepts(ty: &Type) -> bool {
        <&str as ToSql>::accepts(ty)
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for KeyState {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(sql::state_from_text(text(ty, raw, "key state")?)?)
    }

    fn accepts(ty: &Type) -> bool {
        <&str as FromSql>::accepts(ty)
    }
}
