//! The portal and `/api/docs` in a real browser (Debian's Chromium,
//! headless): the VN-12 walkthrough passes with every key a canary and
//! zero leaks, and a deliberately leaking page is caught.

use std::fmt::Write as _;
use std::path::PathBuf;

use axum::response::Html;
use axum::routing::get;
use key_model::KeyRef;
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
    for shot in &report.screenshots {
        println!("screenshot: {}", shot.display());
        assert!(std::fs::read(shot).unwrap().starts_with(b"\x89PNG"));
    }
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
    // Caught twice: in the HTTP response and in the rendered DOM.
    assert_eq!(walk.scan.leaks.len(), 2, "{:?}", walk.scan.leaks);
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
