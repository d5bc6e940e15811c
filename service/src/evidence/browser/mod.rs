//! Debian's Chromium, headless, driven over the `DevTools` protocol: one
//! browser process per walkthrough with a throwaway profile, one page in
//! it. It opens a page and waits for it to load and go quiet, clicks and
//! reads the DOM through `Runtime.evaluate`, takes true full-page
//! screenshots, and hands over every HTTP response it received (status
//! line, headers and body) for the leak scan. `scripts/install-test-deps.sh`
//! installs Chromium.
//!
//! Chromium listens for `DevTools` on 127.0.0.1 only, on a port it picks
//! (`--remote-debugging-port=0`, read back from `DevToolsActivePort` in the
//! profile), and cannot reach any other address: every host name resolves
//! to nothing and every other connection goes to a dead local proxy.

mod cdp;
mod network;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

use cdp::Cdp;
pub use network::Captured;

/// Where Debian installs it.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The viewport every page is laid out in, in CSS pixels; a full-page
/// screenshot of a longer page is taller than this.
pub const VIEWPORT: (u32, u32) = (1280, 900);

/// The tallest screenshot taken (Chromium's texture limit is near it); a
/// longer page is cut there.
pub const MAX_SCREENSHOT_HEIGHT: u32 = 16_384;

/// How long a page may take to load, and to go quiet after its load event.
const LOAD_TIMEOUT: Duration = Duration::from_secs(30);
const QUIET: Duration = Duration::from_millis(250);
const QUIET_TIMEOUT: Duration = Duration::from_secs(10);

/// The flags that keep Chromium on loopback and quiet: no background
/// requests, component updates, sync, first-run pages or crash reports;
/// every host name but the loopback address resolves to nothing, and any
/// other connection goes through a proxy at a local port that is never
/// served (loopback itself bypasses proxies).
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-breakpad",
    "--disable-domain-reliability",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
    "--hide-scrollbars",
    "about:blank",
];

/// A headless Chromium and its one page. Killed on drop.
#[derive(Debug)]
pub struct Browser {
    child: Child,
    cdp: Cdp,
}

