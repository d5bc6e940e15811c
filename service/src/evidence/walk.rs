//! The walkthrough: a service with canary keys ([`Fixture`]) and the
//! visits, calls and checks of VN-12 ([`Walk`]), every output scanned.

use std::path::{Path, PathBuf};

use axum::Router;
use key_model::TenantId;
use key_model::testing::CanaryKeys;

mod steps;

use super::browser::Browser;
use super::http::{self, HttpResponse};
use super::report::{Line, Report};
use super::scan::{Kind, Scan};
use crate::app::{App, SharedApp};
use crate::log::Log;
use crate::records::Records;
use crate::server::Running;
use crate::{demo, keys};

/// A running service on a temporary data directory with the demo data,
/// whose every key is a canary. Stops and removes its directory on drop.
#[derive(Debug)]
pub struct Fixture {
    /// The service (dropped first: it stops before the directory goes).
    pub service: Running,
    /// The canaries of every key it made and of its root key.
    pub canaries: CanaryKeys,
    /// Each demo tenant and its admin token.
    pub tokens: Vec<(TenantId, String)>,
    /// The service's captured log.
    pub log: Log,
    /// The temporary data directory.
    pub dir: PathBuf,
}

impl Fixture {
    /// Starts one, with the routes `extra` makes from the canaries (a
    /// test's deliberately leaking page; `Router::new()` otherwise).
    pub fn start(extra: impl FnOnce(&CanaryKeys) -> Router<SharedApp>) -> Result<Fixture, String> {
        let seed = u64::from(std::process::id()) ^ 0x5eed_0fca_5a12;
        let dir = std::env::temp_dir().join(format!(
            "key-model-evidence-{}",
            crate::records::random_text(10)
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("temp dir: {e}"))?;
        let canaries = CanaryKeys::new(seed);
        let ring = keys::canary_ring(&dir, &canaries).map_err(|e| e.to_string())?;
        let records = Records::open(&dir).map_err(|e| format!("records: {e}"))?;
        let log = Log::captured();
        let app = App::new(ring, records, log.clone(), true);
        let tokens = demo::seed(&app)?;
        let service = Running::start(app, extra(&canaries)).map_err(|e| format!("start: {e}"))?;
        Ok(Fixture {
            service,
            canaries,
            tokens,
            log,
            dir,
        })
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A step of the walkthrough: its evidence, or why it failed.
type Step<'a> = fn(&mut Walk<'a>) -> Result<Vec<String>, String>;

/// One page as the browser rendered it and as the server sent it.
#[derive(Debug)]
pub struct Visit {
    /// The DOM after load.
    pub dom: String,
    /// The HTML response.
    pub html: HttpResponse,
}

/// The walkthrough over a fixture: every output it sees is scanned.
#[derive(Debug)]
pub struct Walk<'a> {
    fixture: &'a Fixture,
    browser: Browser,
    /// The scan so far.
    pub scan: Scan,
    screenshots_dir: PathBuf,
    /// Every screenshot taken, in order.
    pub screenshots: Vec<PathBuf>,
}

impl<'a> Walk<'a> {
    /// A walk whose screenshots go to `out_dir/screenshots`.
    pub fn new(fixture: &'a Fixture, out_dir: &Path) -> Result<Walk<'a>, String> {
        let screenshots_dir = out_dir.join("screenshots");
        std::fs::create_dir_all(&screenshots_dir).map_err(|e| format!("screenshots: {e}"))?;
        let browser = Browser::new(&fixture.dir).map_err(|e| e.to_string())?;
        Ok(Walk {
            fixture,
            browser,
            scan: Scan::new(fixture.canaries.clone()),
            screenshots_dir,
            screenshots: Vec::new(),
        })
    }

    fn token(&self, tenant: &str) -> String {
        self.fixture
            .tokens
            .iter()
            .find(|(t, _)| t.as_ref() == tenant)
            .map(|(_, tok)| tok.clone())
            .unwrap_or_default()
    }

    /// An API call as `tenant` (`None`: no token), scanned.
    pub fn api(
        &mut self,
        tenant: Option<&str>,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<HttpResponse, String> {
        let bearer = tenant.map(|t| format!("Bearer {}", self.token(t)));
        let mut all: Vec<(&str, &str)> = headers.to_vec();
        if let Some(b) = &bearer {
            all.push(("Authorization", b));
        }
        let response = http::request(self.fixture.service.addr(), method, path, &all, body)
            .map_err(|e| format!("{method} {path}: {e}"))?;
        self.scan
            .scan(Kind::Response, &format!("{method} {path}"), &response.raw());
        Ok(response)
    }

    /// A portal response (a download) as `tenant`, through a session
    /// cookie, scanned.
    pub fn fetch(&mut self, tenant: &str, path: &str) -> Result<HttpResponse, String> {
        let tenant_id: TenantId = tenant.parse().map_err(|_| "tenant".to_owned())?;
        let session = self
            .fixture
            .service
            .app()
            .start_session(&tenant_id)
            .map_err(|_| "portal session".to_owned())?;
        let cookie = format!("{}={session}", crate::auth::SESSION_COOKIE);
        let response = http::request(
            self.fixture.service.addr(),
            "GET",
            path,
            &[("Cookie", &cookie)],
            b"",
        )
        .map_err(|e| format!("GET {path}: {e}"))?;
        self.scan.scan(
            Kind::Response,
            &format!("GET {path} as {tenant}"),
            &response.raw(),
        );
        Ok(response)
    }

    /// A portal page as `tenant`: its HTML (through a session cookie) and
    /// its DOM in Chromium (signed in by a one-time ticket), both scanned;
    /// a full-page screenshot named `shot` if given.
    pub fn visit(&mut self, tenant: &str, path: &str, shot: Option<&str>) -> Result<Visit, String> {
        let tenant_id: TenantId = tenant.parse().map_err(|_| "tenant".to_owned())?;
        let app = self.fixture.service.app();
        let cookie = format!(
            "{}={}",
            crate::auth::SESSION_COOKIE,
            app.start_session(&tenant_id)
                .map_err(|_| "portal session".to_owned())?
        );
        let html = http::request(
            self.fixture.service.addr(),
            "GET",
            path,
            &[("Cookie", &cookie)],
            b"",
        )
        .map_err(|e| format!("GET {path}: {e}"))?;
        self.scan.scan(
            Kind::Response,
            &format!("GET {path} as {tenant}"),
            &html.raw(),
        );
        let ticket_url = |app: &App| -> Result<String, String> {
            let ticket = app
                .mint_ticket(tenant_id.clone())
                .ok_or("tickets are off")?;
            Ok(self
                .fixture
                .service
                .url(&format!("/portal/ticket/{ticket}?next={path}")))
        };
        let dom = self
            .browser
            .dump_dom(&ticket_url(app)?)
            .map_err(|e| format!("chromium {path}: {e}"))?;
        self.scan.scan(
            Kind::Page,
            &format!("DOM of {path} as {tenant}"),
            dom.as_bytes(),
        );
        if let Some(name) = shot {
            let file = self.screenshots_dir.join(format!("{name}.png"));
            // Swagger UI lists every schema below the routes: tall enough
            // to show the session record's.
            let height = if path.starts_with("/api/docs") {
                4400
            } else {
                1400
            };
            self.browser
                .screenshot(&ticket_url(app)?, &file, height)
                .map_err(|e| format!("screenshot {path}: {e}"))?;
            self.screenshots.push(file);
        }
        Ok(Visit { dom, html })
    }

    /// Scans the service's log as it is now.
    pub fn scan_log(&mut self) {
        let log = self.fixture.log.contents();
        self.scan.scan(Kind::Other, "the service's log", &log);
    }

    /// The whole walkthrough: the three steps, then the five checklist
    /// lines, then the scan of the log; a report with PASS or FAIL per line.
    pub fn checklist(&mut self) -> Report {
        let mut report = Report::default();
        let steps: [(&str, Step<'a>); 8] = [
            (
                "Step 1: /api/docs shows only encryption_key_ref metadata",
                Self::step_api_docs,
            ),
            (
                "Step 2: the portal shows no key material (settings, exports, audit)",
                Self::step_portal,
            ),
            (
                "Checklist 1: keys are referenced by tenant / purpose / version",
                Self::line_references,
            ),
            (
                "Checklist 2: a key reference is metadata, never authorization",
                Self::line_not_authorization,
            ),
            (
                "Checklist 3: disabled keys fail closed",
                Self::line_fail_closed,
            ),
            (
                "Checklist 5: bring-your-own-key comes later and must be additive",
                Self::line_byok,
            ),
            ("Step 3: screenshots as evidence", Self::step_screenshots),
            (
                "Checklist 4: key material never appears in logs, APIs, audit records, the UI or exports",
                Self::line_no_material,
            ),
        ];
        for (title, step) in steps {
            let outcome = step(self);
            report.lines.push(Line::new(title, outcome));
        }
        report.screenshots.clone_from(&self.screenshots);
        report.pages = self.scan.pages;
        report.responses = self.scan.responses;
        report.bytes = self.scan.bytes;
        report.canaries = self.scan.canaries();
        report.leaks.clone_from(&self.scan.leaks);
        report
    }
}
