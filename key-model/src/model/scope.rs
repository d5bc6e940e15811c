//! The tenant-scope capability (G5).

use crate::model::id::{KeyName, KeyRef, TenantId};

/// Proof that the caller has been authorized to use one tenant's keys.
///
/// A key reference is metadata, never authorization: every operation that
/// needs key material takes a `&TenantScope`, and the only way to get one is
/// [`TenantScope::authorized_by_host`], which the host's authorization layer
/// calls after it has checked the caller. Nothing converts a [`KeyRef`], a
/// [`KeyName`] or a [`TenantId`] into a scope: there is no `From`, no
/// `Default` and no `Deserialize`. Auditors find every place a scope is
/// created with the workspace's audit, `cargo run -p key-model-audit -- .`
/// (`scope-constructor`: it matches the function's name, which, unlike the
/// type's, no import can change).
///
/// ```
/// use key_model::{KeyRef, TenantId, TenantScope};
///
/// let acme: TenantId = "acme".parse()?;
/// // In the host's authorization layer, after checking the caller:
/// let scope = TenantScope::authorized_by_host(acme);
/// let r: KeyRef = "tenants/acme/keys/audit-export/versions/1".parse()?;
/// let other: KeyRef = "tenants/globex/keys/audit-export/versions/1".parse()?;
/// assert!(scope.covers(&r));
/// assert!(!scope.covers(&other));
/// # Ok::<(), key_model::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct TenantScope {
    tenant: TenantId,
}

impl TenantScope {
    /// Creates a scope for `tenant`. Call this only in the host's
    /// authorization layer, after it has established that the caller may use
    /// this tenant's keys: the scope is the proof every key operation asks
    /// for, and key-model trusts it.
    pub fn authorized_by_host(tenant: TenantId) -> TenantScope {
        TenantScope { tenant }
    }

    /// The tenant this scope authorizes.
    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    /// Whether this scope authorizes use of the key version `key_ref`.
    pub fn covers(&self, key_ref: &KeyRef) -> bool {
        key_ref.tenant() == &self.tenant
    }

    /// Whether this scope authorizes use of the key `name`.
    pub fn covers_name(&self, name: &KeyName) -> bool {
        name.tenant() == &self.tenant
    }
}
