//! A production build of the service has no testing kit: without its
//! `evidence` feature (off by default), key-model's `testing` feature (leak
//! canaries, `EditableKeyStore`, the conformance suites) is not in the
//! service's normal dependency graph; with it, it is (so this test can
//! fail). Read from `cargo tree` over the locked graph: no build, no
//! network. `.ci/run` also builds `serve` and checks its binary.

use std::process::Command;

/// The features key-model is built with for the service's normal
/// (non-dev) graph, with `extra` arguments to `cargo tree`.
fn key_model_features(extra: &[&str]) -> Vec<String> {
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
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("key-model v"))
        .unwrap_or_else(|| panic!("no key-model in the service's graph:\n{text}"));
    let features = line.rsplit_once('[').unwrap().1.trim_end_matches(']');
    features.split(',').map(str::to_owned).collect()
}

#[test]
fn a_build_without_the_evidence_feature_has_no_testing_kit() {
    let production = key_model_features(&[]);
    assert!(
        production.iter().any(|f| f == "axum"),
        "key-model's features not read: {production:?}"
    );
    assert!(
        !production.iter().any(|f| f == "testing"),
        "a default build of the service pulls key-model's testing kit: {production:?}"
    );
    let evidence = key_model_features(&["--features", "evidence"]);
    assert!(
        evidence.iter().any(|f| f == "testing"),
        "--features evidence does not bring key-model's testing kit: {evidence:?}"
    );
}
