//! axum 0.8 (feature `axum`): responses that leave through the sinks.
//!
//! - [`ApiJson`] is the response body of a handler, built as
//!   `ApiJson(value)` like `axum::Json` (or by `From`), for an [`ApiDto`]
//!   only. Its body is written by [`sink::api_json`](crate::sink::api_json),
//!   with `content-type: application/json`; the status is settable
//!   ([`ApiJson::with_status`], or axum's `(StatusCode, ApiJson(value))`).
//! - [`Problem`] is an RFC 9457 `application/problem+json` response for an
//!   error. Its body carries the error's stable [`ErrorCode`] and the code's
//!   fixed message, never a formatted value: `key_model::Error` and the
//!   other errors of the crate turn into one (`impl IntoResponse for
//!   Error`), so a handler returns `Result<ApiJson<T>, key_model::Error>`.
//!   A service's own conditions (no token, no such record) are the same
//!   type and body, from [`Problem::custom`] with a static code and
//!   sentence; a handler returning `Result<_, Problem>` gets both with `?`.
//!   With the `utoipa` feature too, `Problem` has a `ToSchema` (named
//!   `Problem`) that describes this body.
//!
//! The trait implemented is axum-core's `IntoResponse`, which axum
//! re-exports as `axum::response::IntoResponse`: this feature pulls no
//! router and no server.
//!
//! ```
//! use axum::http::StatusCode;
//! use axum::response::IntoResponse;
//! use key_model::axum::{ApiJson, Problem, WithStatus};
//! use key_model::{ApiDto, KeyRef};
//!
//! #[derive(serde::Serialize, ApiDto)]
//! struct SessionResponse {
//!     encryption_key_ref: KeyRef,
//! }
//!
//! async fn create(key_ref: KeyRef) -> Result<WithStatus<SessionResponse>, key_model::Error> {
//!     Ok(ApiJson(SessionResponse { encryption_key_ref: key_ref }).with_status(StatusCode::CREATED))
//! }
//!
//! let response = ApiJson(SessionResponse {
//!     encryption_key_ref: "tenants/acme/keys/billing/versions/1".parse()?,
//! })
//! .into_response();
//! assert_eq!(response.headers()["content-type"], "application/json");
//!
//! let problem = key_model::Error::KeyNotFound.into_response();
//! assert_eq!(problem.status(), StatusCode::NOT_FOUND);
//! assert_eq!(problem.headers()["content-type"], "application/problem+json");
//!
//! // The service's own condition, beside the crate's errors (`?`).
//! const NO_SUCH_SESSION: Problem =
//!     Problem::custom(StatusCode::NOT_FOUND, "not_found", "no such resource");
//!
//! async fn get_one(id: &str) -> Result<ApiJson<SessionResponse>, Problem> {
//!     let key_ref: KeyRef = id.parse()?; // a ParseError: `invalid_identifier`, 400
//!     let _ = key_ref;
//!     Err(NO_SUCH_SESSION)
//! }
//! let response = NO_SUCH_SESSION.into_response();
//! assert_eq!(response.status(), StatusCode::NOT_FOUND);
//! assert_eq!(response.headers()["content-type"], "application/problem+json");
//! # let _ = (create, get_one);
//! # Ok::<(), key_model::ParseError>(())
//! ```
//!
//! A service makes `axum::Json` a lint error, so that the sinks are the only
//! way out: in its `clippy.toml`,
//!
//! ```toml
//! disallowed-types = [
//!     { path = "axum::Json", reason = "responses go through key_model::axum::ApiJson" },
//! ]
//! ```
//!
//! (`examples/axum-service` in the repository is such a service, and its
//! clippy run proves the lint fires.)

use axum_core::body::Body;
use axum_core::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderValue};
use serde::Serialize;

use crate::boundary::marker::ApiDto;
use crate::boundary::sink::{SinkError, api_json};
use crate::code::ErrorCode;
use crate::error::Error;
use crate::model::id::error::ParseError;
use crate::model::lifecycle::TransitionError;
use crate::model::policy::Refusal;
use crate::ring::backend::BackendError;
use crate::ring::envelope::error::EnvelopeError;

/// A JSON response body that only an [`ApiDto`] can be: written by
/// [`sink::api_json`](crate::sink::api_json), sent with
/// `content-type: application/json` and status 200 unless set.
///
/// A type that did not derive `ApiDto` does not compile here, whatever it
/// holds:
///
/// ```compile_fail,E0277
/// #[derive(serde::Serialize)]
/// struct Internal {
///     id: u64,
/// }
///
/// let _ = key_model::axum::ApiJson(Internal { id: 1 }); // not an ApiDto
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T: ApiDto + Serialize>(pub T);

