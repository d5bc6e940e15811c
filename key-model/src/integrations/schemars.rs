//! schemars 1 (feature `schemars`): `JsonSchema` for the model's types and
//! [`ErrorCode`], so a DTO holding a [`KeyRef`] derives its schema without
//! `#[schemars(with = "String")]`.
//!
//! Each string type carries a `pattern` that is its strict parser's
//! grammar and a real `example`; a [`KeyVersion`] and a [`Timestamp`] are
//! integers, as serde writes them. No schema names a secret type: key
//! material has no schema.
//!
//! ```
//! use key_model::KeyRef;
//!
//! #[derive(schemars::JsonSchema)]
//! struct SessionResponse {
//!     encryption_key_ref: KeyRef,
//! }
//!
//! let schema = serde_json::to_value(schemars::schema_for!(SessionResponse))?;
//! let key_ref = &schema["$defs"]["KeyRef"];
//! assert_eq!(key_ref["type"], "string");
//! assert_eq!(key_ref["examples"][0], "tenants/acme/keys/ssh-session-recording/versions/3");
//! assert!(key_ref["pattern"].as_str().unwrap().starts_with("^tenants/"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::code::ErrorCode;
use crate::integrations::schema as s;
use crate::model::id::{KeyName, KeyPurpose, KeyRef, KeyVersion, TenantId};
use crate::model::lifecycle::{KeyMetadata, KeyOrigin, KeyState};
use crate::model::time::Timestamp;

/// `JsonSchema` for a type whose schema refers to no other: its name, a
/// crate-qualified id (two crates' `KeyRef`s never collide), and the JSON.
macro_rules! leaf_schema {
    ($($ty:ty => $name:literal, $schema:expr;)+) => {$(
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn schema_id() -> Cow<'static, str> {
                Cow::Borrowed(concat!("key_model::", $name))
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    )+};
}

leaf_schema! {
    TenantId => "TenantId", json_schema!({
        "type": "string",
        "description": s::TENANT_DESCRIPTION,
        "minLength": 1,
        "maxLength": 63,
        "pattern": s::SLUG_PATTERN,
        "examples": [s::TENANT_EXAMPLE],
    });
    KeyPurpose => "KeyPurpose", json_schema!({
        "type": "string",
        "description": s::PURPOSE_DESCRIPTION,
        "minLength": 1,
        "maxLength": 63,
        "pattern": s::SLUG_PATTERN,
        "examples": [s::PURPOSE_EXAMPLE],
    });
    KeyVersion => "KeyVersion", json_schema!({
        "type": "integer",
        "format": "uint32",
        "description": s::VERSION_DESCRIPTION,
        "minimum": 1,
        "maximum": u32::MAX,
        "examples": [s::VERSION_EXAMPLE],
    });
    KeyName => "KeyName", json_schema!({
        "type": "string",
        "description": s::KEY_NAME_DESCRIPTION,
        "pattern": s::KEY_NAME_PATTERN,
        "examples": [s::KEY_NAME_EXAMPLE],
    });
    KeyRef => "KeyRef", json_schema!({
        "type": "string",
        "description": s::KEY_REF_DESCRIPTION,
        "pattern": s::KEY_REF_PATTERN,
        "examples": [s::KEY_REF_EXAMPLE],
    });
    Timestamp => "Timestamp", json_schema!({
        "type": "integer",
        "format": "uint64",
        "description": s::TIMESTAMP_DESCRIPTION,
        "minimum": 0,
        "examples": [s::TIMESTAMP_EXAMPLE],
    });
    KeyOrigin => "KeyOrigin", json_schema!({
        "type": "string",
        "description": s::ORIGIN_DESCRIPTION,
        "enum": s::ORIGINS,
        "examples": [s::ORIGIN_EXAMPLE],
    });
    ErrorCode => "ErrorCode", json_schema!({
        "type": "string",
        "description": s::ERROR_CODE_DESCRIPTION,
        "examples": [ErrorCode::KeyNotFound.as_str()],
        // Open (G10): the known codes, not a closed `enum`.
        "anyOf": [
            { "enum": ErrorCode::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>() },
            { "type": "string" }
        ],
    });
}

impl JsonSchema for KeyState {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("KeyState")
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Borrowed("key_model::KeyState")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let at = generator.subschema_for::<Timestamp>();
        json_schema!({
            "description": s::STATE_DESCRIPTION,
            "examples": [s::STATE_EXAMPLE],
            "oneOf": [
                // A name: the known ones, or one a newer version wrote.
                { "type": "string", "examples": s::STATE_NAMES },
                {
                    "type": "object",
                    "properties": {
                        "destroy_scheduled": {
                            "type": "object",
                            "properties": { "at": at },
                            "required": ["at"],
                            "additionalProperties": false,
                        }
                    },
                    "required": ["destroy_scheduled"],
                    "additionalProperties": false,
                }
            ],
        })
    }
}

impl JsonSchema for KeyMetadata {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("KeyMetadata")
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Borrowed("key_model::KeyMetadata")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": s::METADATA_DESCRIPTION,
            "properties": {
                "key_ref": generator.subschema_for::<KeyRef>(),
                "state": generator.subschema_for::<KeyState>(),
                "origin": generator.subschema_for::<KeyOrigin>(),
                "created_at": generator.subschema_for::<Timestamp>(),
                "primary": { "type": "boolean" },
            },
            "required": ["key_ref", "state", "origin", "created_at", "primary"],
        })
    }
}
