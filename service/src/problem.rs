//! Response bodies: [`ApiJson`] for API types and [`Problem`] for errors
//! (RFC 9457 `application/problem+json`).
//!
//! STAND-IN (until issue 12's `axum` feature is on main): `ApiJson` and the
//! error codes of key-model's errors are written here. When
//! `key_model::axum::ApiJson` and `key_model::ErrorCode` land, this file
//! re-exports them and [`Problem::from_key_model`] uses `error.code()`: the
//! rest of the service does not change.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use key_model::{ApiDto, Error, sink};
use serde::Serialize;
use utoipa::ToSchema;

/// A response whose body is written by key-model's API sink, which accepts
/// only `ApiDto` types: the service's one way to send JSON.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: ApiDto + Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        match sink::api_json(&self.0) {
            Ok(body) => json_response(StatusCode::OK, "application/json", body),
            Err(_) => Problem::INTERNAL.into_response(),
        }
    }
}

/// An RFC 9457 problem: a status, a stable code and a fixed title. It never
/// carries a formatted value, so nothing a caller sent and nothing of a key
/// can come back in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable, machine-readable code (`snake_case`).
    pub code: &'static str,
    /// A fixed sentence for people.
    pub title: &'static str,
}

/// The body of a problem response, as `/api/openapi.json` documents it.
#[derive(Debug, Serialize, key_model::ApiDto, ToSchema)]
pub struct ProblemBody {
    /// Always `about:blank`: the code says what happened.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A fixed sentence for people.
    pub title: &'static str,
    /// The HTTP status, repeated.
    pub status: u16,
    /// The stable code.
    pub code: &'static str,
}

impl Problem {
    const fn new(status: StatusCode, code: &'static str, title: &'static str) -> Problem {
        Problem {
            status,
            code,
            title,
        }
    }

    /// No valid bearer token or session.
    pub const UNAUTHORIZED: Problem = Problem::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "a valid bearer token is required",
    );
    /// No such resource for this tenant (another tenant's looks the same).
    pub const NOT_FOUND: Problem =
        Problem::new(StatusCode::NOT_FOUND, "not_found", "no such resource");
    /// A malformed identifier in the path.
    pub const INVALID_IDENTIFIER: Problem = Problem::new(
        StatusCode::BAD_REQUEST,
        "invalid_identifier",
        "the identifier is malformed",
    );
    /// A malformed query string.
    pub const INVALID_QUERY: Problem = Problem::new(
        StatusCode::BAD_REQUEST,
        "invalid_query",
        "the query parameters are malformed",
    );
    /// An upload with no bytes.
    pub const EMPTY_UPLOAD: Problem = Problem::new(
        StatusCode::BAD_REQUEST,
        "empty_upload",
        "the recording is empty",
    );
    /// An upload over the limit.
    pub const PAYLOAD_TOO_LARGE: Problem = Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "the recording is larger than the service accepts",
    );
    /// An upload that is not `application/octet-stream`.
    pub const UNSUPPORTED_MEDIA_TYPE: Problem = Problem::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the recording as application/octet-stream",
    );
    /// A method the route does not have.
    pub const METHOD_NOT_ALLOWED: Problem = Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "the route does not accept this method",
    );
    /// Anything the service did not expect. Its detail goes to the log as a
    /// code, never to the caller.
    pub const INTERNAL: Problem = Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the service failed",
    );

    /// The problem for a key-model error: its stable code and a fixed
    /// title, never the error's `Display` (which may name a segment or a
    /// state).
    pub fn from_key_model(error: &Error) -> Problem {
        let (status, code, title) = match error {
            Error::KeyNotFound => (StatusCode::NOT_FOUND, "key_not_found", "no such key"),
            Error::Refused(_) => (
                StatusCode::CONFLICT,
                "key_refused",
                "the key version's state refuses the operation",
            ),
            Error::Parse(_) => (
                StatusCode::BAD_REQUEST,
                "invalid_identifier",
                "the identifier or key reference is malformed",
            ),
            Error::Envelope(_) | Error::DecryptionFailed => (
                StatusCode::CONFLICT,
                "decryption_failed",
                "the stored recording does not decrypt",
            ),
            Error::PlaintextTooLong => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "plaintext_too_long",
                "the plaintext is too long for an envelope",
            ),
            _ => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the service failed",
            ),
        };
        Problem::new(status, code, title)
    }

    /// The body this problem sends.
    pub fn body(&self) -> ProblemBody {
        ProblemBody {
            kind: "about:blank",
            title: self.title,
            status: self.status.as_u16(),
            code: self.code,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        match sink::api_json(&self.body()) {
            Ok(body) => json_response(self.status, "application/problem+json", body),
            // A body of static strings always serializes; if it ever did
            // not, an empty 500 still says nothing it should not.
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}

impl From<Error> for Problem {
    fn from(error: Error) -> Problem {
        Problem::from_key_model(&error)
    }
}

fn json_response(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
