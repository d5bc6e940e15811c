//! SSH session records: upload, list, get one, play back.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::{PageParams, PathParam};
use crate::app::{MAX_RECORDING, SharedApp};
use crate::auth::Tenant;
use crate::dto::{SshSessionPage, SshSessionRecord};
use crate::problem::{self, ApiJson, Problem, WithStatus};

/// Lists the tenant's SSH session records, newest first.
#[utoipa::path(get, path = "/api/ssh-sessions", tag = "ssh-sessions", params(PageParams),
    responses((status = 200, body = SshSessionPage), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(app): State<SharedApp>,
    Tenant(scope): Tenant,
    uri: Uri,
) -> Result<ApiJson<SshSessionPage>, Problem> {
    let (offset, limit) = PageParams::from_uri(&uri)?;
    let (items, next_offset) = app
        .records
        .sessions(scope.tenant(), offset, limit)
        .map_err(|_| app.internal("records: read sessions"))?;
    Ok(ApiJson(SshSessionPage { items, next_offset }))
}

/// Uploads a recording: it is encrypted under the tenant's
/// `ssh-session-recording` key, bound to the new session's id, and stored;
/// the response is the new record.
#[utoipa::path(post, path = "/api/ssh-sessions", tag = "ssh-sessions",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The recording, 1 byte to 1 MiB."),
    responses((status = 201, body = SshSessionRecord), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "The tenant has no recording key yet (`key_not_found`): the platform's operator creates it."),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "The tenant's key refuses to encrypt (key-model's codes: `key_disabled`, ...)."),
              (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 503, body = Problem, content_type = "application/problem+json", description = "The key store cannot be reached (`backend_unavailable`).")))]
pub async fn upload(
    State(app): State<SharedApp>,
    Tenant(scope): Tenant,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<WithStatus<SshSessionRecord>, Problem> {
    let octets = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/octet-stream"));
    if !octets {
        return Err(problem::UNSUPPORTED_MEDIA_TYPE);
    }
    // The body limit layer (server.rs) stops a larger body while it is
    // read; this is the same limit said for the caller.
    let body = body.map_err(|_| problem::PAYLOAD_TOO_LARGE)?;
    if body.is_empty() {
        return Err(problem::EMPTY_UPLOAD);
    }
    if body.len() > MAX_RECORDING {
        return Err(problem::PAYLOAD_TOO_LARGE);
    }
    let record = app.upload(&scope, &body)?;
    app.log.line(&format!(
        "uploaded {} for {} under {}",
        record.session_id, record.tenant, record.encryption_key_ref
    ));
    Ok(ApiJson(record).with_status(StatusCode::CREATED))
}

/// One SSH session record. Another tenant's record is answered exactly as
/// a missing one.
#[utoipa::path(get, path = "/api/ssh-sessions/{session_id}", tag = "ssh-sessions",
    params(("session_id" = String, Path, description = "`sess_` and 12 characters of [0-9a-z]", pattern = "^sess_[0-9a-z]{12}$")),
    responses((status = 200, body = SshSessionRecord), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_one(
    State(app): State<SharedApp>,
    Tenant(scope): Tenant,
    PathParam(session_id): PathParam,
) -> Result<ApiJson<SshSessionRecord>, Problem> {
    app.session(&scope, &session_id).map(ApiJson)
}

/// Plays a recording back: decrypted for its tenant only, and audited.
#[utoipa::path(get, path = "/api/ssh-sessions/{session_id}/recording", tag = "ssh-sessions",
    params(("session_id" = String, Path, description = "`sess_` and 12 characters of [0-9a-z]", pattern = "^sess_[0-9a-z]{12}$")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>, description = "The decrypted recording."),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "The key version refuses to decrypt (key-model's codes: `key_disabled`, ...)."),
              (status = 503, body = Problem, content_type = "application/problem+json", description = "The key store cannot be reached (`backend_unavailable`).")))]
pub async fn playback(
    State(app): State<SharedApp>,
    Tenant(scope): Tenant,
    PathParam(session_id): PathParam,
) -> Result<Response, Problem> {
    let plaintext = app.playback(&scope, &session_id)?;
    // The tenant's own decrypted data, for the tenant who asked: not key
    // material and not a DTO, so raw bytes rather than a sink.
    let mut response = plaintext.as_bytes().to_vec().into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    Ok(response)
}
