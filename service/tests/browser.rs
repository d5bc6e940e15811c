//! The portal and `/api/docs` in a real browser (Debian's Chromium,
//! headless, over the `DevTools` protocol): the VN-12 walkthrough passes
//! with every key a canary and zero leaks, a deliberately leaking page is
//! caught in the service's response, in what the browser received and in
//! the DOM, and a page longer than the viewport is screenshot whole.

use std::fmt::Write as _;
use std::path::PathBuf;

use axum::response::Html;
use axum::routing::get;
use key_model::KeyRef;
use key_model_service::evidence::browser::{VIEWPORT, png_size};
use key_model_service::evidence::{self, Fixture, Walk};

fn evidence_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/evidence")
}

#[test]
fn the_walkthrough_passes_in_chromium_with_zero_leaks() {
    let out = evidence_dir();
    let report = evidence::run(&out).expect("the walkthrough runs");
    println!("{}", report.summary());
    assert!(report.passed(), "{}", report.summary());
    assert!(report.leaks.is_empty());
    assert!(
        report.pages >= 15 && report.responses >= 30,
        "{}",
        report.summary()
    );
    // The browser's own responses are scanned too: the pages, their
    // redirects, styles, Swagger UI's scripts and `openapi.json`.
    assert!(report.browser_responses >= 30, "{}", report.summary());
    for shot in &report.screenshots {
        let (width, height) = png_size(&std::fs::read(shot).unwrap()).expect("a PNG");
        println!("screenshot: {} ({width}x{height})", shot.display());
        assert_eq!(width, VIEWPORT.0, "{}", shot.display());
    }
    // /api/docs with the session operation and its schema expanded, and
    // every model below it: far longer than one viewport, and whole.
    let docs = out.join("screenshots/api-docs.png");
    let (_, height) = png_size(&std::fs::read(&docs).unwrap()).unwrap();
    assert!(height > 3 * VIEWPORT.1, "api-docs.png is {height} px high");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert_eq!(md.matches("## PASS: Checklist").count(), 5, "{md}");
    assert!(out.join("report.html").exists());
    println!("report: {}", out.join("report.md").display());
}

#[test]
fn a_deliberately_leaking_page_is_caught() {
    let victim: KeyRef = "tenants/acme/keys/ssh-session-recording/versions/1"
        .parse()
        .unwrap();
    let fixture = Fixture::start(|canaries| {
        // A test-only page that shows a key's material in hex: the bug the
        // scan exists to catch.
        let hex = canaries
            .canary_for(&victim)
            .bytes()
            .iter()
            .fold(String::new(), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            });
        axum::Router::new().route(
            "/portal/leak",
            get(move || async move { Html(format!("<p>debug: {hex}</p>")) }),
        )
    })
    .unwrap();
    let scratch = std::env::temp_dir().join(format!("km-leak-{}", std::process::id()));
    let mut walk = Walk::new(&fixture, &scratch).unwrap();
    walk.visit("acme", "/portal/settings", None).unwrap();
    assert!(walk.scan.leaks.is_empty(), "{:?}", walk.scan.leaks);
    walk.visit("acme", "/portal/leak", None).unwrap();
    // Caught three times: in the response to the walkthrough's own
    // request, in the response the browser received, and in the DOM.
    assert_eq!(walk.scan.leaks.len(), 3, "{:?}", walk.scan.leaks);
    for (n, source) in [
        "GET /portal/leak as acme",
        "browser as acme: GET ",
        "DOM of /portal/leak",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            walk.scan.leaks[n].starts_with(source),
            "{:?}",
            walk.scan.leaks
        );
    }
    assert!(
        walk.scan
            .leaks
            .iter()
            .all(|l| l.contains(&victim.to_string())),
        "{:?}",
        walk.scan.leaks
    );
    let _ = std::fs::remove_dir_all(scratch);
}

#[test]
fn a_page_longer_than_the_viewport_is_screenshot_whole() {
    let fixture = Fixture::start(|_| axum::Router::new()).unwrap();
    let scratch = std::env::temp_dir().join(format!("km-long-{}", std::process::id()));
    let mut walk = Walk::new(&fixture, &scratch).unwrap();
    // A full first page of the session list: 20 rows, plus the navigation
    // bar and the pager, is longer than one viewport.
    for n in 0..20 {
        let upload = walk
            .api(
                Some("acme"),
                "POST",
                "/api/ssh-sessions",
                &[("Content-Type", "application/octet-stream")],
                format!("$ echo {n}\n{n}\n").as_bytes(),
            )
            .unwrap();
        assert_eq!(upload.status, 201, "{}", upload.text());
    }
    let visit = walk
        .visit("acme", "/portal/sessions", Some("long-sessions"))
        .unwrap();
    let page_height = walk
        .browser
        .evaluate("document.documentElement.scrollHeight")
        .unwrap()
        .as_u64()
        .unwrap();
    let png = std::fs::read(scratch.join("screenshots/long-sessions.png")).unwrap();
    let (width, height) = png_size(&png).expect("a PNG");
    assert_eq!(visit.shot, Some((width, height)));
    assert_eq!(width, VIEWPORT.0);
    assert!(
        height > VIEWPORT.1,
        "the screenshot is {height} px high, the viewport {} px",
        VIEWPORT.1
    );
    // The whole page, not a taller cut: the PNG is the page's height.
    assert_eq!(u64::from(height), page_height);
    assert!(walk.scan.leaks.is_empty(), "{:?}", walk.scan.leaks);
    let _ = std::fs::remove_dir_all(scratch);
}

#[test]
fn a_request_off_the_service_is_reported_and_goes_nowhere() {
    // A test-only page (outside the portal's content security policy) that
    // loads an image from another host: the walkthrough reports the
    // request, and it fails on loopback (the dead local proxy every other
    // address goes through; were that flag lost, the resolver rules that
    // resolve no name), reaching no other address.
    let fixture = Fixture::start(|_| {
        axum::Router::new().route(
            "/portal/away",
            get(|| async { Html("<p>away</p><img src=\"http://example.invalid/pixel.png\">") }),
        )
    })
    .unwrap();
    let scratch = std::env::temp_dir().join(format!("km-away-{}", std::process::id()));
    let mut walk = Walk::new(&fixture, &scratch).unwrap();
    walk.visit("acme", "/portal/settings", None).unwrap();
    assert_eq!(walk.requests_off_the_service(), Vec::<String>::new());
    walk.visit("acme", "/portal/away", None).unwrap();
    assert_eq!(
        walk.requests_off_the_service(),
        vec!["http://example.invalid/pixel.png".to_owned()]
    );
    let failures = walk.browser.failures();
    assert!(
        failures.iter().any(|f| f
            == "http://example.invalid/pixel.png: net::ERR_PROXY_CONNECTION_FAILED"
            || f == "http://example.invalid/pixel.png: net::ERR_NAME_NOT_RESOLVED"),
        "{failures:?}"
    );
    let _ = std::fs::remove_dir_all(scratch);
}
