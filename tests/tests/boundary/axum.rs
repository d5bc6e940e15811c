//! The axum integration (feature `axum`): `ApiJson` writes what the API
//! sink writes, and every error becomes a problem response whose body holds
//! the stable code and a fixed message, never the error's value.

use std::pin::pin;
use std::task::{Context, Poll, Waker};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use key_model::axum::{ApiJson, Problem};
use key_model::sink::api_json;
use key_model::{ApiDto, BackendError, BackendErrorKind, Error, ErrorCode, KeyRef};
use serde_json::Value;

#[derive(Debug, serde::Serialize, ApiDto)]
struct SessionResponse {
    session_id: String,
    encryption_key_ref: KeyRef,
}

fn session() -> SessionResponse {
    SessionResponse {
        session_id: "sess_01HZX4".into(),
        encryption_key_ref: "tenants/acme/keys/ssh-session-recording/versions/3"
            .parse()
            .unwrap(),
    }
}

/// Polls a future that is ready at once (a body already in memory).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the body is in memory"),
    }
}

fn body(response: Response) -> Vec<u8> {
    ready(axum::body::to_bytes(response.into_body(), 1 << 20))
        .unwrap()
        .to_vec()
}

fn content_type(response: &Response) -> &str {
    response.headers()["content-type"].to_str().unwrap()
}

#[test]
fn api_json_sends_what_the_api_sink_writes() {
    let expected = api_json(&session()).unwrap();
    for response in [
        ApiJson(session()).into_response(),
        ApiJson::from(session()).into_response(),
    ] {
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(content_type(&response), "application/json");
        assert_eq!(body(response), expected);
    }
    let created = ApiJson(session())
        .with_status(StatusCode::CREATED)
        .into_response();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(body(created), expected);
    // axum's own way to set a status composes with it.
    let accepted = (StatusCode::ACCEPTED, ApiJson(session())).into_response();
    assert_eq!(accepted.status(), StatusCode::ACCEPTED);
    assert_eq!(content_type(&accepted), "application/json");
}

#[test]
fn a_body_the_sink_cannot_write_is_a_problem_not_a_partial_body() {
    #[derive(serde::Serialize, ApiDto)]
    struct Map {
        by_version: std::collections::BTreeMap<(u8, u8), u8>,
    }
    let response = ApiJson(Map {
        by_version: [((1, 2), 3)].into(),
    })
    .into_response();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(content_type(&response), "application/problem+json");
    let body: Value = serde_json::from_slice(&body(response)).unwrap();
    assert_eq!(body["code"], "sink_serialization");
}

#[test]
fn every_code_is_a_problem_with_only_fixed_text() {
    for &code in ErrorCode::ALL {
        let problem = Problem::from(code);
        let response = problem.into_response();
        let status = response.status();
        assert!(
            status.is_client_error() || status.is_server_error(),
            "{code}"
        );
        assert_eq!(content_type(&response), "application/problem+json");
        let body: Value = serde_json::from_slice(&body(response)).unwrap();
        let members: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(members, ["code", "detail", "status", "title", "type"]);
        assert_eq!(body["type"], "about:blank");
        assert_eq!(body["status"], status.as_u16());
        assert_eq!(body["title"], status.canonical_reason().unwrap());
        assert_eq!(body["code"], code.as_str());
        assert_eq!(body["detail"], code.message());
    }
}

#[test]
fn errors_answer_with_their_code_never_their_message() {
    // Each error's message names something of the input or the backend;
    // none of it may reach the body.
    let cases: Vec<(Error, StatusCode, &str)> = vec![
        (
            "tenants/sk_live_51HxQ/keys/a/versions/007"
                .parse::<KeyRef>()
                .unwrap_err()
                .into(),
            StatusCode::BAD_REQUEST,
            "segment",
        ),
        (Error::KeyNotFound, StatusCode::NOT_FOUND, "tenant scope"),
        (
            BackendError::new(BackendErrorKind::Unavailable, "db-7.internal:5432 refused").into(),
            StatusCode::SERVICE_UNAVAILABLE,
            "db-7.internal",
        ),
        (
            BackendError::new(BackendErrorKind::Corrupt, "row 17 of key_versions").into(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "row 17",
        ),
    ];
    for (error, status, leak) in cases {
        let message = error.to_string();
        assert!(
            message.contains(leak),
            "the case must carry {leak:?}: {message}"
        );
        let code = error.code();
        let response = error.into_response();
        assert_eq!(response.status(), status, "{code}");
        let text = String::from_utf8(body(response)).unwrap();
        assert!(!text.contains(leak), "{text} leaks {leak:?}");
        assert!(!text.contains("sk_live"), "{text}");
        assert!(text.contains(&format!(r#""code":"{code}""#)), "{text}");
    }
}

/// A handler that returns `Result<ApiJson<T>, Error>` is an axum handler.
#[test]
fn handlers_returning_api_json_or_an_error_route() {
    async fn handler() -> Result<ApiJson<SessionResponse>, Error> {
        Err(Error::KeyNotFound)
    }
    let _router: axum::Router = axum::Router::new().route("/", axum::routing::get(handler));
    let response = ready(handler()).into_response();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
