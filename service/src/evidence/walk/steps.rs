//! The steps and checklist lines of the walkthrough (docs/vn-12.md), each
//! returning its evidence or why it failed.

use std::fmt::Write as _;

use key_model::{KeyMetadata, KeyRef, TenantId};

use super::Walk;
use crate::app::recording_key;
use crate::auth::platform_scope;
use crate::dto::SshSessionRecord;
use crate::evidence::browser::Browser;
use crate::evidence::scan::{Kind, Scan};
use crate::operator::{self, Command};

impl Walk<'_> {
    pub(super) fn step_api_docs(&mut self) -> Result<Vec<String>, String> {
        let doc = self.api(None, "GET", "/api/openapi.json", &[], b"")?;
        let json: serde_json::Value =
            serde_json::from_slice(&doc.body).map_err(|_| "openapi.json is not JSON")?;
        let props = &json["components"]["schemas"]["SshSessionRecord"]["properties"];
        let mut fields: Vec<&str> = props
            .as_object()
            .ok_or("no SshSessionRecord schema")?
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        let want = [
            "bytes",
            "encryption_key_ref",
            "session_id",
            "started_at",
            "status",
            "tenant",
        ];
        if fields != want {
            return Err(format!(
                "SshSessionRecord has fields {fields:?}, expected {want:?}"
            ));
        }
        let text = doc.text().to_ascii_lowercase();
        for word in ["material", "secret", "ciphertext", "plaintext\"", "wrapped"] {
            if text.contains(&format!("\"{word}")) {
                return Err(format!("openapi.json names a property starting {word:?}"));
            }
        }
        let visit = self.visit_with(
            "acme",
            "/api/docs/",
            Some("api-docs"),
            &mut expand_session_record,
        )?;
        if visit.html.header("content-security-policy") != Some(crate::api::DOCS_CSP) {
            return Err("/api/docs is served without its content security policy".into());
        }
        for must in [
            "SshSessionRecord",
            "encryption_key_ref",
            "/api/ssh-sessions/{session_id}",
        ] {
            if !visit.text.contains(must) {
                return Err(format!("the rendered /api/docs does not show {must}"));
            }
        }
        Ok(vec![
            "`/api/openapi.json`: the `SshSessionRecord` schema has exactly the six fields of docs/vn-12.md#the-ssh-session-record; no property is named for material, secrets, ciphertext or wrapped keys".into(),
            "`/api/docs` (Swagger UI, served by the service) in Chromium: the `GET /api/ssh-sessions/{session_id}` operation, collapsed at first, opened by a click, and its 200 response's Schema tab clicked: the expanded `SshSessionRecord` shows `encryption_key_ref` (\"a reference, never the key\"), as does the model in the Schemas section (full-page screenshot `api-docs.png`)".into(),
        ])
    }

    pub(super) fn step_portal(&mut self) -> Result<Vec<String>, String> {
        let mut evidence = Vec::new();
        let tenants: Vec<String> = self
            .fixture
            .tokens
            .iter()
            .map(|(t, _)| t.to_string())
            .collect();
        for tenant in &tenants {
            let scope = platform_scope(tenant.parse().map_err(|_| "tenant")?);
            let keys = self
                .fixture
                .service
                .app()
                .ring
                .list(&scope)
                .map_err(|e| e.to_string())?;
            let settings = self.visit(
                tenant,
                "/portal/settings",
                Some(&format!("{tenant}-settings")),
            )?;
            for k in &keys {
                if !settings.dom.contains(&k.key_ref().to_string()) {
                    return Err(format!(
                        "{tenant}'s settings page does not list {}",
                        k.key_ref()
                    ));
                }
            }
            if settings.html.header("content-security-policy") != Some(crate::portal::CSP)
                || settings.dom.contains("<script")
            {
                return Err(format!(
                    "{tenant}'s settings page lacks the portal's policy or has a script"
                ));
            }
            for column in ["Reference", "State", "Origin", "Created", "Primary"] {
                if !settings.dom.contains(&format!("<th>{column}</th>")) {
                    return Err(format!("{tenant}'s settings page has no {column} column"));
                }
            }
            let sessions = self.visit(
                tenant,
                "/portal/sessions",
                Some(&format!("{tenant}-sessions")),
            )?;
            let list = self.api(Some(tenant), "GET", "/api/ssh-sessions", &[], b"")?;
            let page: serde_json::Value =
                serde_json::from_slice(&list.body).map_err(|_| "list is not JSON")?;
            let first = page["items"][0]["session_id"]
                .as_str()
                .ok_or("no session")?
                .to_owned();
            if !sessions.dom.contains(&first) {
                return Err(format!("{tenant}'s sessions page does not list {first}"));
            }
            let detail = self.visit(
                tenant,
                &format!("/portal/sessions/{first}"),
                Some(&format!("{tenant}-session")),
            )?;
            if !detail.dom.contains("encryption_key_ref") {
                return Err(format!(
                    "{tenant}'s session page does not show encryption_key_ref"
                ));
            }
            self.visit(tenant, &format!("/portal/sessions/{first}/playback"), None)?;
            let audit = self.visit(tenant, "/portal/audit", Some(&format!("{tenant}-audit")))?;
            if !audit.dom.contains("key_created") || !audit.dom.contains("recording_played_back") {
                return Err(format!(
                    "{tenant}'s audit page lacks the key and playback entries"
                ));
            }
            let exports = self.visit(
                tenant,
                "/portal/exports",
                Some(&format!("{tenant}-exports")),
            )?;
            for file in ["ssh-sessions.csv", "ssh-sessions.jsonl", "audit.jsonl"] {
                if !exports.dom.contains(&format!("/portal/exports/{file}")) {
                    return Err(format!("{tenant}'s exports page has no link to {file}"));
                }
                let download = self.fetch(tenant, &format!("/portal/exports/{file}"))?;
                if download.status != 200 || download.body.is_empty() {
                    return Err(format!("{tenant}'s {file} download failed"));
                }
                self.api(
                    Some(tenant),
                    "GET",
                    &format!("/api/exports/{file}"),
                    &[],
                    b"",
                )?;
            }
            evidence.push(format!("`{tenant}`: settings lists its {} key versions (reference, state, origin, created, primary); sessions, session detail (with `encryption_key_ref`), playback, audit and exports pages and the three downloads rendered and scanned", keys.len()));
        }
        self.visit("acme", "/portal/no-such-page", Some("error-page"))?;
        Ok(evidence)
    }

    fn records_of(&mut self, tenant: &str) -> Result<Vec<SshSessionRecord>, String> {
        let list = self.api(Some(tenant), "GET", "/api/ssh-sessions?limit=100", &[], b"")?;
        let page: serde_json::Value =
            serde_json::from_slice(&list.body).map_err(|_| "list is not JSON")?;
        serde_json::from_value(page["items"].clone())
            .map_err(|_| "list items are not session records".into())
    }

    pub(super) fn line_references(&mut self) -> Result<Vec<String>, String> {
        let mut n = 0;
        for (tenant, _) in self.fixture.tokens.clone() {
            for r in self.records_of(tenant.as_ref())? {
                let text = r.encryption_key_ref.to_string();
                let parsed: KeyRef = text.parse().map_err(|_| format!("{text} does not parse"))?;
                if parsed.to_string() != text || parsed.tenant() != &tenant || r.tenant != tenant {
                    return Err(format!("{text} is not canonical or not {tenant}'s"));
                }
                n += 1;
            }
        }
        for near_miss in [
            "Tenants/acme/keys/ssh-session-recording/versions/1",
            "tenants/acme/keys/ssh-session-recording/versions/01",
        ] {
            if near_miss.parse::<KeyRef>().is_ok() {
                return Err(format!("{near_miss} parsed"));
            }
        }
        Ok(vec![format!(
            "{n} records from `GET /api/ssh-sessions` carry an `encryption_key_ref` of the form `tenants/{{tenant}}/keys/{{purpose}}/versions/{{n}}`, canonical, of their own tenant; near-misses are rejected (docs/key-model.md#references)"
        )])
    }

    pub(super) fn line_not_authorization(&mut self) -> Result<Vec<String>, String> {
        let acme = self.records_of("acme")?;
        let id = &acme.first().ok_or("acme has no session")?.session_id;
        let mut evidence = Vec::new();
        for suffix in ["", "/recording"] {
            let theirs = self.api(
                Some("globex"),
                "GET",
                &format!("/api/ssh-sessions/{id}{suffix}"),
                &[],
                b"",
            )?;
            let missing = self.api(
                Some("globex"),
                "GET",
                &format!("/api/ssh-sessions/sess_000000000000{suffix}"),
                &[],
                b"",
            )?;
            if theirs.status != 404 || theirs.body != missing.body {
                return Err(format!(
                    "globex asking for acme's {id}{suffix} got {} (missing: {})",
                    theirs.status, missing.status
                ));
            }
        }
        evidence.push("`globex` asking for an `acme` record or its recording gets a 404 byte-for-byte equal to a missing id's (docs/guarantees.md#g5-a-key-reference-is-metadata-never-authorization)".into());
        let none = self.api(None, "GET", "/api/ssh-sessions", &[], b"")?;
        if none.status != 401 {
            return Err(format!("no token gave {}", none.status));
        }
        evidence.push("no token: 401; scopes are made only in `service/src/auth.rs` after the token or session check (`cargo run -q -p key-model-audit -- . | grep ': scope-constructor: '`)".into());
        Ok(evidence)
    }

    pub(super) fn line_fail_closed(&mut self) -> Result<Vec<String>, String> {
        let acme: TenantId = "acme".parse().map_err(|_| "tenant")?;
        let records = self.records_of("acme")?;
        let scope = platform_scope(acme.clone());
        let app = self.fixture.service.app();
        let primary = app
            .ring
            .versions(&scope, &recording_key(&acme))
            .map_err(|e| e.to_string())?
            .into_iter()
            .find(KeyMetadata::is_primary)
            .ok_or("no primary")?;
        let old = records
            .iter()
            .find(|r| &r.encryption_key_ref != primary.key_ref())
            .ok_or("no record under an older version")?
            .clone();
        let path = format!("/api/ssh-sessions/{}/recording", old.session_id);
        let before = self.api(Some("acme"), "GET", &path, &[], b"")?;
        let app = self.fixture.service.app();
        operator::run(
            &app.ring,
            &app.records,
            &Command::Disable(old.encryption_key_ref.clone()),
        )?;
        let refused = self.api(Some("acme"), "GET", &path, &[], b"")?;
        let page = self.visit(
            "acme",
            &format!("/portal/sessions/{}/playback", old.session_id),
            Some("acme-playback-refused"),
        )?;
        let app = self.fixture.service.app();
        operator::run(
            &app.ring,
            &app.records,
            &Command::Enable(old.encryption_key_ref.clone()),
        )?;
        let after = self.api(Some("acme"), "GET", &path, &[], b"")?;
        if before.status != 200
            || refused.status != 409
            || !refused.text().contains(r#""code":"key_disabled""#)
            || page.html.status != 409
            || after.status != 200
        {
            return Err(format!(
                "playback before/disabled/portal/after: {} {} {} {}",
                before.status, refused.status, page.html.status, after.status
            ));
        }
        Ok(vec![format!(
            "operator `disable {}`: playback refused at once (409 `key_disabled`, API and portal); `enable`: 200 again (docs/guarantees.md#g6-fail-closed)",
            old.encryption_key_ref
        )])
    }

    pub(super) fn line_byok(&mut self) -> Result<Vec<String>, String> {
        let settings = self.visit("acme", "/portal/settings", None)?;
        if !settings.dom.contains("<th>Origin</th>") {
            return Err("the settings page shows no key origin".into());
        }
        Ok(vec!["each key version shows its origin on the settings page; the reference text and the record carry none, so a customer-supplied key will have the same reference form (docs/guarantees.md#g10-byok-is-additive, docs/key-model.md#byok)".into()])
    }

    pub(super) fn step_screenshots(&mut self) -> Result<Vec<String>, String> {
        if self.screenshots.len() < 5 {
            return Err(format!("only {} screenshots", self.screenshots.len()));
        }
        Ok(self
            .screenshots
            .iter()
            .map(|p| {
                format!(
                    "`screenshots/{}`",
                    p.file_name().unwrap_or_default().to_string_lossy()
                )
            })
            .collect())
    }

    pub(super) fn line_no_material(&mut self) -> Result<Vec<String>, String> {
        // The leak scan must be able to fail: a page holding one issued
        // key's canary in hex is reported.
        let (first, canary) = self
            .fixture
            .canaries
            .issued()
            .into_iter()
            .next()
            .ok_or("no key issued")?;
        let planted = canary.bytes().iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
        let mut probe = Scan::new(self.fixture.canaries.clone());
        probe.scan(
            Kind::Page,
            "a planted page",
            format!("<p>{planted}</p>").as_bytes(),
        );
        if probe.leaks.is_empty() {
            return Err("the scan missed a planted canary".into());
        }
        self.scan_log();
        let files = self.scan_data_dir()?;
        if !self.unread.is_empty() {
            return Err(format!(
                "{} browser responses could not be read for the scan: {}",
                self.unread.len(),
                self.unread.join("; ")
            ));
        }
        // Every address the browser asked for is the service's: nothing
        // left loopback (the flags in evidence/browser/ make sure of it;
        // this shows it).
        let origin = format!("{}/", self.origin());
        if let Some(away) = self.requests_off_the_service().first() {
            return Err(format!("the browser requested {away}, off the service"));
        }
        let urls = self.browser.urls();
        let inline = urls.iter().filter(|u| u.starts_with("data:")).count();
        let requests = urls.len() - inline;
        if !self.scan.leaks.is_empty() {
            return Err(format!(
                "{} leaks: {}",
                self.scan.leaks.len(),
                self.scan.leaks.join("; ")
            ));
        }
        Ok(vec![
            format!(
                "{} pages (each one's DOM as HTML and its visible text), {} HTTP responses ({} to the walkthrough's own calls, {} received by the browser: documents, redirects, styles, scripts, `openapi.json`, each with its headers and body), the log: {} bytes scanned for {} canaries (root key and every key version) in every encoding the detector knows: 0 leaks (docs/leak-canaries.md)",
                self.scan.pages,
                self.scan.responses,
                self.scan.responses - self.scan.browser_responses,
                self.scan.browser_responses,
                self.scan.bytes,
                self.scan.canaries()
            ),
            format!(
                "the data directory at rest ({files} files: the SQLite key store and the records file, with the encrypted recordings in it, each with its WAL) holds no canary either"
            ),
            format!("the scan catches a planted canary (the hex of {first}'s material)"),
            format!(
                "the browser made {requests} requests, every one to the service's loopback origin `{origin}`; `data:` addresses (inline icons, no connection): {inline}"
            ),
        ])
    }

    /// Scans every file of the data directory (not the browser's
    /// profile): the key store holds wrapped material only, and the
    /// records file's recordings are envelopes.
    fn scan_data_dir(&mut self) -> Result<usize, String> {
        let dir = self.fixture.dir.clone();
        let mut n = 0;
        for folder in [dir] {
            let entries =
                std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_file() {
                    let bytes =
                        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                    let name = path
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    self.scan
                        .scan(Kind::Other, &format!("data file {name}"), &bytes);
                    n += 1;
                }
            }
        }
        Ok(n)
    }
}

