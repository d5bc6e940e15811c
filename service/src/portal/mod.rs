//! The portal under `/portal`: server-rendered pages for a tenant admin,
//! signed in with the admin token into a session cookie (`HttpOnly`,
//! SameSite=Strict). No JavaScript; every response carries a strict
//! `Content-Security-Policy`.

pub mod layout;
pub mod pages;

use axum::Form;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::Markup;
use serde::Deserialize;

use crate::api::exports;
use crate::api::{PageParams, PathParam};
use crate::app::SharedApp;
use crate::auth::{PortalTenant, SESSION_COOKIE, session_cookie};
use crate::problem::{self, Problem};

/// The policy of every portal page: everything from the service itself,
/// nothing inline, no frames.
pub const CSP: &str =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// The portal's routes.
pub fn router() -> Router<SharedApp> {
    Router::new()
        .route("/portal/sign-in", get(sign_in_page).post(sign_in))
        .route("/portal/sign-out", post(sign_out))
        .route("/portal/ticket/{ticket}", get(ticket))
        .route("/portal/sessions", get(sessions))
        .route("/portal/sessions/{session_id}", get(session))
        .route("/portal/sessions/{session_id}/playback", get(playback))
        .route("/portal/audit", get(audit))
        .route("/portal/exports", get(exports_page))
        .route("/portal/exports/{file}", get(download))
        .route("/portal/settings", get(settings))
        .route("/portal/static/style.css", get(style))
        .route(
            "/portal",
            get(|| async { Redirect::to("/portal/sessions") }),
        )
        .route("/portal/{*rest}", get(not_found))
        .layer(middleware::from_fn(security_headers))
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn html(status: StatusCode, markup: &Markup) -> Response {
    (status, Html(markup.clone().into_string())).into_response()
}

fn tenant_name(PortalTenant(scope): &PortalTenant) -> String {
    scope.tenant().to_string()
}

/// The page for a problem: its status and fixed sentence, no value of the
/// request.
fn problem_page(tenant: Option<&str>, problem: Problem) -> Response {
    html(
        problem.status(),
        &pages::error(tenant, "Something is not right", problem.detail()),
    )
}

async fn not_found() -> Response {
    html(
        StatusCode::NOT_FOUND,
        &pages::error(None, "Page not found", "There is no page at this address."),
    )
}

async fn style() -> Response {
    ([(CONTENT_TYPE, "text/css; charset=utf-8")], layout::STYLE).into_response()
}

async fn sign_in_page() -> Response {
    html(StatusCode::OK, &pages::sign_in(false))
}

#[derive(Deserialize)]
struct SignIn {
    token: String,
}

fn session_cookie_header(value: &str) -> HeaderValue {
    // HttpOnly: no script reads it; SameSite=Strict: no other site's page
    // sends it (the portal's CSRF defence); Path=/ for the portal and its
    // downloads. Not `Secure`: the reference service speaks plain HTTP on
    // loopback; behind TLS, add it.
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn signed_in(app: &SharedApp, tenant: &key_model::TenantId, next: &str) -> Response {
    app.log.line(&format!("portal: {tenant} signed in"));
    let cookie = match app.start_session(tenant) {
        Ok(cookie) => cookie,
        Err(problem) => return problem_page(None, problem),
    };
    let mut response = Redirect::to(next).into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, session_cookie_header(&cookie));
    response
}

async fn sign_in(
    State(app): State<SharedApp>,
    form: Result<Form<SignIn>, FormRejection>,
) -> Response {
    let tenant = form
        .ok()
        // A failure to read the records is logged by `tenant_for_token`
        // and answered as a refused sign-in.
        .and_then(|Form(f)| app.tenant_for_token(f.token.trim()).ok().flatten());
    match tenant {
        Some(tenant) => signed_in(&app, &tenant, "/portal/sessions"),
        None => html(StatusCode::UNAUTHORIZED, &pages::sign_in(true)),
    }
}

async fn sign_out(State(app): State<SharedApp>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if let Some(cookie) = session_cookie(&parts) {
        app.end_session(cookie);
    }
    let mut response = Redirect::to("/portal/sign-in").into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_static("kms_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    response
}

#[derive(Deserialize)]
struct Next_ {
    next: Option<String>,
}

/// Redeems a one-time browser ticket (only in a service started for tests
/// or the evidence command; elsewhere every ticket is unknown). A ticket
/// is not a token: it is made in-process, used once, and grants one
/// session.
async fn ticket(
    State(app): State<SharedApp>,
    ticket: Result<PathParam, Problem>,
    uri: Uri,
) -> Response {
    let Some(tenant) = ticket.ok().and_then(|PathParam(t)| app.redeem_ticket(&t)) else {
        return problem_page(None, problem::NOT_FOUND);
    };
    let next = axum::extract::Query::<Next_>::try_from_uri(&uri)
        .ok()
        .and_then(|q| q.0.next)
        .filter(|n| n.starts_with("/portal/") || n.starts_with("/api/docs"))
        .filter(|n| !n.contains("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/portal/sessions".to_owned());
    signed_in(&app, &tenant, &next)
}

async fn sessions(State(app): State<SharedApp>, tenant: PortalTenant, uri: Uri) -> Response {
    let name = tenant_name(&tenant);
    let result = PageParams::from_uri(&uri).and_then(|(offset, limit)| {
        let (items, next) = app
            .records
            .sessions(tenant.0.tenant(), offset, limit)
            .map_err(|_| app.internal("records: read sessions"))?;
        Ok(pages::sessions(&name, &items, offset, limit, next))
    });
    match result {
        Ok(markup) => html(StatusCode::OK, &markup),
        Err(problem) => problem_page(Some(&name), problem),
    }
}

async fn session(
    State(app): State<SharedApp>,
    tenant: PortalTenant,
    id: Result<PathParam, Problem>,
) -> Response {
    let name = tenant_name(&tenant);
    match id.and_then(|PathParam(id)| app.session(&tenant.0, &id)) {
        Ok(record) => html(StatusCode::OK, &pages::session(&name, &record)),
        Err(problem) => problem_page(Some(&name), problem),
    }
}

async fn playback(
    State(app): State<SharedApp>,
    tenant: PortalTenant,
    id: Result<PathParam, Problem>,
) -> Response {
    let name = tenant_name(&tenant);
    let id = match id {
        Ok(PathParam(id)) => id,
        Err(problem) => return problem_page(Some(&name), problem),
    };
    match app.playback(&tenant.0, &id) {
        Ok(plaintext) => {
            let text = String::from_utf8_lossy(plaintext.as_bytes());
            html(StatusCode::OK, &pages::playback(&name, &id, &text))
        }
        Err(problem) => problem_page(Some(&name), problem),
    }
}

async fn audit(State(app): State<SharedApp>, tenant: PortalTenant, uri: Uri) -> Response {
    let name = tenant_name(&tenant);
    let result = PageParams::from_uri(&uri).and_then(|(offset, limit)| {
        let (items, next) = app
            .records
            .audit_page(tenant.0.tenant(), offset, limit)
            .map_err(|_| app.internal("records: read audit"))?;
        Ok(pages::audit(&name, &items, offset, limit, next))
    });
    match result {
        Ok(markup) => html(StatusCode::OK, &markup),
        Err(problem) => problem_page(Some(&name), problem),
    }
}

async fn exports_page(tenant: PortalTenant) -> Response {
    html(StatusCode::OK, &pages::exports(&tenant_name(&tenant)))
}

async fn download(
    State(app): State<SharedApp>,
    tenant: PortalTenant,
    file: Result<PathParam, Problem>,
) -> Response {
    // A name that is not UTF-8 names no file: the same 404 as any other.
    let file = file.map_or(String::new(), |PathParam(file)| file);
    let result = match file.as_str() {
        "ssh-sessions.csv" => exports::sessions_csv_for(&app, &tenant.0),
        "ssh-sessions.jsonl" => exports::sessions_jsonl_for(&app, &tenant.0),
        "audit.jsonl" => exports::audit_jsonl_for(&app, &tenant.0),
        _ => Err(problem::NOT_FOUND),
    };
    result.unwrap_or_else(|problem| problem_page(Some(&tenant_name(&tenant)), problem))
}

async fn settings(State(app): State<SharedApp>, tenant: PortalTenant) -> Response {
    let name = tenant_name(&tenant);
    match app.ring.list(&tenant.0) {
        Ok(keys) => html(StatusCode::OK, &pages::settings(&name, &keys)),
        Err(e) => problem_page(Some(&name), Problem::from(e)),
    }
}
