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
    /// The DOM after load (and after the walkthrough's clicks), as HTML.
    pub dom: String,
    /// The visible text of the page then (`innerText`).
    pub text: String,
    /// The HTML response.
    pub html: HttpResponse,
    /// The full-page screenshot's size, if one was taken.
    pub shot: Option<(u32, u32)>,
}

/// What a visit does in the loaded page before its DOM is read and its
/// screenshot taken (clicks, and checks of what they showed).
pub type Interact<'b> = &'b mut dyn FnMut(&mut Browser) -> Result<(), String>;

/// The walkthrough over a fixture: every output it sees is scanned.
#[derive(Debug)]
pub struct Walk<'a> {
    fixture: &'a Fixture,
    /// The one Chromium of the walk.
    pub browser: Browser,
    /// The scan so far.
    pub scan: Scan,
    screenshots_dir: PathBuf,
    /// Every screenshot taken, in order.
    pub screenshots: Vec<PathBuf>,
    /// Browser responses whose body could not be read (unscanned).
    pub unread: Vec<String>,
}

impl<'a> Walk<'a> {
    /// A walk whose screenshots go to `out_dir/screenshots`.
    pub fn new(fixture: &'a Fixture, out_dir: &Path) -> Result<Walk<'a>, String> {
        let screenshots_dir = out_dir.join("screenshots");
        std::fs::create_dir_all(&screenshots_dir).map_err(|e| format!("screenshots: {e}"))?;
        let browser = Browser::launch(&fixture.dir).map_err(|e| e.to_string())?;
        Ok(Walk {
            fixture,
            browser,
            scan: Scan::new(fixture.canaries.clone()),
            screenshots_dir,
            screenshots: Vec::new(),
            unread: Vec::new(),
        })
    }

    /// The service's address as the browser sees it (`http://127.0.0.1:PORT`).
    pub fn origin(&self) -> String {
        self.fixture.service.url("")
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
    /// its DOM in Chromium (signed in by a one-time ticket), both scanned,
    /// with every response the browser received for it; a full-page
    /// screenshot named `shot` if given.
    pub fn visit(&mut self, tenant: &str, path: &str, shot: Option<&str>) -> Result<Visit, String> {
        self.visit_with(tenant, path, shot, &mut |_| Ok(()))
    }

    /// [`Walk::visit`], with `interact` run in the loaded page before the
    /// DOM is read and the screenshot taken.
    pub fn visit_with(
        &mut self,
        tenant: &str,
        path: &str,
        shot: Option<&str>,
        interact: Interact<'_>,
    ) -> Result<Visit, String> {
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
        let ticket = app.mint_ticket(tenant_id).ok_or("tickets are off")?;
        let url = self
            .fixture
            .service
            .url(&format!("/portal/ticket/{ticket}?next={path}"));
        let outcome = self
            .browser
            .open(&url)
            .map_err(|e| format!("chromium {path}: {e}"))
            .and_then(|()| interact(&mut self.browser));
        // Whatever happened in the page, what the browser received is
        // scanned.
        self.scan_browser_responses(tenant)?;
        let (dom, text, shot) = outcome.and_then(|()| {
            let (dom, text) = self
                .browser
                .dom()
                .map_err(|e| format!("chromium {path}: {e}"))?;
            let size = match shot {
                Some(name) => {
                    let file = self.screenshots_dir.join(format!("{name}.png"));
                    let size = self
                        .browser
                        .screenshot(&file)
                        .map_err(|e| format!("screenshot {path}: {e}"))?;
                    self.screenshots.push(file);
                    Some(size)
                }
                None => None,
            };
            Ok((dom, text, size))
        })?;
        // The HTML and the visible text of one visit: one page.
        let mut rendered = dom.clone().into_bytes();
        rendered.push(b'\n');
        rendered.extend_from_slice(text.as_bytes());
        self.scan
            .scan(Kind::Page, &format!("DOM of {path} as {tenant}"), &rendered);
        Ok(Visit {
            dom,
            text,
            html,
            shot,
        })
    }

    /// Scans every response the browser received since the last call;
    /// one whose body it no longer holds is noted as unread.
    fn scan_browser_responses(&mut self, tenant: &str) -> Result<(), String> {
        let responses = self
            .browser
            .responses()
            .map_err(|e| format!("chromium responses: {e}"))?;
        for r in responses {
            let what = format!("browser as {tenant}: {}", redact_ticket(&r.what));
            if let Some(why) = &r.body_missing {
                self.unread.push(format!("{what}: {why}"));
            }
            self.scan.scan(Kind::Browser, &what, &r.raw);
        }
        Ok(())
    }

    /// Every address the browser requested in the run that is not the
    /// service's; `data:` addresses (inline images, decoded in place with
    /// no connection) are not requests to anyone.
    pub fn requests_off_the_service(&self) -> Vec<String> {
        let origin = format!("{}/", self.origin());
        self.browser
            .urls()
            .iter()
            .filter(|u| !u.starts_with(&origin) && !u.starts_with("data:"))
            .cloned()
            .collect()
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
        report.browser_responses = self.scan.browser_responses;
        report.bytes = self.scan.bytes;
        report.canaries = self.scan.canaries();
        report.leaks.clone_from(&self.scan.leaks);
        report
    }
}

/// `what` with the one-time ticket of a `/portal/ticket/...` address cut
/// out: a spent ticket signs nobody in, but a report names no credential.
fn redact_ticket(what: &str) -> String {
    match what.split_once("/portal/ticket/") {
        Some((head, tail)) => {
            let rest = tail.find(['?', ' ']).map_or("", |i| &tail[i..]);
            format!("{head}/portal/ticket/…{rest}")
        }
        None => what.to_owned(),
    }
}
