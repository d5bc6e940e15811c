//! The demo data of `serve --demo` (and of the evidence command): tenants
//! `acme` and `globex`, their keys, a few SSH session records and the
//! audit entries all of that leaves.

use key_model::{TenantId, Timestamp};

use crate::app::{App, RECORDING_PURPOSE};
use crate::auth::platform_scope;
use crate::operator::{self, Command};

/// The demo tenants.
pub const TENANTS: [&str; 2] = ["acme", "globex"];

/// Creates the demo data unless the tenants have keys already (a restart
/// with `--demo`); returns each tenant with its admin token, new on every
/// call (only tokens' hashes are stored, so an old one cannot be shown
/// again: a restart with `--demo` replaces them).
pub fn seed(app: &App) -> Result<Vec<(TenantId, String)>, String> {
    let mut tokens = Vec::new();
    for (i, name) in TENANTS.iter().enumerate() {
        let tenant: TenantId = name.parse().map_err(|_| "demo tenant id".to_owned())?;
        let run = |c: Command| operator::run(&app.ring, &app.records, &c).map(drop);
        let token = app
            .records
            .issue_token(&tenant)
            .map_err(|e| format!("tenants: {e}"))?;
        let scope = platform_scope(tenant.clone());
        let fresh = app.ring.list(&scope).map_err(|e| e.to_string())?.is_empty();
        if fresh {
            let key = |purpose: &str| {
                format!("tenants/{tenant}/keys/{purpose}")
                    .parse()
                    .map_err(|_| "demo key name".to_owned())
            };
            run(Command::Create(key(RECORDING_PURPOSE)?))?;
            run(Command::Create(key("audit-export")?))?;
            let base = 1_764_400_000 + 86_400 * i as u64;
            for (n, text) in [
                "$ uptime\n 10:02:11 up 41 days\n",
                "$ sudo systemctl restart nginx\n",
            ]
            .iter()
            .enumerate()
            {
                app.upload_at(
                    &scope,
                    text.as_bytes(),
                    Timestamp::from_unix_seconds(base + 600 * n as u64),
                )
                .map_err(|p| p.code().to_owned())?;
            }
            if i == 0 {
                run(Command::Rotate(key(RECORDING_PURPOSE)?))?;
                app.upload_at(
                    &scope,
                    b"$ tail -n 2 /var/log/auth.log\nAccepted publickey for deploy\n",
                    Timestamp::from_unix_seconds(base + 3600),
                )
                .map_err(|p| p.code().to_owned())?;
            }
        }
        tokens.push((tenant, token));
    }
    Ok(tokens)
}
