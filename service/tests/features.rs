//! A production build of the service has no testing kit: without its
//! `evidence` feature (off by default), key-model's `testing` feature (leak
//! canaries, `EditableKeyStore`, the conformance suites) is not in the
//! service's normal dependency graph, nor the WebSocket client the evidence pack
//! drives Chromium with; with it, it is (so this test can
//! fail). Read from `cargo tree` over the locked graph: no build, no
//! network. `.ci/run` also builds `serve` and checks its binary.

use std::process::Command;

/// The service's normal (non-dev) graph, one `NAME vX [FEATURES]` line a
/// package, with `extra` arguments to `cargo tree`.
fn graph(extra: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = Command::new(cargo)
        .args(["tree", "--locked", "--offline", "--manifest-path", manifest])
        .args(["-p", "key-model-service", "-e", "normal,build"])
        .args(["--prefix", "none", "-f", "{p} [{f}]"])
        .args(extra)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The features key-model is built with in `text`, a [`graph`].
fn key_model_features(text: &str) -> Vec<String> {
    let line = text
        .lines()
        .find(|l| l.starts_with("key-model v"))
        .unwrap_or_else(|| panic!("no key-model in the service's graph:\n{text}"));
    let features = line.rsplit_once('[').unwrap().1.trim_end_matches(']');
    features.split(',').map(str::to_owned).collect()
}

#[test]
fn a_build_without_the_evidence_feature_has_no_testing_kit() {
    let production_graph = graph(&[]);
    let production = key_model_features(&production_graph);
    assert!(
        production.iter().any(|f| f == "axum"),
        "key-model's features not read: {production:?}"
    );
    assert!(
        !production.iter().any(|f| f == "testing"),
        "a default build of the service pulls key-model's testing kit: {production:?}"
    );
    // Nor the DevTools client the evidence pack drives Chromium with.
    assert!(
        !production_graph
            .lines()
            .any(|l| l.starts_with("tungstenite v")),
        "a default build of the service pulls the DevTools WebSocket client"
    );
    let evidence_graph = graph(&["--features", "evidence"]);
    assert!(
        evidence_graph
            .lines()
            .any(|l| l.starts_with("tungstenite v"))
    );
    let evidence = key_model_features(&evidence_graph);
    assert!(
        evidence.iter().any(|f| f == "testing"),
        "--features evidence does not bring key-model's testing kit: {evidence:?}"
    );
}