impl Browser {
    /// Starts Chromium at [`CHROMIUM`] with a fresh profile under
    /// `scratch`; an error that says how to install it if it is missing.
    pub fn launch(scratch: &Path) -> io::Result<Browser> {
        if !Path::new(CHROMIUM).exists() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "chromium is not installed: run scripts/install-test-deps.sh (apt-get install -y chromium)",
            ));
        }
        let profile = scratch.join("chromium-profile");
        std::fs::create_dir_all(&profile)?;
        let port_file = profile.join("DevToolsActivePort");
        // A file left by an earlier browser would name a dead port.
        let _ = std::fs::remove_file(&port_file);
        let mut child = Command::new(CHROMIUM)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let endpoint = match wait_for_endpoint(&mut child, &port_file) {
            Ok(endpoint) => endpoint,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        };
        let cdp = match Cdp::connect(endpoint.0, &endpoint.1) {
            Ok(cdp) => cdp,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        };
        let mut browser = Browser { child, cdp };
        browser.attach()?;
        Ok(browser)
    }

    /// Opens a page target, attaches to it (one flattened session), and
    /// turns on the domains the walkthrough reads.
    fn attach(&mut self) -> io::Result<()> {
        let target = self
            .cdp
            .call("Target.createTarget", &json!({ "url": "about:blank" }))?;
        let session = self.cdp.call(
            "Target.attachToTarget",
            &json!({ "targetId": target["targetId"], "flatten": true }),
        )?;
        self.cdp.session = Some(
            session["sessionId"]
                .as_str()
                .ok_or_else(|| io::Error::other("no DevTools session"))?
                .to_owned(),
        );
        self.cdp.call("Page.enable", &json!({}))?;
        // Buffers big enough to keep every body of a page (Swagger UI's
        // bundle is the largest, about 1.5 MB) until it is read.
        self.cdp.call(
            "Network.enable",
            &json!({ "maxTotalBufferSize": 256 << 20, "maxResourceBufferSize": 64 << 20 }),
        )?;
        self.cdp.call(
            "Emulation.setDeviceMetricsOverride",
            &json!({ "width": VIEWPORT.0, "height": VIEWPORT.1, "deviceScaleFactor": 1, "mobile": false }),
        )?;
        Ok(())
    }

    /// Navigates to `url` and waits for its load event and then for the
    /// network to be quiet (a page's scripts may fetch more after load).
    pub fn open(&mut self, url: &str) -> io::Result<()> {
        let loads = self.cdp.loads;
        let navigation = self.cdp.call("Page.navigate", &json!({ "url": url }))?;
        if let Some(error) = navigation["errorText"].as_str() {
            return Err(io::Error::other(format!("navigation failed: {error}")));
        }
        let loaded = self
            .cdp
            .wait(Instant::now() + LOAD_TIMEOUT, |c| c.loads > loads)?;
        if !loaded {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("the page did not load within {LOAD_TIMEOUT:?}"),
            ));
        }
        self.settle()
    }

    /// Waits until no request is in flight and none has started or ended
    /// for [`QUIET`].
    fn settle(&mut self) -> io::Result<()> {
        let quiet = self.cdp.wait(Instant::now() + QUIET_TIMEOUT, |c| {
            c.network.idle() && c.network.last_event.is_none_or(|t| t.elapsed() >= QUIET)
        })?;
        if quiet {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("the page's network was not quiet within {QUIET_TIMEOUT:?}"),
            ))
        }
    }

    /// The value of the JavaScript `expression` in the page.
    pub fn evaluate(&mut self, expression: &str) -> io::Result<Value> {
        let result = self.cdp.call(
            "Runtime.evaluate",
            &json!({ "expression": expression, "returnByValue": true }),
        )?;
        if let Some(exception) = result.get("exceptionDetails") {
            return Err(io::Error::other(format!(
                "script failed: {}",
                exception["exception"]["description"]
                    .as_str()
                    .or(exception["text"].as_str())
                    .unwrap_or("exception")
            )));
        }
        Ok(result["result"]["value"].clone())
    }

    /// Evaluates `condition` every 100 ms until it is `true`; whether it
    /// became so within `timeout`.
    pub fn wait_until(&mut self, condition: &str, timeout: Duration) -> io::Result<bool> {
        let deadline = Instant::now() + timeout;
        loop {
            if self.evaluate(condition)? == Value::Bool(true) {
                return Ok(true);
            }
            if Instant::now() >= deadline {
                return Ok(false);
            }
            // Handles events meanwhile (the page may be fetching).
            self.cdp
                .wait(Instant::now() + Duration::from_millis(100), |_| false)?;
        }
    }

    /// Clicks the first element matching the CSS `selector`, then waits for
    /// the page to be quiet; an error if nothing matches.
    pub fn click(&mut self, selector: &str) -> io::Result<()> {
        let selector_js = Value::String(selector.to_owned());
        let clicked = self.evaluate(&format!(
            "(() => {{ const e = document.querySelector({selector_js}); if (!e) return false; e.scrollIntoView(); e.click(); return true; }})()"
        ))?;
        if clicked != Value::Bool(true) {
            return Err(io::Error::other(format!("nothing to click at {selector}")));
        }
        self.settle()
    }

    /// The page's HTML (`outerHTML` of the document) and its visible text
    /// (`innerText` of the body).
    pub fn dom(&mut self) -> io::Result<(String, String)> {
        let html = self.evaluate("document.documentElement.outerHTML")?;
        let text = self.evaluate("document.body ? document.body.innerText : ''")?;
        Ok((
            html.as_str().unwrap_or_default().to_owned(),
            text.as_str().unwrap_or_default().to_owned(),
        ))
    }

    /// A screenshot of the whole page (its content size, however long, up
    /// to [`MAX_SCREENSHOT_HEIGHT`]) into `file`; its width and height.
    pub fn screenshot(&mut self, file: &Path) -> io::Result<(u32, u32)> {
        let metrics = self.cdp.call("Page.getLayoutMetrics", &json!({}))?;
        let size = if metrics["cssContentSize"].is_object() {
            &metrics["cssContentSize"]
        } else {
            &metrics["contentSize"]
        };
        let width = css_pixels(&size["width"]).max(VIEWPORT.0);
        let height = css_pixels(&size["height"]).clamp(1, MAX_SCREENSHOT_HEIGHT);
        let shot = self.cdp.call(
            "Page.captureScreenshot",
            &json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 },
            }),
        )?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap_or_default())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let dimensions = png_size(&png)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "chromium sent no PNG"))?;
        std::fs::write(file, &png)?;
        Ok(dimensions)
    }

    /// Every HTTP response the page received since the last call, each
    /// with its body as the browser holds it.
    pub fn responses(&mut self) -> io::Result<Vec<Captured>> {
        self.settle()?;
        let mut out = std::mem::take(&mut self.cdp.network.complete);
        for (id, request) in std::mem::take(&mut self.cdp.network.finished) {
            let body = self
                .cdp
                .call("Network.getResponseBody", &json!({ "requestId": id }));
            out.push(match body {
                Ok(body) => {
                    let text = body["body"].as_str().unwrap_or_default();
                    if body["base64Encoded"].as_bool() == Some(true) {
                        match base64::engine::general_purpose::STANDARD.decode(text) {
                            Ok(bytes) => request.capture(&bytes, None),
                            Err(e) => request.capture(b"", Some(e.to_string())),
                        }
                    } else {
                        request.capture(text.as_bytes(), None)
                    }
                }
                Err(e) => request.capture(b"", Some(e.to_string())),
            });
        }
        Ok(out)
    }

    /// Every address the page requested during the run, in order.
    pub fn urls(&self) -> &[String] {
        &self.cdp.network.urls
    }

    /// The requests that failed during the run, with why.
    pub fn failures(&self) -> &[String] {
        &self.cdp.network.failures
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for Chromium to write the `DevTools` port and browser path into
/// `DevToolsActivePort`: the address to connect to and the path.
fn wait_for_endpoint(child: &mut Child, port_file: &Path) -> io::Result<(SocketAddr, String)> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait()? {
            return Err(io::Error::other(format!(
                "chromium exited at start ({status})"
            )));
        }
        if let Ok(text) = std::fs::read_to_string(port_file) {
            let mut lines = text.lines();
            if let (Some(port), Some(path)) = (lines.next(), lines.next())
                && let Ok(port) = port.trim().parse::<u16>()
            {
                return Ok((
                    SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
                    path.trim().to_owned(),
                ));
            }
        }
        if Instant::now() > deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "chromium did not open its DevTools port within 30 s",
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A CSS length from `DevTools`, rounded up to whole pixels.
fn css_pixels(value: &Value) -> u32 {
    let v = value.as_f64().unwrap_or(0.0).ceil();
    if v.is_finite() && v > 0.0 {
        // Bounded above by the clamp of the caller; `as` saturates.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let px = v.min(f64::from(u32::MAX)) as u32;
        px
    } else {
        0
    }
}

/// The width and height of a PNG, from its IHDR chunk (big-endian at
/// offsets 16 and 20); `None` if `png` is not one.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if !png.starts_with(b"\x89PNG\r\n\x1a\n") || png.get(12..16)? != b"IHDR" {
        return None;
    }
    let word = |at: usize| Some(u32::from_be_bytes(png.get(at..at + 4)?.try_into().ok()?));
    Some((word(16)?, word(20)?))
}
