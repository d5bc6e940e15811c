//! The evidence pack (`key-model-service evidence OUT_DIR`): a service on a
//! temporary data directory with the demo data and canary keys (every
//! tenant key and the root key), the VN-12 walkthrough against it (its
//! three steps and five checklist lines, docs/vn-12.md) in a headless
//! Chromium, and `OUT_DIR/report.md` and `report.html` with PASS or FAIL
//! per line and its evidence.

pub mod browser;
pub mod http;
pub mod report;
pub mod scan;
pub mod walk;

use std::path::Path;

pub use report::Report;
pub use walk::{Fixture, Walk};

/// Runs the walkthrough and writes the pack into `out_dir`.
pub fn run(out_dir: &Path) -> Result<Report, String> {
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let fixture = Fixture::start(|_| axum::Router::new())?;
    let mut walk = Walk::new(&fixture, out_dir)?;
    let report = walk.checklist();
    report.write(out_dir).map_err(|e| format!("report: {e}"))?;
    Ok(report)
}
