//! A [`RootKey`] held by the transit engine of OpenBao or HashiCorp Vault
//! (the same HTTP API): wrap is `transit/encrypt`, unwrap
//! `transit/decrypt`, rotation `transit/rewrap`, each with the key
//! reference's canonical text as the derivation context.

use core::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox, SecretString};
use zeroize::Zeroizing;

use crate::model::id::KeyRef;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::root::http::{HttpClient, Reply};
use crate::ring::root::{RingCall, RootKey, WrappedKey};

/// How long one request to the transit engine may take.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Where the transit key is and how to reach it.
///
/// The token is the caller's (from a Vault agent, a file, an environment
/// variable): key-model keeps it in a [`SecretString`], sends it in the
/// `X-Vault-Token` header only, and shows it nowhere (`Debug` prints
/// `[REDACTED]`).
///
/// ```
/// use key_model::ring::TransitConfig;
///
/// let config = TransitConfig::new("http://127.0.0.1:8200", "transit", "tenant-keys", "s.token".into());
/// assert!(!format!("{config:?}").contains("s.token"));
/// ```
pub struct TransitConfig {
    address: String,
    mount: String,
    key: String,
    token: SecretString,
}

impl TransitConfig {
    /// The transit key `key` on the engine mounted at `mount` of the server
    /// at `address` (`http://host:port`, no trailing slash), reached with
    /// `token`.
    pub fn new(
        address: impl Into<String>,
        mount: impl Into<String>,
        key: impl Into<String>,
        token: SecretString,
    ) -> TransitConfig {
        TransitConfig {
            address: address.into().trim_end_matches('/').to_owned(),
            mount: mount.into().trim_matches('/').to_owned(),
            key: key.into(),
            token,
        }
    }
}

impl fmt::Debug for TransitConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransitConfig")
            .field("address", &self.address)
            .field("mount", &self.mount)
            .field("key", &self.key)
            .field("token", &format_args!("[REDACTED]"))
            .finish()
    }
}

/// A [`RootKey`] held by an OpenBao or Vault transit engine: the root key
/// never leaves the server; key material is sent to it to be wrapped and
/// comes back from it unwrapped.
///
/// The transit key must be created with `"derived": true`: the key
/// reference's canonical text is the derivation context of every request,
/// so wrapped bytes moved to another tenant, key or version do not unwrap.
/// A key without derivation would ignore the context silently, so
/// [`TransitRootKey::connect`] refuses it.
///
/// No fallback: one server, one key. A refusal (soft-deleted key, a version
/// below `min_decryption_version`, a token without access) is
/// [`BackendErrorKind::Refused`]; an unreachable server is
/// [`BackendErrorKind::Unavailable`]; wrapped bytes that fail
/// authentication are [`BackendErrorKind::Unwrap`]. No error carries the
/// server's answer. Rotation ([`RootKey::rewrap`]) is `transit/rewrap`: the
/// material is re-wrapped inside the server and never comes back.
pub struct TransitRootKey {
    config: TransitConfig,
    http: HttpClient,
}

impl fmt::Debug for TransitRootKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransitRootKey")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl TransitRootKey {
    /// Connects to the transit key of `config` and checks it: it must exist,
    /// be readable with the token, and be a derived key.
    pub fn connect(config: TransitConfig) -> Result<TransitRootKey, BackendError> {
        let root = TransitRootKey {
            config,
            http: HttpClient::new(TIMEOUT),
        };
        let url = root.url("keys");
        let reply = root.http.get(
            &url,
            &[("X-Vault-Token", root.config.token.expose_secret())],
        )?;
        let key: Answer<KeyInfo> = parse(&reply)?;
        if !key.data.derived {
            return Err(BackendError::new(
                BackendErrorKind::Refused,
                "transit key is not derived: the key reference would not be bound",
            ));
        }
        Ok(root)
    }

    fn url(&self, operation: &str) -> String {
        format!(
            "{}/v1/{}/{operation}/{}",
            self.config.address, self.config.mount, self.config.key
        )
    }

    /// `POST`s a JSON request to `transit/OPERATION/KEY`, the token in its
    /// header.
    fn call(&self, operation: &str, body: &[u8]) -> Result<Reply, BackendError> {
        self.http.post(
            &self.url(operation),
            &[
                ("X-Vault-Token", self.config.token.expose_secret()),
                ("Content-Type", "application/json"),
            ],
            body,
        )
    }
}

/// The derivation context of `key_ref`: its canonical text, base64.
fn context(key_ref: &KeyRef) -> String {
    STANDARD.encode(key_ref.to_string())
}

/// The envelope of every transit answer.
#[derive(serde::Deserialize)]
struct Answer<T> {
    data: T,
}

#[derive(serde::Deserialize)]
struct KeyInfo {
    derived: bool,
}

#[derive(serde::Deserialize)]
struct Ciphertext<'a> {
    #[serde(borrow)]
    ciphertext: &'a str,
}

/// The decrypted material, borrowed from the (zeroized) response body:
/// base64 has no JSON escapes, so it is never copied.
#[derive(serde::Deserialize)]
struct PlaintextData<'a> {
    #[serde(borrow)]
    plaintext: &'a str,
}

