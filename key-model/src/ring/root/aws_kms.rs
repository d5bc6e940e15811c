//! A [`RootKey`] held by AWS KMS (its JSON API; LocalStack in tests):
//! wrap is `Encrypt`, unwrap `Decrypt`, rotation `ReEncrypt`, each with the
//! key reference in the encryption context, each request signed with SigV4
//! (`sigv4.rs`).

use core::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox, SecretString};
use zeroize::Zeroizing;

use crate::model::id::KeyRef;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::root::http::{HttpClient, Reply};
use crate::ring::root::{RingCall, RootKey, WrappedKey};

mod sigv4;

/// How long one request to KMS may take.
const TIMEOUT: Duration = Duration::from_secs(5);
/// The format byte of material wrapped by [`AwsKmsRootKey`].
const WRAP_FORMAT_V1: u8 = 0x01;
/// The encryption-context key that carries the key reference.
const CONTEXT_KEY: &str = "key-model/key-ref";

/// Where the KMS key is, and the credentials that reach it.
///
/// The secret access key (and a session token, if any) are `SecretString`s:
/// used to sign, sent never (the session token only in its header), shown
/// nowhere (`Debug` prints `[REDACTED]`).
///
/// ```
/// use key_model::ring::AwsKmsConfig;
///
/// let config = AwsKmsConfig::new("http://127.0.0.1:4566", "us-east-1", "alias/tenant-keys", "AKIDEXAMPLE", "s3cr3t".into());
/// assert!(!format!("{config:?}").contains("s3cr3t"));
/// ```
pub struct AwsKmsConfig {
    endpoint: String,
    host: String,
    region: String,
    key_id: String,
    previous: Vec<String>,
    access_key_id: String,
    secret_access_key: SecretString,
    session_token: Option<SecretString>,
}

impl AwsKmsConfig {
    /// The KMS key `key_id` (an id, an ARN or an alias) at `endpoint`
    /// (`http://host:port` or, with `root-http-tls`, `https://...`) in
    /// `region`, with these credentials.
    pub fn new(
        endpoint: impl Into<String>,
        region: impl Into<String>,
        key_id: impl Into<String>,
        access_key_id: impl Into<String>,
        secret_access_key: SecretString,
    ) -> AwsKmsConfig {
        let endpoint = endpoint.into().trim_end_matches('/').to_owned();
        let host = endpoint
            .split_once("://")
            .map_or(endpoint.as_str(), |(_, rest)| rest)
            .to_owned();
        AwsKmsConfig {
            endpoint,
            host,
            region: region.into(),
            key_id: key_id.into(),
            previous: Vec::new(),
            access_key_id: access_key_id.into(),
            secret_access_key,
            session_token: None,
        }
    }

    /// A session token (temporary credentials).
    #[must_use]
    pub fn with_session_token(mut self, token: SecretString) -> AwsKmsConfig {
        self.session_token = Some(token);
        self
    }

    /// Keys that wrapped material before a rotation: still accepted for
    /// unwrapping and as the source of a re-wrap, never for wrapping. Remove
    /// them once `rewrap_all` has run for every tenant.
    #[must_use]
    pub fn with_previous_key(mut self, key_id: impl Into<String>) -> AwsKmsConfig {
        self.previous.push(key_id.into());
        self
    }
}

impl fmt::Debug for AwsKmsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsKmsConfig")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("key_id", &self.key_id)
            .field("previous", &self.previous)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &format_args!("[REDACTED]"))
            .field(
                "session_token",
                &self
                    .session_token
                    .as_ref()
                    .map(|_| format_args!("[REDACTED]")),
            )
            .finish_non_exhaustive()
    }
}

/// A [`RootKey`] held by AWS KMS: the KMS key never leaves KMS; key
/// material is sent to it to be encrypted and comes back decrypted.
///
/// The key reference is the encryption context (`key-model/key-ref`), so
/// wrapped bytes moved to another tenant, key or version do not decrypt.
/// The wrapped bytes record which configured key wrapped them
/// (`0x01 || length || key id || ciphertext blob`); unwrapping names that
/// key in `Decrypt` and accepts only the configured key and its
/// [`previous`](AwsKmsConfig::with_previous_key) ones: no other key, no
/// fallback. Rotation ([`RootKey::rewrap`]) is `ReEncrypt` from the
/// recorded key to the current one: the material never leaves KMS.
/// A disabled key or one pending deletion is [`BackendErrorKind::Refused`];
/// an unreachable endpoint [`BackendErrorKind::Unavailable`]; a ciphertext
/// KMS rejects [`BackendErrorKind::Unwrap`].
pub struct AwsKmsRootKey {
    config: AwsKmsConfig,
    http: HttpClient,
}

