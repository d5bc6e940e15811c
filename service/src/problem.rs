//! Response bodies: key-model's [`ApiJson`] (its API sink, `ApiDto` types
//! only) for API types and its [`Problem`] (RFC 9457
//! `application/problem+json`) for every error.
//!
//! A key-model error becomes a problem by `?` (`From<key_model::Error> for
//! Problem`), with the library's code and status. The service's own
//! conditions below are [`Problem::custom`]s: the same body, a code and a
//! sentence written here, never formatted, so nothing a caller sent and
//! nothing of a key can come back in one.

use axum::http::StatusCode;

pub use key_model::axum::{ApiJson, Problem, WithStatus};

/// No valid bearer token or session.
pub const UNAUTHORIZED: Problem = Problem::custom(
    StatusCode::UNAUTHORIZED,
    "unauthorized",
    "a valid bearer token is required",
);
/// No such resource for this tenant (another tenant's looks the same).
pub const NOT_FOUND: Problem =
    Problem::custom(StatusCode::NOT_FOUND, "not_found", "no such resource");
/// A malformed query string.
pub const INVALID_QUERY: Problem = Problem::custom(
    StatusCode::BAD_REQUEST,
    "invalid_query",
    "the query parameters are malformed",
);
/// An upload with no bytes.
pub const EMPTY_UPLOAD: Problem = Problem::custom(
    StatusCode::BAD_REQUEST,
    "empty_upload",
    "the recording is empty",
);
/// An upload over the limit.
pub const PAYLOAD_TOO_LARGE: Problem = Problem::custom(
    StatusCode::PAYLOAD_TOO_LARGE,
    "payload_too_large",
    "the recording is larger than the service accepts",
);
/// An upload that is not `application/octet-stream`.
pub const UNSUPPORTED_MEDIA_TYPE: Problem = Problem::custom(
    StatusCode::UNSUPPORTED_MEDIA_TYPE,
    "unsupported_media_type",
    "send the recording as application/octet-stream",
);
/// A method the route does not have.
pub const METHOD_NOT_ALLOWED: Problem = Problem::custom(
    StatusCode::METHOD_NOT_ALLOWED,
    "method_not_allowed",
    "the route does not accept this method",
);
/// Anything the service did not expect. Its detail goes to the log as a
/// fixed text, never to the caller.
pub const INTERNAL: Problem = Problem::custom(
    StatusCode::INTERNAL_SERVER_ERROR,
    "internal",
    "the service failed",
);

#[cfg(test)]
mod tests {
    use key_model::ErrorCode;

    use super::{
        EMPTY_UPLOAD, INTERNAL, INVALID_QUERY, METHOD_NOT_ALLOWED, NOT_FOUND, PAYLOAD_TOO_LARGE,
        Problem, UNAUTHORIZED, UNSUPPORTED_MEDIA_TYPE,
    };

    /// Every problem of the service's own.
    const OWN: &[Problem] = &[
        UNAUTHORIZED,
        NOT_FOUND,
        INVALID_QUERY,
        EMPTY_UPLOAD,
        PAYLOAD_TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        METHOD_NOT_ALLOWED,
        INTERNAL,
    ];

    /// A client reads one meaning per code: no code of the service's is
    /// one of the library's, and each is `snake_case` and used once.
    #[test]
    fn own_codes_are_snake_case_and_none_of_the_librarys() {
        for (i, problem) in OWN.iter().enumerate() {
            let code = problem.code();
            assert!(
                ErrorCode::ALL.iter().all(|c| c.as_str() != code),
                "{code} is a key-model code: use Problem::from(ErrorCode::...)"
            );
            assert!(
                !code.is_empty()
                    && code.starts_with(|c: char| c.is_ascii_lowercase())
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{code} is not snake_case"
            );
            assert!(OWN[..i].iter().all(|p| p.code() != code), "{code} twice");
            assert_eq!(problem.error_code(), None);
            assert!(
                problem.status().is_client_error() || problem.status().is_server_error(),
                "{code}"
            );
        }
    }
}
