//! Exports, written by key-model's sinks only: SSH sessions as CSV and
//! JSON Lines (`ExportDto`), the audit log as JSON Lines (`AuditDto`). The
//! portal's download links use the same functions.

use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use key_model::TenantScope;
use key_model::sink::{AuditWriter, CsvWriter, JsonLinesWriter};

use crate::app::App;
use crate::app::SharedApp;
use crate::auth::Tenant;
use crate::problem::Problem;

/// The tenant's SSH session records as CSV.
#[utoipa::path(get, path = "/api/exports/ssh-sessions.csv", tag = "exports",
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn sessions_csv(
    State(app): State<SharedApp>,
    Tenant(scope): Tenant,
) -> Result<Response, Problem> {
    sessions_csv_for(&app, &scope)
}

/// The tenant's SSH session records as JSON Lines.
#[utoipa::path(get, path = "/api/exports/ssh-sessions.jsonl", tag = "exports",
    responses((status = 200, content_type = "application/jsonl", body = String), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn sessions_jsonl(
    State(app): State<SharedApp>,
    Tenant(scope): Tenant,
) -> Result<Response, Problem> {
    sessions_jsonl_for(&app, &scope)
}

/// The tenant's audit log as JSON Lines.
#[utoipa::path(get, path = "/api/exports/audit.jsonl", tag = "exports",
    responses((status = 200, content_type = "application/jsonl", body = String), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn audit_jsonl(
    State(app): State<SharedApp>,
    Tenant(scope): Tenant,
) -> Result<Response, Problem> {
    audit_jsonl_for(&app, &scope)
}

/// The CSV export of `scope`'s sessions.
pub fn sessions_csv_for(app: &App, scope: &TenantScope) -> Result<Response, Problem> {
    let fail = || app.internal("export: sessions csv");
    let mut out = CsvWriter::new(Vec::new());
    for record in app
        .records
        .all_sessions(scope.tenant())
        .map_err(|_| fail())?
    {
        out.write(&record).map_err(|_| fail())?;
    }
    Ok(download(
        out.into_inner().map_err(|_| fail())?,
        "text/csv",
        "attachment; filename=\"ssh-sessions.csv\"",
    ))
}

/// The JSON Lines export of `scope`'s sessions.
pub fn sessions_jsonl_for(app: &App, scope: &TenantScope) -> Result<Response, Problem> {
    let fail = || app.internal("export: sessions jsonl");
    let mut out = JsonLinesWriter::new(Vec::new());
    for record in app
        .records
        .all_sessions(scope.tenant())
        .map_err(|_| fail())?
    {
        out.write(&record).map_err(|_| fail())?;
    }
    Ok(download(
        out.into_inner().map_err(|_| fail())?,
        "application/jsonl",
        "attachment; filename=\"ssh-sessions.jsonl\"",
    ))
}

/// The JSON Lines export of `scope`'s audit log.
pub fn audit_jsonl_for(app: &App, scope: &TenantScope) -> Result<Response, Problem> {
    let fail = || app.internal("export: audit jsonl");
    let mut out = AuditWriter::new(Vec::new());
    for entry in app.records.all_audit(scope.tenant()).map_err(|_| fail())? {
        out.write(&entry.tenant, entry.at, &entry.event)
            .map_err(|_| fail())?;
    }
    Ok(download(
        out.into_inner().map_err(|_| fail())?,
        "application/jsonl",
        "attachment; filename=\"audit.jsonl\"",
    ))
}

fn download(body: Vec<u8>, content_type: &'static str, disposition: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CONTENT_DISPOSITION, HeaderValue::from_static(disposition));
    response
}