/// The server's refusal messages (the `errors` array). Read to tell a
/// refusal from an authentication failure, never kept.
#[derive(serde::Deserialize)]
struct Errors<'a> {
    #[serde(borrow, default)]
    errors: Vec<std::borrow::Cow<'a, str>>,
}

/// The typed error of a non-success reply: 403 and the refusals the engine
/// answers with 400 (soft-deleted key, version retired by policy, key not
/// found) are `Refused`; a ciphertext that fails authentication or does not
/// parse is `Unwrap`; anything else is `Unavailable`.
fn refusal(reply: &Reply) -> BackendError {
    let refused = |detail| BackendError::new(BackendErrorKind::Refused, detail);
    match reply.status {
        401 | 403 => refused("transit engine denied access to the key"),
        400 => {
            let errors: Errors<'_> =
                serde_json::from_slice(&reply.body).unwrap_or(Errors { errors: Vec::new() });
            let says = |needle: &str| errors.errors.iter().any(|e| e.contains(needle));
            if says("soft-deleted") {
                refused("transit key is soft-deleted")
            } else if says("disallowed by policy") {
                refused("transit key version is retired (min_decryption_version)")
            } else if says("not found") {
                refused("transit key not found")
            } else if says("authentication failed") || says("invalid ciphertext") {
                BackendError::new(
                    BackendErrorKind::Unwrap,
                    "transit engine could not authenticate the wrapped material",
                )
            } else {
                refused("transit engine refused the request")
            }
        }
        _ => BackendError::new(
            BackendErrorKind::Unavailable,
            "transit engine answered with an error",
        ),
    }
}

/// The `data` of a success reply, or the typed error of a refusal.
fn parse<'a, T: serde::Deserialize<'a>>(reply: &'a Reply) -> Result<Answer<T>, BackendError> {
    if reply.status != 200 {
        return Err(refusal(reply));
    }
    serde_json::from_slice(&reply.body).map_err(|_| {
        BackendError::new(
            BackendErrorKind::Unavailable,
            "transit engine answered with a malformed body",
        )
    })
}

/// The wrapped bytes of a `vault:vN:...` ciphertext (its ASCII text).
fn wrapped(ciphertext: &str) -> Result<WrappedKey, BackendError> {
    if !ciphertext.starts_with("vault:v") {
        return Err(BackendError::new(
            BackendErrorKind::Unavailable,
            "transit engine answered with a malformed ciphertext",
        ));
    }
    Ok(WrappedKey::from_bytes(ciphertext.as_bytes()))
}

/// The ciphertext text of wrapped bytes, or `Unwrap` if they are not one.
fn ciphertext(wrapped: &WrappedKey) -> Result<&str, BackendError> {
    core::str::from_utf8(wrapped.as_bytes())
        .ok()
        .filter(|c| c.starts_with("vault:v"))
        .ok_or(BackendError::new(
            BackendErrorKind::Unwrap,
            "wrapped material is not a transit ciphertext",
        ))
}

/// A JSON request body `{"ciphertext": ..., "context": ...}`.
fn ciphertext_request(key_ref: &KeyRef, wrapped: &WrappedKey) -> Result<Vec<u8>, BackendError> {
    serde_json::to_vec(&serde_json::json!({
        "ciphertext": ciphertext(wrapped)?,
        "context": context(key_ref),
    }))
    .map_err(|_| BackendError::new(BackendErrorKind::Corrupt, "request could not be encoded"))
}

impl RootKey for TransitRootKey {
    fn wrap(
        &self,
        _call: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        // The base64 text and the request body hold the material: both are
        // zeroized when dropped. (The socket's buffers are the kernel's.)
        let plaintext = Zeroizing::new(STANDARD.encode(material.expose_secret()));
        let body = Zeroizing::new(format!(
            r#"{{"plaintext":"{}","context":"{}"}}"#,
            plaintext.as_str(),
            context(key_ref)
        ));
        let reply = self.call("encrypt", body.as_bytes())?;
        let answer: Answer<Ciphertext<'_>> = parse(&reply)?;
        wrapped(answer.data.ciphertext)
    }

    fn unwrap(
        &self,
        _call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        let body = ciphertext_request(key_ref, wrapped)?;
        let reply = self.call("decrypt", &body)?;
        let answer: Answer<PlaintextData<'_>> = parse(&reply)?;
        let malformed = || {
            BackendError::new(
                BackendErrorKind::Corrupt,
                "transit engine returned material of the wrong length",
            )
        };
        let decoded = Zeroizing::new(
            STANDARD
                .decode(answer.data.plaintext)
                .map_err(|_| malformed())?,
        );
        let mut secret = SecretBox::<[u8; 32]>::default();
        let bytes: &[u8; 32] = decoded.as_slice().try_into().map_err(|_| malformed())?;
        secret.expose_secret_mut().copy_from_slice(bytes);
        Ok(secret)
    }

    fn rewrap(
        &self,
        _call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<WrappedKey, BackendError> {
        let body = ciphertext_request(key_ref, wrapped)?;
        let reply = self.call("rewrap", &body)?;
        let answer: Answer<Ciphertext<'_>> = parse(&reply)?;
        self::wrapped(answer.data.ciphertext)
    }
}
