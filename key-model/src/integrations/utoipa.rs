//! utoipa 6 (feature `utoipa`): `ToSchema` and `PartialSchema` for the
//! model's types and [`ErrorCode`], so a DTO holding a [`KeyRef`] derives
//! its OpenAPI schema without `#[schema(value_type = String)]`.
//!
//! utoipa 6 because utoipa-swagger-ui 10, whose `vendored` feature bundles
//! the Swagger UI files and so builds offline, is written against it.
//!
//! Each string type carries a `pattern` that is its strict parser's
//! grammar and a real `example`; a [`KeyVersion`] and a [`Timestamp`] are
//! integers, as serde writes them. No schema names a secret type: key
//! material has no schema.
//!
//! ```
//! use key_model::KeyRef;
//! use utoipa::OpenApi;
//!
//! #[derive(utoipa::ToSchema)]
//! struct SessionResponse {
//!     encryption_key_ref: KeyRef,
//! }
//!
//! #[derive(OpenApi)]
//! #[openapi(components(schemas(SessionResponse)))]
//! struct Api;
//!
//! let doc = serde_json::to_value(Api::openapi())?;
//! let key_ref = &doc["components"]["schemas"]["KeyRef"];
//! assert_eq!(key_ref["examples"][0], "tenants/acme/keys/ssh-session-recording/versions/3");
//! assert!(key_ref["pattern"].as_str().unwrap().starts_with("^tenants/"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::borrow::Cow;

use utoipa::openapi::schema::{
    KnownFormat, ObjectBuilder, OneOfBuilder, Ref, Schema, SchemaFormat, Type,
};
use utoipa::openapi::{RefOr, schema::AdditionalProperties};
use utoipa::{PartialSchema, ToSchema};

use crate::code::ErrorCode;
use crate::integrations::schema as s;
use crate::model::id::{KeyName, KeyPurpose, KeyRef, KeyVersion, TenantId};
use crate::model::lifecycle::{KeyMetadata, KeyOrigin, KeyState};
use crate::model::time::Timestamp;

fn string(description: &str, pattern: Option<&str>, example: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(pattern)
        .examples([example])
}

fn slug(description: &str, example: &str) -> ObjectBuilder {
    string(description, Some(s::SLUG_PATTERN), example)
        .min_length(Some(1))
        .max_length(Some(crate::model::id::MAX_SLUG_LEN))
}

fn integer(description: &str, minimum: u64, maximum: Option<u64>, example: u64) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .description(Some(description))
        .minimum(Some(minimum))
        .maximum(maximum)
        .examples([example])
}

/// The components a schema refers to, for `ToSchema::schemas`: a document
/// that holds the schema holds what its `$ref`s name.
type Components = Vec<(String, RefOr<Schema>)>;

fn add<T: ToSchema>(schemas: &mut Components) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

/// `PartialSchema` and `ToSchema` (named, so a field is a `$ref` to one
/// component) from a schema expression, with the types its `$ref`s name.
macro_rules! schema {
    ($($ty:ty => $name:literal $(uses [$($used:ty),+])?, $schema:expr;)+) => {$(
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                RefOr::T($schema)
            }
        }

        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn schemas(_schemas: &mut Components) {
                $($(add::<$used>(_schemas);)+)?
            }
        }
    )+};
}