/// The Swagger UI operation that returns one SSH session record.
const GET_ONE: &str = "#operations-ssh-sessions-get_one";

/// In `/api/docs`: opens the `GET /api/ssh-sessions/{session_id}`
/// operation and its 200 response's Schema tab by clicks, and checks that
/// the expanded session record schema shows `encryption_key_ref` (and
/// did not before the clicks), in the operation and in the Schemas section.
fn expand_session_record(browser: &mut Browser) -> Result<(), String> {
    let err = |e: std::io::Error| format!("/api/docs: {e}");
    let text_of = |selector: &str| {
        format!(
            "(document.querySelector({}) || {{ innerText: '' }}).innerText",
            serde_json::Value::String(selector.to_owned())
        )
    };
    let rendered = browser
        .wait_until(&format!("{}.length > 0", text_of(GET_ONE)), WAIT)
        .map_err(err)?;
    if !rendered {
        return Err("Swagger UI did not render the GET one session operation".into());
    }
    let before = browser.evaluate(&text_of(GET_ONE)).map_err(err)?;
    if before
        .as_str()
        .unwrap_or_default()
        .contains("encryption_key_ref")
    {
        return Err("the operation showed its schema before it was opened".into());
    }
    browser
        .click(&format!("{GET_ONE} .opblock-summary-control"))
        .map_err(err)?;
    let row = format!("{GET_ONE} tr.response[data-code='200']");
    browser
        .wait_until(&format!("{}.length > 0", text_of(&row)), WAIT)
        .map_err(err)?;
    browser
        .click(&format!("{row} button.tablinks[data-name='model']"))
        .map_err(err)?;
    // The schema view, not the example: the field with its description.
    let shown = browser
        .wait_until(
            &format!(
                "(t => t.includes('SshSessionRecord') && t.includes('encryption_key_ref') && t.includes('a reference, never the key'))({})",
                text_of(&row)
            ),
            WAIT,
        )
        .map_err(err)?;
    if !shown {
        return Err("the expanded 200 response schema does not show encryption_key_ref".into());
    }
    let models = browser.evaluate(&text_of("section.models")).map_err(err)?;
    let models = models.as_str().unwrap_or_default();
    if !models.contains("SshSessionRecord") || !models.contains("encryption_key_ref") {
        return Err(
            "the Schemas section does not show SshSessionRecord's encryption_key_ref".into(),
        );
    }
    Ok(())
}

/// How long Swagger UI may take to render after a click.
const WAIT: std::time::Duration = std::time::Duration::from_secs(10);
