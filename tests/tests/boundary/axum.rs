//! The axum integration (feature `axum`): `ApiJson` writes what the API
//! sink writes, and every error becomes a problem response whose body holds
//! the stable code and a fixed message, never the error's value. A
//! service's own problems (`Problem::custom`) have the same body, and with
//! `utoipa` the `Problem` schema describes exactly that body.

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
        assert_eq!(problem.code(), code.as_str());
        assert_eq!(problem.error_code(), Some(code));
        assert_eq!(problem.detail(), code.message());
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

/// The members of a problem body, sorted.
fn members(body: &Value) -> Vec<&str> {
    body.as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

const UNAUTHORIZED: Problem = Problem::custom(
    StatusCode::UNAUTHORIZED,
    "unauthorized",
    "a valid bearer token is required",
);

#[test]
fn a_custom_problem_has_the_body_of_the_crates() {
    assert_eq!(UNAUTHORIZED.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(UNAUTHORIZED.code(), "unauthorized");
    assert_eq!(UNAUTHORIZED.error_code(), None);
    assert_eq!(UNAUTHORIZED.detail(), "a valid bearer token is required");
    let response = UNAUTHORIZED.into_response();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(content_type(&response), "application/problem+json");
    let sent = body(response);
    assert_eq!(sent, UNAUTHORIZED.body());
    let body: Value = serde_json::from_slice(&sent).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "type": "about:blank",
            "title": "Unauthorized",
            "status": 401,
            "detail": "a valid bearer token is required",
            "code": "unauthorized",
        })
    );
    // The same members as a problem of the crate's, so a client reads one
    // shape.
    let crates: Value =
        serde_json::from_slice(&Problem::from(ErrorCode::KeyNotFound).body()).unwrap();
    assert_eq!(members(&body), members(&crates));
}

/// A problem never reads as a success: a status that is no error (a 2xx,
/// a redirect, an informational one), given by mistake to
/// `Problem::custom` or `Problem::new`, is sent as 500, in the header and
/// the body alike. Seen failing before: `Problem::new(StatusCode::OK,
/// ErrorCode::KeyDisabled)` answered 200 with the refusal in the body, which
/// a client checking the status only takes for an encryption done.
#[test]
fn a_problem_with_a_status_that_is_no_error_is_sent_as_500() {
    for status in [
        StatusCode::OK,
        StatusCode::NO_CONTENT,
        StatusCode::FOUND,
        StatusCode::CONTINUE,
    ] {
        for problem in [
            Problem::custom(status, "mistaken", "a status given by mistake"),
            Problem::new(status, ErrorCode::KeyDisabled),
        ] {
            assert_eq!(problem.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let response = problem.into_response();
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let body: Value = serde_json::from_slice(&body(response)).unwrap();
            assert_eq!(body["status"], 500, "{status}");
            assert_eq!(body["title"], "Internal Server Error", "{status}");
        }
    }
    // Every error status is kept.
    for n in [400, 404, 409, 418, 499, 500, 503, 599] {
        let status = StatusCode::from_u16(n).unwrap();
        assert_eq!(Problem::custom(status, "c", "d").status(), status);
        assert_eq!(
            Problem::new(status, ErrorCode::KeyNotFound).status(),
            status
        );
    }
}

/// A handler mixes the crate's errors (`?`) and its own problems.
#[test]
fn a_handler_returns_crate_errors_and_custom_problems_as_one_type() {
    use axum::extract::Path;

    async fn handler(Path(id): Path<String>) -> Result<ApiJson<SessionResponse>, Problem> {
        let encryption_key_ref: KeyRef = id.parse()?;
        if encryption_key_ref.tenant().as_str() != "acme" {
            return Err(UNAUTHORIZED);
        }
        Ok(ApiJson(SessionResponse {
            session_id: "sess_01HZX4".into(),
            encryption_key_ref,
        }))
    }
    let _router: axum::Router = axum::Router::new().route("/{*id}", axum::routing::get(handler));
    let call = |id: &str| ready(handler(Path(id.to_owned()))).into_response();
    let malformed = call("tenants/acme/keys/a/versions/07");
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(&body(malformed)).unwrap();
    assert_eq!(body["code"], "invalid_identifier");
    let other = call("tenants/globex/keys/a/versions/7");
    assert_eq!(other.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(content_type(&other), "application/problem+json");
    let fine = call("tenants/acme/keys/a/versions/7");
    assert_eq!(fine.status(), StatusCode::OK);
}

/// The `Problem` schema (features `axum` and `utoipa`) names exactly the
/// members the body has, each of the JSON type the body holds, and `code`
/// is the `ErrorCode` schema: the document cannot drift from the body.
#[test]
fn the_problem_schema_describes_the_body_sent() {
    use utoipa::{OpenApi, ToSchema};

    #[derive(OpenApi)]
    #[openapi(components(schemas(Problem)))]
    struct Api;

    assert_eq!(Problem::name(), "Problem");
    let doc = serde_json::to_value(Api::openapi()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let schema = &schemas["Problem"];
    assert_eq!(schema["type"], "object");
    // What `code` refers to is in the document.
    assert_eq!(
        schema["properties"]["code"]["$ref"],
        "#/components/schemas/ErrorCode"
    );
    assert_eq!(schemas["ErrorCode"]["type"], "string");

    let properties = schema["properties"].as_object().unwrap();
    let mut named: Vec<&str> = properties.keys().map(String::as_str).collect();
    named.sort_unstable();
    let mut required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    required.sort_unstable();
    for problem in [Problem::from(ErrorCode::KeyNotFound), UNAUTHORIZED] {
        let body: Value = serde_json::from_slice(&problem.body()).unwrap();
        let keys = members(&body);
        assert_eq!(
            named, keys,
            "the schema's properties are the body's members"
        );
        assert_eq!(required, keys, "every member is required");
        for (name, value) in body.as_object().unwrap() {
            let property = &properties[name];
            let kind = property
                .get("type")
                .or_else(|| {
                    let target = property["$ref"].as_str()?.rsplit('/').next()?;
                    schemas[target].get("type")
                })
                .unwrap_or_else(|| panic!("{name} has no type"));
            let holds = match kind.as_str().unwrap() {
                "string" => value.is_string(),
                "integer" => value.is_u64(),
                other => panic!("{name}: unexpected type {other}"),
            };
            assert!(
                holds,
                "{name}: the body holds {value}, the schema says {kind}"
            );
        }
        let status = body["status"].as_u64().unwrap();
        let range = &properties["status"];
        assert!(range["minimum"].as_u64().unwrap() <= status);
        assert!(status <= range["maximum"].as_u64().unwrap());
    }
}