impl fmt::Debug for AwsKmsRootKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsKmsRootKey")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BlobAnswer<'a> {
    #[serde(borrow)]
    ciphertext_blob: &'a str,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PlaintextAnswer<'a> {
    #[serde(borrow)]
    plaintext: &'a str,
}

#[derive(serde::Deserialize)]
struct ErrorAnswer<'a> {
    #[serde(rename = "__type", borrow, default)]
    kind: &'a str,
}

/// The typed error of a KMS error answer (its `__type`, never its message).
fn refusal(reply: &Reply) -> BackendError {
    if reply.status >= 500 {
        return BackendError::new(BackendErrorKind::Unavailable, "KMS answered with an error");
    }
    let kind = serde_json::from_slice::<ErrorAnswer<'_>>(&reply.body)
        .map(|e| e.kind.rsplit('#').next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    let refused = |detail| BackendError::new(BackendErrorKind::Refused, detail);
    match kind.as_str() {
        "DisabledException" => refused("KMS key is disabled"),
        "KMSInvalidStateException" => refused("KMS key is pending deletion or not usable"),
        "NotFoundException" => refused("KMS key not found"),
        "AccessDeniedException" | "UnrecognizedClientException" | "InvalidSignatureException" => {
            refused("KMS denied access to the key")
        }
        "InvalidCiphertextException" | "IncorrectKeyException" => BackendError::new(
            BackendErrorKind::Unwrap,
            "KMS could not authenticate the wrapped material",
        ),
        "KeyUnavailableException" | "DependencyTimeoutException" | "KMSInternalException" => {
            BackendError::new(BackendErrorKind::Unavailable, "KMS key unavailable")
        }
        _ => refused("KMS refused the request"),
    }
}

fn malformed() -> BackendError {
    BackendError::new(
        BackendErrorKind::Unavailable,
        "KMS answered with a malformed body",
    )
}

impl AwsKmsRootKey {
    /// A root key over the KMS key of `config` (no request is made).
    pub fn new(config: AwsKmsConfig) -> AwsKmsRootKey {
        AwsKmsRootKey {
            config,
            http: HttpClient::new(TIMEOUT),
        }
    }

    /// Signs and sends one KMS call (`TrentService.ACTION`).
    fn call(&self, action: &str, body: &[u8]) -> Result<Reply, BackendError> {
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let amz_date = sigv4::amz_date(unix);
        let target = format!("TrentService.{action}");
        let mut headers = vec![
            ("content-type", "application/x-amz-json-1.1"),
            ("host", self.config.host.as_str()),
            ("x-amz-date", amz_date.as_str()),
            ("x-amz-target", target.as_str()),
        ];
        if let Some(token) = &self.config.session_token {
            headers.push(("x-amz-security-token", token.expose_secret()));
        }
        let authorization = sigv4::authorization(
            &sigv4::Request {
                method: "POST",
                path: "/",
                headers: &headers,
                body,
            },
            &sigv4::Credentials {
                access_key_id: &self.config.access_key_id,
                secret_access_key: self.config.secret_access_key.expose_secret(),
            },
            &self.config.region,
            "kms",
            &amz_date,
        );
        headers.push(("authorization", authorization.as_str()));
        // ureq sets `host` itself from the URL.
        headers.retain(|(name, _)| *name != "host");
        let reply = self
            .http
            .post(&format!("{}/", self.config.endpoint), &headers, body)?;
        if reply.status == 200 {
            Ok(reply)
        } else {
            Err(refusal(&reply))
        }
    }

    /// The recorded key id and the blob of wrapped bytes; `Unwrap` unless
    /// the key is one this root key accepts.
    fn split<'a>(&self, wrapped: &'a WrappedKey) -> Result<(&'a str, &'a [u8]), BackendError> {
        let refused = || {
            BackendError::new(
                BackendErrorKind::Unwrap,
                "wrapped material is not from an accepted KMS key",
            )
        };
        let (format, rest) = wrapped.as_bytes().split_first().ok_or_else(refused)?;
        let (len, rest) = rest.split_first().ok_or_else(refused)?;
        if *format != WRAP_FORMAT_V1 || rest.len() <= usize::from(*len) {
            return Err(refused());
        }
        let (key_id, blob) = rest.split_at(usize::from(*len));
        let key_id = core::str::from_utf8(key_id).map_err(|_| refused())?;
        let accepted =
            key_id == self.config.key_id || self.config.previous.iter().any(|p| p == key_id);
        if !accepted {
            return Err(refused());
        }
        Ok((key_id, blob))
    }

    /// The wrapped bytes of `blob` (base64, from KMS) under the current key.
    fn join(&self, blob: &str) -> Result<WrappedKey, BackendError> {
        let blob = STANDARD.decode(blob).map_err(|_| malformed())?;
        let key_id = self.config.key_id.as_bytes();
        let len = u8::try_from(key_id.len()).map_err(|_| {
            BackendError::new(
                BackendErrorKind::Corrupt,
                "KMS key id longer than 255 bytes",
            )
        })?;
        let mut out = Vec::with_capacity(2 + key_id.len() + blob.len());
        out.push(WRAP_FORMAT_V1);
        out.push(len);
        out.extend_from_slice(key_id);
        out.extend_from_slice(&blob);
        Ok(WrappedKey::from_bytes(out))
    }
}

