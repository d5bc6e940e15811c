//! The host authorization layer: the one place in the service that calls
//! `TenantScope::authorized_by_host` (G5). A scope is made only after the
//! caller is checked: a tenant admin's bearer token ([`Tenant`]), a portal
//! session cookie ([`PortalTenant`]), or the platform itself acting from
//! the command line ([`platform_scope`]). No id, key reference or other
//! value of a request becomes a scope.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use key_model::{TenantId, TenantScope};

use crate::app::SharedApp;
use crate::problem::{self, Problem};

/// The portal's session cookie.
pub const SESSION_COOKIE: &str = "kms_session";

fn authorize(checked: TenantId) -> TenantScope {
    TenantScope::authorized_by_host(checked)
}

/// A scope for the platform's own operations (the operator commands, the
/// demo data, the evidence command), which run with the operator's access
/// to the data directory rather than a tenant's token.
pub fn platform_scope(tenant: TenantId) -> TenantScope {
    authorize(tenant)
}

/// A request of a tenant admin, checked by its `Authorization: Bearer`
/// token.
#[derive(Debug)]
pub struct Tenant(pub TenantScope);

impl FromRequestParts<SharedApp> for Tenant {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &SharedApp) -> Result<Tenant, Problem> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(problem::UNAUTHORIZED)?;
        let tenant = app
            .tenant_for_token(token.trim())?
            .ok_or(problem::UNAUTHORIZED)?;
        Ok(Tenant(authorize(tenant)))
    }
}

/// A portal request, checked by its session cookie. Without a valid one
/// the portal sends the browser to the sign-in page.
#[derive(Debug)]
pub struct PortalTenant(pub TenantScope);

/// The portal's answer to a request without a session: the sign-in page.
#[derive(Debug)]
pub struct SignInFirst;

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        Redirect::to("/portal/sign-in").into_response()
    }
}

impl FromRequestParts<SharedApp> for PortalTenant {
    type Rejection = SignInFirst;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &SharedApp,
    ) -> Result<PortalTenant, SignInFirst> {
        let tenant = session_cookie(parts)
            .and_then(|cookie| app.session_tenant(cookie))
            .ok_or(SignInFirst)?;
        Ok(PortalTenant(authorize(tenant)))
    }
}

/// The value of the session cookie, if the request has one.
pub fn session_cookie(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
}
