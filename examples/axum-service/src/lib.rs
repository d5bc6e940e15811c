//! A small axum service on key-model, as a service author writes one: DTOs
//! derive `ApiDto`, handlers return `ApiJson` or a `key_model::Error`
//! (an RFC 9457 problem with the stable code), and this crate's
//! `clippy.toml` bans `axum::Json`, so nothing leaves past the sinks.
#![forbid(unsafe_code)]

use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use key_model::axum::{ApiJson, WithStatus};
use key_model::{ApiDto, Error, KeyRef};

/// A response: a key reference, never the key.
#[derive(Debug, serde::Serialize, ApiDto)]
pub struct KeyResponse {
    /// The key version that protects the tenant's recordings.
    pub encryption_key_ref: KeyRef,
}

/// `GET /tenants/{tenant}/key`: the tenant's current key reference, or a
/// problem response whose body holds only the stable code.
pub async fn current_key(Path(tenant): Path<String>) -> Result<ApiJson<KeyResponse>, Error> {
    let key_ref: KeyRef = format!("tenants/{tenant}/keys/ssh-session-recording/versions/1")
        .parse()
        .map_err(Error::from)?;
    Ok(ApiJson(KeyResponse {
        encryption_key_ref: key_ref,
    }))
}

/// `POST /tenants/{tenant}/key`: a created key, with status 201.
pub async fn create_key(Path(tenant): Path<String>) -> Result<WithStatus<KeyResponse>, Error> {
    let ApiJson(body) = current_key(Path(tenant)).await?;
    Ok(ApiJson(body).with_status(StatusCode::CREATED))
}

/// The service's routes.
pub fn app() -> Router {
    Router::new().route("/tenants/{tenant}/key", get(current_key).post(create_key))
}

/// What the `clippy.toml` ban exists to stop: a handler that sends any
/// `Serialize` type with `axum::Json`, past the sinks. The expectation is
/// the proof that the lint fires: if `axum::Json` stopped being a disallowed
/// type, `#[expect]` would be unfulfilled, and the workspace's
/// `cargo clippy --all-targets -- -D warnings` (in `.ci/run`) would fail.
#[expect(
    clippy::disallowed_types,
    reason = "the one use of axum::Json: it shows the ban works"
)]
pub fn bypass(body: KeyResponse) -> axum::Json<KeyResponse> {
    axum::Json(body)
}

#[cfg(test)]
mod tests {
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use axum::response::IntoResponse;

    use super::*;

    /// The handlers never wait: poll them once.
    fn ready<F: Future>(future: F) -> F::Output {
        match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("the handlers never wait"),
        }
    }

    #[test]
    fn a_tenant_gets_its_key_reference_and_a_bad_path_a_problem() {
        let _ = app();
        let response = ready(current_key(Path("acme".into()))).into_response();
        assert_eq!(response.status(), StatusCode::OK);
        let created = ready(create_key(Path("acme".into()))).into_response();
        assert_eq!(created.status(), StatusCode::CREATED);
        let problem = ready(current_key(Path("Acme Corp".into()))).into_response();
        assert_eq!(problem.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            problem.headers()["content-type"],
            "application/problem+json"
        );
    }
}