fn context(key_ref: &KeyRef) -> serde_json::Value {
    serde_json::json!({ CONTEXT_KEY: key_ref.to_string() })
}

fn encode(value: &serde_json::Value) -> Result<Vec<u8>, BackendError> {
    serde_json::to_vec(value)
        .map_err(|_| BackendError::new(BackendErrorKind::Corrupt, "request could not be encoded"))
}

impl RootKey for AwsKmsRootKey {
    fn wrap(
        &self,
        _call: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        // The base64 text and the body hold the material: zeroized on drop.
        let plaintext = Zeroizing::new(STANDARD.encode(material.expose_secret()));
        let body = Zeroizing::new(format!(
            r#"{{"KeyId":{},"Plaintext":"{}","EncryptionContext":{}}}"#,
            serde_json::Value::from(self.config.key_id.as_str()),
            plaintext.as_str(),
            context(key_ref)
        ));
        let reply = self.call("Encrypt", body.as_bytes())?;
        let answer: BlobAnswer<'_> =
            serde_json::from_slice(&reply.body).map_err(|_| malformed())?;
        self.join(answer.ciphertext_blob)
    }

    fn unwrap(
        &self,
        _call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        let (key_id, blob) = self.split(wrapped)?;
        let body = encode(&serde_json::json!({
            "KeyId": key_id,
            "CiphertextBlob": STANDARD.encode(blob),
            "EncryptionContext": context(key_ref),
        }))?;
        let reply = self.call("Decrypt", &body)?;
        let answer: PlaintextAnswer<'_> =
            serde_json::from_slice(&reply.body).map_err(|_| malformed())?;
        let wrong_length = || {
            BackendError::new(
                BackendErrorKind::Corrupt,
                "KMS returned material of the wrong length",
            )
        };
        let decoded = Zeroizing::new(
            STANDARD
                .decode(answer.plaintext)
                .map_err(|_| wrong_length())?,
        );
        let bytes: &[u8; 32] = decoded.as_slice().try_into().map_err(|_| wrong_length())?;
        let mut secret = SecretBox::<[u8; 32]>::default();
        secret.expose_secret_mut().copy_from_slice(bytes);
        Ok(secret)
    }

    fn rewrap(
        &self,
        _call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<WrappedKey, BackendError> {
        let (key_id, blob) = self.split(wrapped)?;
        if key_id == self.config.key_id {
            return Ok(wrapped.clone());
        }
        // LocalStack needs SourceKeyId (AWS infers it from the blob).
        let body = encode(&serde_json::json!({
            "CiphertextBlob": STANDARD.encode(blob),
            "SourceKeyId": key_id,
            "DestinationKeyId": self.config.key_id,
            "SourceEncryptionContext": context(key_ref),
            "DestinationEncryptionContext": context(key_ref),
        }))?;
        let reply = self.call("ReEncrypt", &body)?;
        let answer: BlobAnswer<'_> =
            serde_json::from_slice(&reply.body).map_err(|_| malformed())?;
        self.join(answer.ciphertext_blob)
    }
}
