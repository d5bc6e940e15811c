//! The portal's one layout: head, navigation bar, main column. Every page
//! is a template that fills it.

use maud::{DOCTYPE, Markup, html};

/// The navigation entries: path and label.
const NAV: &[(&str, &str)] = &[
    ("/portal/sessions", "SSH sessions"),
    ("/portal/audit", "Audit log"),
    ("/portal/exports", "Exports"),
    ("/portal/settings", "Settings"),
];

/// A page of the portal: `title`, the signed-in tenant (none on the
/// sign-in and error pages), the navigation entry to mark, and the body.
pub fn page(title: &str, tenant: Option<&str>, current: &str, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · key-model portal" }
                link rel="stylesheet" href="/portal/static/style.css";
            }
            body {
                header.bar {
                    a.brand href="/portal/sessions" { "key-model portal" }
                    @if let Some(tenant) = tenant {
                        nav {
                            @for (path, label) in NAV {
                                a href=(path) aria-current=[(*path == current).then_some("page")] { (label) }
                            }
                        }
                        span.who { "Tenant " strong { (tenant) } }
                        form.signout method="post" action="/portal/sign-out" {
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
                footer { "Keys are platform-managed. This portal shows key references and states, never key material." }
            }
        }
    }
}

/// The portal's style sheet, served from `/portal/static/style.css` (the
/// policy allows styles from the service itself only).
pub const STYLE: &str = r"
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #2456c7; --bg: #f6f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header.bar { display: flex; align-items: center; gap: 1.5rem; padding: .75rem 2rem; background: #1d2330; color: #fff; }
header.bar a { color: #dfe6f5; text-decoration: none; }
header.bar a.brand { font-weight: 700; color: #fff; }
header.bar nav { display: flex; gap: 1rem; }
header.bar nav a[aria-current=page] { color: #fff; border-bottom: 2px solid #7aa2ff; }
header.bar .who { margin-left: auto; color: #c5cddd; }
header.bar form.signout button { background: transparent; color: #dfe6f5; border: 1px solid #5b6475; border-radius: 4px; padding: .2rem .7rem; cursor: pointer; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: .55rem .8rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f6; font-weight: 600; }
code, pre { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: .9em; }
pre { background: #fff; border: 1px solid var(--line); padding: 1rem; overflow: auto; }
.empty { background: #fff; border: 1px dashed var(--line); padding: 2rem; text-align: center; color: var(--muted); }
.state { display: inline-block; padding: 0 .5rem; border-radius: 999px; background: #e4ecff; }
.state.enabled { background: #dff5e4; } .state.disabled { background: #fde7d9; }
.note { color: var(--muted); }
.pager { margin-top: 1rem; display: flex; gap: 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1.5rem; background: #fff; border: 1px solid var(--line); padding: 1rem; }
dt { font-weight: 600; }
form.signin { background: #fff; border: 1px solid var(--line); padding: 1.5rem; max-width: 28rem; }
form.signin input { width: 100%; padding: .5rem; margin: .3rem 0 1rem; font: inherit; }
form.signin button, a.button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: .5rem 1rem; font: inherit; cursor: pointer; text-decoration: none; }
.error { background: #fde7e7; border: 1px solid #f3b7b7; padding: .7rem 1rem; margin-bottom: 1rem; }
footer { max-width: 72rem; margin: 0 auto; padding: 0 2rem 2rem; color: var(--muted); font-size: .85rem; }
";
