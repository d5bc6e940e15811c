//! The tenant's audit log.

use axum::extract::State;
use axum::http::Uri;

use super::PageParams;
use crate::app::SharedApp;
use crate::auth::Tenant;
use crate::dto::AuditPage;
use crate::problem::{ApiJson, Problem};

/// Lists the tenant's audit entries, newest first: key lifecycle events,
/// uploads and playbacks, each naming key references only.
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(PageParams),
    responses((status = 200, body = AuditPage), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(app): State<SharedApp>,
    Tenant(scope): Tenant,
    uri: Uri,
) -> Result<ApiJson<AuditPage>, Problem> {
    let (offset, limit) = PageParams::from_uri(&uri)?;
    let (items, next_offset) = app
        .records
        .audit_page(scope.tenant(), offset, limit)
        .map_err(|_| app.internal("records: read audit"))?;
    Ok(ApiJson(AuditPage { items, next_offset }))
}
