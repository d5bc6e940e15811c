//! The portal's page templates. Each takes only what it shows, every
//! value is escaped by maud, and no template sees a key, a token or a
//! ciphertext: key versions arrive as `KeyMetadata`, sessions as the
//! secret-free `SshSessionRecord`.

use key_model::{KeyMetadata, KeyState, StateKind};
use maud::{Markup, html};

use super::layout::page;
use crate::dto::{AuditEntry, RecordingStatus, SshSessionRecord};

/// The sign-in page; `failed` after a wrong token (which is not shown).
pub fn sign_in(failed: bool) -> Markup {
    page(
        "Sign in",
        None,
        "",
        &html! {
            @if failed { p.error { "That token is not valid. Check it and try again." } }
            form.signin method="post" action="/portal/sign-in" {
                label for="token" { "Tenant admin token" }
                input #token type="password" name="token" autocomplete="off" required;
                button type="submit" { "Sign in" }
            }
            p.note { "The token was printed when the platform created your tenant (" code { "serve --demo" } " prints the demo tenants' tokens)." }
        },
    )
}

fn status(s: RecordingStatus) -> &'static str {
    match s {
        RecordingStatus::Recording => "recording",
        RecordingStatus::Sealed => "sealed",
        RecordingStatus::Purged => "purged",
    }
}

fn pager(base: &str, offset: u64, limit: u64, next: Option<u64>) -> Markup {
    html! {
        div.pager {
            @if offset > 0 { a href={ (base) "?offset=" (offset.saturating_sub(limit)) } { "← Newer" } }
            @if let Some(next) = next { a href={ (base) "?offset=" (next) } { "Older →" } }
        }
    }
}

/// The list of SSH sessions.
pub fn sessions(
    tenant: &str,
    items: &[SshSessionRecord],
    offset: u64,
    limit: u64,
    next: Option<u64>,
) -> Markup {
    page(
        "SSH sessions",
        Some(tenant),
        "/portal/sessions",
        &html! {
            @if items.is_empty() {
                div.empty { p { "No SSH session has been recorded yet." } p.note { "Recordings uploaded through the API appear here." } }
            } @else {
                table {
                    thead { tr { th { "Session" } th { "Started" } th { "Status" } th { "Bytes" } th { "encryption_key_ref" } } }
                    tbody {
                        @for r in items {
                            tr {
                                td { a href={ "/portal/sessions/" (r.session_id) } { code { (r.session_id) } } }
                                td { (r.started_at) }
                                td { (status(r.status)) }
                                td { (r.bytes) }
                                td { code { (r.encryption_key_ref) } }
                            }
                        }
                    }
                }
                (pager("/portal/sessions", offset, limit, next))
            }
        },
    )
}

/// One SSH session's record.
pub fn session(tenant: &str, r: &SshSessionRecord) -> Markup {
    page(
        &format!("Session {}", r.session_id),
        Some(tenant),
        "/portal/sessions",
        &html! {
            dl {
                dt { "session_id" } dd { code { (r.session_id) } }
                dt { "tenant" } dd { (r.tenant) }
                dt { "status" } dd { (status(r.status)) }
                dt { "started_at" } dd { (r.started_at) }
                dt { "bytes" } dd { (r.bytes) }
                dt { "encryption_key_ref" } dd { code { (r.encryption_key_ref) } }
            }
            p.note { "The recording is stored encrypted under the key version above; the record holds its reference, never the key." }
            p { a.button href={ "/portal/sessions/" (r.session_id) "/playback" } { "Play back (audited)" } }
        },
    )
}

/// A played-back recording.
pub fn playback(tenant: &str, session_id: &str, text: &str) -> Markup {
    page(
        &format!("Playback of {session_id}"),
        Some(tenant),
        "/portal/sessions",
        &html! {
            p.note { "Decrypted for you now; this playback is in the audit log." }
            pre { (text) }
        },
    )
}

/// The audit log.
pub fn audit(
    tenant: &str,
    items: &[AuditEntry],
    offset: u64,
    limit: u64,
    next: Option<u64>,
) -> Markup {
    page(
        "Audit log",
        Some(tenant),
        "/portal/audit",
        &html! {
            @if items.is_empty() {
                div.empty { p { "The audit log is empty." } }
            } @else {
                table {
                    thead { tr { th { "#" } th { "When" } th { "Action" } th { "Actor" } th { "Key reference" } th { "Session" } } }
                    tbody {
                        @for e in items {
                            tr {
                                td { (e.seq) }
                                td { (e.at) }
                                td { (serde_plain(&e.event.action)) }
                                td { (serde_plain(&e.event.actor)) }
                                td { @if let Some(k) = &e.event.key_ref { code { (k) } } @else { "—" } }
                                td { @if let Some(s) = &e.event.session_id { code { (s) } } @else { "—" } }
                            }
                        }
                    }
                }
                (pager("/portal/audit", offset, limit, next))
            }
        },
    )
}

/// An enum's serde name (`key_rotated`), as the API writes it.
fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The exports page.
pub fn exports(tenant: &str) -> Markup {
    page(
        "Exports",
        Some(tenant),
        "/portal/exports",
        &html! {
            p { "Downloads of your records, written by key-model's export and audit writers, which accept only types proven free of secrets." }
            table {
                thead { tr { th { "Export" } th { "Format" } th { "Download" } } }
                tbody {
                    tr { td { "SSH session records" } td { "CSV" } td { a href="/portal/exports/ssh-sessions.csv" { "ssh-sessions.csv" } } }
                    tr { td { "SSH session records" } td { "JSON Lines" } td { a href="/portal/exports/ssh-sessions.jsonl" { "ssh-sessions.jsonl" } } }
                    tr { td { "Audit log" } td { "JSON Lines" } td { a href="/portal/exports/audit.jsonl" { "audit.jsonl" } } }
                }
            }
        },
    )
}

fn state_class(state: &KeyState) -> &'static str {
    match state.kind() {
        StateKind::Enabled => "state enabled",
        StateKind::Disabled => "state disabled",
        _ => "state",
    }
}

/// The settings page: the tenant's encryption keys, one row per version.
pub fn settings(tenant: &str, keys: &[KeyMetadata]) -> Markup {
    page(
        "Settings",
        Some(tenant),
        "/portal/settings",
        &html! {
            h2 { "Encryption keys" }
            p.note { "Keys are managed by the platform. Each row is one key version: its reference, state, origin, creation time and whether it is the primary (the version new data is encrypted under). Key material is never shown." }
            @if keys.is_empty() {
                div.empty { p { "No key has been created for this tenant yet." } }
            } @else {
                table #keys {
                    thead { tr { th { "Reference" } th { "State" } th { "Origin" } th { "Created" } th { "Primary" } } }
                    tbody {
                        @for k in keys {
                            tr {
                                td { code { (k.key_ref()) } }
                                td { span class=(state_class(k.state())) { (k.state().kind()) } }
                                td { (k.origin()) }
                                td { (k.created_at()) }
                                td { @if k.is_primary() { "yes" } @else { "no" } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// An error page: a fixed title and sentence, never a value of the request.
pub fn error(tenant: Option<&str>, title: &str, sentence: &str) -> Markup {
    page(
        title,
        tenant,
        "",
        &html! {
            p.error { (sentence) }
            p { a href="/portal/sessions" { "Back to the SSH sessions" } }
        },
    )
}
