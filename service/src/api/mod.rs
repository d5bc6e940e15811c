//! The tenant API under `/api`: JSON, bearer token, problem responses.
//! Keys are platform-managed: no route here creates, rotates or lists
//! keys (those are the operator commands), and the `OpenAPI` document lists
//! exactly the routes below.

pub mod audit;
pub mod exports;
pub mod sessions;

use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::Uri;
use axum::http::request::Parts;
use axum::middleware;
use axum::routing::get;
use serde::Deserialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::app::SharedApp;
use crate::problem::{self, Problem};
use key_model::ErrorCode;

/// The `OpenAPI` document of the tenant API.
#[derive(OpenApi)]
#[openapi(
    info(title = "key-model reference service: tenant API", version = "0.1.0",
         description = "SSH session recordings, the audit log and exports of one tenant. Every key appears as a reference (`encryption_key_ref`), never as material."),
    paths(
        sessions::list, sessions::upload, sessions::get_one, sessions::playback,
        audit::list,
        exports::sessions_csv, exports::sessions_jsonl, exports::audit_jsonl,
    ),
    components(schemas(Problem)),
    modifiers(&BearerToken),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The API's routes, `/api/docs` (Swagger UI, served from the crate's own
/// copy) and `/api/openapi.json`.
pub fn router() -> Router<SharedApp> {
    let docs = SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", ApiDoc::openapi())
        // Every route listed and every schema open: the validator sees
        // `encryption_key_ref` on the record without a click.
        .config(
            Config::new(["/api/openapi.json"])
                .default_models_expand_depth(3)
                .default_model_expand_depth(3)
                .doc_expansion("list")
                .try_it_out_enabled(false),
        );
    Router::new()
        .route(
            "/api/ssh-sessions",
            get(sessions::list).post(sessions::upload),
        )
        .route("/api/ssh-sessions/{session_id}", get(sessions::get_one))
        .route(
            "/api/ssh-sessions/{session_id}/recording",
            get(sessions::playback),
        )
        .route("/api/audit", get(audit::list))
        .route("/api/exports/ssh-sessions.csv", get(exports::sessions_csv))
        .route(
            "/api/exports/ssh-sessions.jsonl",
            get(exports::sessions_jsonl),
        )
        .route("/api/exports/audit.jsonl", get(exports::audit_jsonl))
        .merge(Router::from(docs).layer(middleware::map_response(docs_policy)))
}

/// The policy of the Swagger UI pages: scripts and everything else from
/// the service only (its index has no inline script); inline styles and
/// `data:` images, which Swagger UI's rendering uses, are the two
/// allowances the portal does not have.
pub const DOCS_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

async fn docs_policy(response: axum::response::Response) -> axum::response::Response {
    // Swagger UI serves files or says 404; its one 400 is axum's
    // `text/plain` rejection of a file name that is not UTF-8 once
    // decoded (`/api/docs/%FF`), which names no file either.
    let mut response = if response.status() == axum::http::StatusCode::BAD_REQUEST {
        axum::response::IntoResponse::into_response(problem::NOT_FOUND)
    } else {
        response
    };
    response.headers_mut().insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static(DOCS_CSP),
    );
    response
}

/// The largest `offset` a list accepts (documented in the `OpenAPI`
/// document, whose integers are signed 64-bit).
pub const MAX_OFFSET: u64 = 1_000_000_000;

/// The paging parameters of a list.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items to skip (default 0).
    #[param(minimum = 0, maximum = 1_000_000_000)]
    pub offset: Option<u64>,
    /// How many items to return, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

impl PageParams {
    /// The parameters of `uri`'s query string, checked; a problem names no
    /// value it was given.
    pub fn from_uri(uri: &Uri) -> Result<(u64, u64), Problem> {
        let params = axum::extract::Query::<PageParams>::try_from_uri(uri)
            .map_err(|_| problem::INVALID_QUERY)?
            .0;
        let limit = params.limit.unwrap_or(20);
        let offset = params.offset.unwrap_or(0);
        if !(1..=100).contains(&limit) || offset > MAX_OFFSET {
            return Err(problem::INVALID_QUERY);
        }
        Ok((offset, limit))
    }
}

/// The one parameter of a route's path (a session id, a file name, a
/// ticket), percent-decoded.
///
/// axum's own `Path<String>` rejects a segment that is not UTF-8 once
/// decoded (`%FF`) with a `text/plain` body of its own, outside the
/// document's problem responses (and the portal's error page). This one
/// rejects it with `invalid_identifier`, the problem every other malformed
/// id gets; like every problem, it names nothing of the request. A portal
/// handler takes `Result<PathParam, Problem>` to render the problem as its
/// error page.
#[derive(Debug)]
pub struct PathParam(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathParam {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<PathParam, Problem> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| PathParam(value))
            .map_err(|_| Problem::from(ErrorCode::InvalidIdentifier))
    }
}