impl<T: ApiDto + Serialize> ApiJson<T> {
    /// This body with another status than 200 (axum's `(StatusCode,
    /// ApiJson(value))` does the same).
    pub fn with_status(self, status: StatusCode) -> WithStatus<T> {
        WithStatus { status, body: self }
    }
}

impl<T: ApiDto + Serialize> From<T> for ApiJson<T> {
    fn from(value: T) -> Self {
        ApiJson(value)
    }
}

/// An [`ApiJson`] body with its status, from [`ApiJson::with_status`].
#[derive(Debug, Clone, Copy)]
pub struct WithStatus<T: ApiDto + Serialize> {
    status: StatusCode,
    body: ApiJson<T>,
}

fn respond(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The sink writes the body; a value the sink cannot write (a map with
/// non-string keys) is a `500` problem with the code `sink_serialization`.
impl<T: ApiDto + Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        WithStatus {
            status: StatusCode::OK,
            body: self,
        }
        .into_response()
    }
}

impl<T: ApiDto + Serialize> IntoResponse for WithStatus<T> {
    fn into_response(self) -> Response {
        match api_json(&self.body.0) {
            Ok(body) => respond(self.status, "application/json", body),
            Err(e) => Problem::from(&e).into_response(),
        }
    }
}

/// An RFC 9457 problem response for an error: `application/problem+json`
/// with the HTTP status, its reason as `title`, a fixed sentence as
/// `detail`, and a stable `code` as an extension member.
///
/// ```
/// use axum::http::StatusCode;
/// use key_model::ErrorCode;
/// use key_model::axum::Problem;
///
/// let problem = Problem::from(ErrorCode::KeyDisabled);
/// assert_eq!(problem.status(), StatusCode::CONFLICT);
/// assert_eq!(problem.code(), "key_disabled");
/// assert_eq!(problem.error_code(), Some(ErrorCode::KeyDisabled));
/// assert_eq!(
///     problem.body(),
///     br#"{"type":"about:blank","title":"Conflict","status":409,"detail":"the key version is disabled","code":"key_disabled"}"#,
/// );
/// ```
///
/// Nothing in the body comes from the error's value: not its message, not
/// a segment, a state's name or a backend's detail. The status follows the
/// code (`key_not_found` is 404, `invalid_identifier` 400, a refusal 409, a
/// backend that cannot be reached 503, what the caller cannot fix 500);
/// [`Problem::new`] sets another error status (one that is no error, `200`
/// say, is sent as `500`: a problem never reads as a success).
///
/// A service's own conditions (no token, no such record, a bad query) are
/// problems too, with the same body, from [`Problem::custom`]: a code and a
/// sentence that are `&'static str`, so they are written in the source,
/// never formatted from a request or an error:
///
/// ```
/// use axum::http::StatusCode;
/// use key_model::axum::Problem;
///
/// const UNAUTHORIZED: Problem = Problem::custom(
///     StatusCode::UNAUTHORIZED,
///     "unauthorized",
///     "a valid bearer token is required",
/// );
/// assert_eq!(UNAUTHORIZED.code(), "unauthorized");
/// assert_eq!(UNAUTHORIZED.error_code(), None);
/// assert_eq!(
///     UNAUTHORIZED.body(),
///     br#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"a valid bearer token is required","code":"unauthorized"}"#,
/// );
/// ```
///
/// A code built at run time does not compile, so a request's value cannot
/// become one:
///
/// ```compile_fail,E0597
/// use axum::http::StatusCode;
/// use key_model::axum::Problem;
///
/// let code = String::from("no_such_tenant");
/// let _ = Problem::custom(StatusCode::NOT_FOUND, &code, "no such tenant"); // not 'static
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    status: StatusCode,
    code: &'static str,
    detail: &'static str,
    /// The library's code, when the problem is one of the crate's errors.
    error_code: Option<ErrorCode>,
}

