//! The struct shapes the derive benchmarks (`benches/derives.rs`) and the
//! allocation test (`tests/alloc_free.rs`) share: a realistic DTO of 10
//! fields (strings, numbers, a `KeyRef`, a nested struct, a `Vec`) and a
//! small one of 3, each as twins that differ only in their derives.
//!
//! Each twin holds the same values: the redacted types mark `token` (or
//! `key`) `#[redact]`; the std / serde twins (`Std*`) write it as is, as a
//! type without a secret would (what a user sees). The masked twins
//! (`Masked*`) are std / serde too, with the secret in a [`Masked`], whose
//! `Debug` and `Serialize` write `[REDACTED]`: they print exactly what the
//! redacted types print, so a comparison with them is on equal work. veil's
//! twins (`Veil*`) live in the bench, their only user.

// Each user of this module uses part of it.
#![allow(dead_code, unreachable_pub)]

use key_model::{ApiDto, RedactedDebug, RedactedSerialize, SecretFree};

/// A secret string whose `Debug` writes `[REDACTED]` and whose `Serialize`
/// writes the string `"[REDACTED]"`, written by hand as a user without the
/// redacting derives would: the masked twins' field, so that std's and
/// serde's derives produce the redacted types' output byte for byte.
pub struct Masked(String);

impl From<&str> for Masked {
    fn from(secret: &str) -> Self {
        Self(secret.into())
    }
}

impl core::fmt::Debug for Masked {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl serde::Serialize for Masked {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("[REDACTED]")
    }
}

/// The nested value object of the large DTO.
#[derive(Debug, serde::Serialize, SecretFree)]
pub struct Recording {
    pub label: String,
    pub bytes: u64,
}

/// Generates the large DTO with the given derives, `token`'s type and
/// `token`'s attribute.
/// Paths are absolute, so the bench can generate veil's twin; the module must
/// be declared as `shapes` at the crate root.
macro_rules! large {
    ($(#[$attr:meta])* $name:ident, $token_ty:ty, $(#[$token:meta])?) => {
        $(#[$attr])*
        pub struct $name {
            pub id: u64,
            pub name: String,
            pub description: Option<String>,
            pub count: u32,
            pub ratio: f64,
            pub enabled: bool,
            pub encryption_key_ref: ::key_model::KeyRef,
            pub recording: $crate::shapes::Recording,
            pub tags: Vec<String>,
            $(#[$token])?
            pub token: $token_ty,
        }

        impl $name {
            pub fn sample() -> Self {
                Self {
                    id: 4_021_337,
                    name: "ssh session to db-primary-01".into(),
                    description: Some("interactive \"root\" session\nrecorded".into()),
                    count: 1_250,
                    ratio: 0.734_5,
                    enabled: true,
                    encryption_key_ref: "tenants/acme/keys/ssh-session-recording/versions/3"
                        .parse()
                        .expect("key ref"),
                    recording: $crate::shapes::Recording {
                        label: "recording-2026-11-29".into(),
                        bytes: 18_446_744,
                    },
                    tags: vec!["prod".into(), "eu-west-1".into(), "pci".into()],
                    token: "tok_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0".into(),
                }
            }
        }
    };
}

/// Generates the small DTO, as [`large!`].
macro_rules! small {
    ($(#[$attr:meta])* $name:ident, $key_ty:ty, $(#[$key:meta])?) => {
        $(#[$attr])*
        pub struct $name {
            pub tenant: String,
            pub version: u32,
            $(#[$key])?
            pub key: $key_ty,
        }

        impl $name {
            pub fn sample() -> Self {
                Self {
                    tenant: "acme".into(),
                    version: 3,
                    key: "k3y-m4t3r14l-0123456789abcdef".into(),
                }
            }
        }
    };
}

large!(
    #[derive(Debug, serde::Serialize)]
    StdLarge,
    String,
);
large!(#[derive(RedactedDebug, RedactedSerialize)] RedactedLarge, String, #[redact]);
large!(
    #[derive(serde::Serialize, ApiDto)]
    ApiLarge,
    String,
);
small!(
    #[derive(Debug, serde::Serialize)]
    StdSmall,
    String,
);
small!(#[derive(RedactedDebug, RedactedSerialize)] RedactedSmall, String, #[redact]);
small!(
    #[derive(serde::Serialize, ApiDto)]
    ApiSmall,
    String,
);

/// The masked twins: std's and serde's derives, the secret in a [`Masked`].
/// Named as the redacted types, so that the name std's `Debug` prints is the
/// same too and the outputs are equal byte for byte.
pub mod masked {
    use super::Masked;

    large!(
        #[derive(Debug, serde::Serialize)]
        RedactedLarge,
        Masked,
    );
    small!(
        #[derive(Debug, serde::Serialize)]
        RedactedSmall,
        Masked,
    );
}
