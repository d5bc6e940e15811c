//! The platform's own key operations (`key-model-service operator ...`):
//! keys are platform-managed, so these are not in the tenant API. Each
//! one is audited under the tenant it concerns.

use key_model::{KeyMetadata, KeyName, KeyRef, KeyRing, TenantId};

use crate::auth::platform_scope;
use crate::dto::{Actor, AuditAction, AuditEvent};
use crate::records::Records;

/// One operator command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Adds a tenant and prints its admin token.
    AddTenant(TenantId),
    /// Creates a key (version 1, primary).
    Create(KeyName),
    /// Adds a version and makes it the primary.
    Rotate(KeyName),
    /// Disables a version.
    Disable(KeyRef),
    /// Enables a version again.
    Enable(KeyRef),
    /// Schedules a version's destruction.
    ScheduleDestruction(KeyRef),
    /// Cancels a scheduled destruction.
    Restore(KeyRef),
    /// Destroys a version's material.
    Destroy(KeyRef),
    /// Gives a tenant a new admin token (the old one stops working).
    NewToken(TenantId),
    /// Lists a tenant's key versions.
    List(TenantId),
}

/// Runs `command`; returns the lines to print. Errors are key-model's
/// messages, which never carry key material (G8).
pub fn run(ring: &KeyRing, records: &Records, command: &Command) -> Result<Vec<String>, String> {
    let audited =
        |tenant: &TenantId, action, metadata: KeyMetadata| -> Result<Vec<String>, String> {
            records
                .audit(
                    tenant,
                    AuditEvent {
                        action,
                        actor: Actor::Platform,
                        key_ref: Some(metadata.key_ref().clone()),
                        session_id: None,
                    },
                )
                .map_err(|e| format!("audit log: {e}"))?;
            Ok(vec![describe(&metadata)])
        };
    let e = |e: key_model::Error| e.to_string();
    match command {
        Command::AddTenant(tenant) => {
            // Only a hash of the token is kept: an existing tenant's token
            // cannot be printed again, only replaced (`new-token`).
            let token = records.add_tenant(tenant).map_err(|e| {
                format!("tenants: {e} (only its token's hash is kept: `new-token` replaces it)")
            })?;
            Ok(vec![format!("tenant {tenant}: admin token {token}")])
        }
        Command::NewToken(tenant) => {
            let token = records
                .issue_token(tenant)
                .map_err(|e| format!("tenants: {e}"))?;
            Ok(vec![format!("tenant {tenant}: new admin token {token}")])
        }
        Command::Create(name) => {
            let scope = platform_scope(name.tenant().clone());
            audited(
                name.tenant(),
                AuditAction::KeyCreated,
                ring.create_key(&scope, name).map_err(e)?,
            )
        }
        Command::Rotate(name) => {
            let scope = platform_scope(name.tenant().clone());
            audited(
                name.tenant(),
                AuditAction::KeyRotated,
                ring.rotate(&scope, name).map_err(e)?,
            )
        }
        Command::Disable(r)
        | Command::Enable(r)
        | Command::ScheduleDestruction(r)
        | Command::Restore(r)
        | Command::Destroy(r) => {
            let tenant = r.tenant().clone();
            let scope = platform_scope(tenant.clone());
            let (action, result) = match command {
                Command::Disable(_) => (AuditAction::KeyDisabled, ring.disable(&scope, r)),
                Command::Enable(_) => (AuditAction::KeyEnabled, ring.enable(&scope, r)),
                Command::ScheduleDestruction(_) => (
                    AuditAction::KeyDestructionScheduled,
                    ring.schedule_destruction(&scope, r, in_thirty_days()),
                ),
                Command::Restore(_) => (AuditAction::KeyRestored, ring.restore(&scope, r)),
                _ => (AuditAction::KeyDestroyed, ring.destroy(&scope, r)),
            };
            audited(&tenant, action, result.map_err(e)?)
        }
        Command::List(tenant) => {
            let scope = platform_scope(tenant.clone());
            Ok(ring.list(&scope).map_err(e)?.iter().map(describe).collect())
        }
    }
}

/// One line per version: reference, state, origin, created, primary.
pub fn describe(m: &KeyMetadata) -> String {
    format!(
        "{}  state={} origin={} created={}{}",
        m.key_ref(),
        m.state().kind(),
        m.origin(),
        m.created_at(),
        if m.is_primary() { " primary" } else { "" }
    )
}

/// When a scheduled destruction falls due: thirty days on, the grace
/// period in which `restore` can still cancel it.
fn in_thirty_days() -> key_model::Timestamp {
    key_model::Timestamp::from(
        std::time::SystemTime::now() + std::time::Duration::from_secs(30 * 86_400),
    )
}