/// `status` if it is an error (4xx or 5xx), else 500: a problem never reads
/// as a success (a client that checks only the status would take a `200`
/// problem for the operation done) nor as a redirect.
const fn error_status(status: StatusCode) -> StatusCode {
    match status.as_u16() {
        400..=599 => status,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl Problem {
    /// A problem with `code` and a status of the caller's choice, which
    /// must be an error: any other (`200`, a redirect) is sent as `500`.
    pub const fn new(status: StatusCode, code: ErrorCode) -> Problem {
        Problem {
            status: error_status(status),
            code: code.as_str(),
            detail: code.message(),
            error_code: Some(code),
        }
    }

    /// A service's own problem, with the body of the crate's: `code` is a
    /// stable `snake_case` code of the service's vocabulary and `detail` a
    /// fixed sentence for people. Both are static strings: a value of the
    /// request, the record or an error cannot reach the body through them
    /// (only a deliberate `String::leak` gets a formatted one past the
    /// type, in plain sight of a reviewer).
    ///
    /// Choose a code that is none of the crate's ([`ErrorCode::ALL`]), so a
    /// client reads one meaning per code; for a condition the crate names
    /// (a malformed identifier), use its code
    /// (`Problem::from(ErrorCode::InvalidIdentifier)`). The status must be
    /// an error, as for [`Problem::new`]: any other is sent as `500`.
    pub const fn custom(status: StatusCode, code: &'static str, detail: &'static str) -> Problem {
        Problem {
            status: error_status(status),
            code,
            detail,
            error_code: None,
        }
    }

    /// The HTTP status.
    pub const fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable code the body carries: an [`ErrorCode`]'s string, or a
    /// custom problem's code.
    pub const fn code(&self) -> &'static str {
        self.code
    }

    /// The crate's [`ErrorCode`] of this problem; `None` for a
    /// [`custom`](Problem::custom) one.
    pub const fn error_code(&self) -> Option<ErrorCode> {
        self.error_code
    }

    /// The fixed sentence the body carries as `detail` (the code's
    /// [`message`](ErrorCode::message), or a custom problem's).
    pub const fn detail(&self) -> &'static str {
        self.detail
    }

    /// The response body, as sent.
    pub fn body(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Body {
            #[serde(rename = "type")]
            kind: &'static str,
            title: &'static str,
            status: u16,
            detail: &'static str,
            code: &'static str,
        }
        let body = Body {
            kind: "about:blank",
            // With `about:blank`, RFC 9457 asks for the status's phrase.
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: self.detail,
            code: self.code,
        };
        // Static strings and a number: serializing them cannot fail.
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

/// The status a code maps to by default.
const fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidIdentifier
        | ErrorCode::MalformedEnvelope
        | ErrorCode::DecryptionFailed => StatusCode::BAD_REQUEST,
        ErrorCode::KeyNotFound => StatusCode::NOT_FOUND,
        ErrorCode::PrimaryCannotBeDisabled
        | ErrorCode::TransitionNotAllowed
        | ErrorCode::KeyNotPrimary
        | ErrorCode::KeyDisabled
        | ErrorCode::KeyDestroyScheduled
        | ErrorCode::KeyDestroyed
        | ErrorCode::KeyStateUnrecognized
        | ErrorCode::KeyExists
        | ErrorCode::VersionsExhausted
        | ErrorCode::BackendConflict => StatusCode::CONFLICT,
        ErrorCode::PlaintextTooLong => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::BackendUnavailable | ErrorCode::BackendRefused => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        ErrorCode::RandomSourceFailed
        | ErrorCode::BackendCorrupt
        | ErrorCode::BackendUnwrapFailed
        | ErrorCode::BackendUnsupportedFormat
        | ErrorCode::SinkIo
        | ErrorCode::SinkSerialization
        | ErrorCode::InvalidEventType => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<ErrorCode> for Problem {
    fn from(code: ErrorCode) -> Self {
        Problem::new(status_of(code), code)
    }
}

/// `From` the crate's errors, by reference and by value: each keeps only
/// its code.
macro_rules! problem_from {
    ($($error:ty),+) => {$(
        impl From<&$error> for Problem {
            fn from(e: &$error) -> Self {
                Problem::from(e.code())
            }
        }

        impl From<$error> for Problem {
            fn from(e: $error) -> Self {
                Problem::from(e.code())
            }
        }

        impl IntoResponse for $error {
            fn into_response(self) -> Response {
                Problem::from(self.code()).into_response()
            }
        }
    )+};
}

problem_from!(
    Error,
    ParseError,
    TransitionError,
    Refusal,
    EnvelopeError,
    BackendError,
    SinkError
);

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        respond(self.status, "application/problem+json", self.body())
    }
}