schema! {
    TenantId => "TenantId", slug(s::TENANT_DESCRIPTION, s::TENANT_EXAMPLE).build().into();
    KeyPurpose => "KeyPurpose", slug(s::PURPOSE_DESCRIPTION, s::PURPOSE_EXAMPLE).build().into();
    KeyName => "KeyName",
        string(s::KEY_NAME_DESCRIPTION, Some(s::KEY_NAME_PATTERN), s::KEY_NAME_EXAMPLE).build().into();
    KeyRef => "KeyRef",
        string(s::KEY_REF_DESCRIPTION, Some(s::KEY_REF_PATTERN), s::KEY_REF_EXAMPLE).build().into();
    KeyVersion => "KeyVersion", integer(
        s::VERSION_DESCRIPTION,
        1,
        Some(u64::from(u32::MAX)),
        u64::from(s::VERSION_EXAMPLE),
    ).build().into();
    Timestamp => "Timestamp",
        integer(s::TIMESTAMP_DESCRIPTION, 0, None, s::TIMESTAMP_EXAMPLE).build().into();
    KeyOrigin => "KeyOrigin", string(s::ORIGIN_DESCRIPTION, None, s::ORIGIN_EXAMPLE)
        .enum_values(Some(s::ORIGINS.iter().copied()))
        .build()
        .into();
    // Open (G10): the known codes are examples, not a closed `enum`.
    ErrorCode => "ErrorCode", ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(s::ERROR_CODE_DESCRIPTION))
        .examples(ErrorCode::ALL.iter().map(|c| c.as_str()))
        .build()
        .into();
    KeyState => "KeyState" uses [Timestamp], OneOfBuilder::new()
        .description(Some(s::STATE_DESCRIPTION))
        .examples([s::STATE_EXAMPLE])
        // A name: the known ones, or one a newer version wrote.
        .item(ObjectBuilder::new().schema_type(Type::String).examples(s::STATE_NAMES.iter().copied()))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .property(
                    "destroy_scheduled",
                    ObjectBuilder::new()
                        .schema_type(Type::Object)
                        .property("at", Ref::from_schema_name("Timestamp"))
                        .required("at")
                        .additional_properties(Some(AdditionalProperties::FreeForm(false))),
                )
                .required("destroy_scheduled")
                .additional_properties(Some(AdditionalProperties::FreeForm(false))),
        )
        .build()
        .into();
    KeyMetadata => "KeyMetadata" uses [KeyRef, KeyState, KeyOrigin, Timestamp], ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(s::METADATA_DESCRIPTION))
        .property("key_ref", Ref::from_schema_name("KeyRef"))
        .property("state", Ref::from_schema_name("KeyState"))
        .property("origin", Ref::from_schema_name("KeyOrigin"))
        .property("created_at", Ref::from_schema_name("Timestamp"))
        .property("primary", ObjectBuilder::new().schema_type(Type::Boolean))
        .required("key_ref")
        .required("state")
        .required("origin")
        .required("created_at")
        .required("primary")
        .build()
        .into();
}

/// The body of a [`Problem`](crate::axum::Problem) response, as
/// `Problem::body` writes it: with the `axum` feature too, a service
/// documents its errors with `body = key_model::axum::Problem` (and
/// `content_type = "application/problem+json"`).
#[cfg(feature = "axum")]
mod problem {
    use super::{Components, ErrorCode, ObjectBuilder, PartialSchema, RefOr, Schema};
    use super::{Cow, KnownFormat, SchemaFormat, ToSchema, Type, add};
    use crate::integrations::axum::Problem;
    use utoipa::openapi::schema::RefBuilder;

    fn text(description: &str, example: &str) -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(description))
            .examples([example])
    }

    schema! {
        Problem => "Problem" uses [ErrorCode], ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("An RFC 9457 problem (`application/problem+json`). Every member is fixed text chosen by the code: none carries a value of the request, a record or a key."))
            .property("type", text("Always `about:blank`: the `code` says what happened.", "about:blank"))
            .property("title", text("The HTTP status's reason phrase.", "Not Found"))
            .property(
                "status",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                    .description(Some("The HTTP status, repeated."))
                    .minimum(Some(400))
                    .maximum(Some(599))
                    .examples([404]),
            )
            .property("detail", text("A fixed sentence for people, chosen by the code.", "key not found"))
            .property(
                "code",
                RefBuilder::new()
                    .ref_location_from_schema_name("ErrorCode")
                    .description(Some(
                        "The stable code: one of key-model's, or one of the service's own.",
                    )),
            )
            .required("type")
            .required("title")
            .required("status")
            .required("detail")
            .required("code")
            .build()
            .into();
    }
}
