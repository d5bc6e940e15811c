//! The report of the evidence pack: `report.md`, and `report.html` (the
//! same content, rendered with maud).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use maud::{DOCTYPE, html};

/// One line of the walkthrough: PASS with its evidence, or FAIL with why.
#[derive(Debug, Clone)]
pub struct Line {
    /// The step or checklist line.
    pub title: String,
    /// The evidence, or the failure.
    pub outcome: Result<Vec<String>, String>,
}

impl Line {
    /// A line.
    pub fn new(title: &str, outcome: Result<Vec<String>, String>) -> Line {
        Line {
            title: title.to_owned(),
            outcome,
        }
    }

    fn verdict(&self) -> &'static str {
        if self.outcome.is_ok() { "PASS" } else { "FAIL" }
    }
}

/// The whole report.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The steps and checklist lines.
    pub lines: Vec<Line>,
    /// The screenshots taken.
    pub screenshots: Vec<PathBuf>,
    /// Pages scanned.
    pub pages: usize,
    /// HTTP responses scanned.
    pub responses: usize,
    /// Of those, the responses the browser received.
    pub browser_responses: usize,
    /// Bytes scanned.
    pub bytes: usize,
    /// Canaries searched for.
    pub canaries: usize,
    /// Leaks found.
    pub leaks: Vec<String>,
}

const ADR: &str = "docs/adr/0001-per-tenant-platform-managed-keys.md";

impl Report {
    /// Whether every line passed.
    pub fn passed(&self) -> bool {
        !self.lines.is_empty() && self.lines.iter().all(|l| l.outcome.is_ok())
    }

    /// One line per step and the totals, for the terminal.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            let _ = writeln!(out, "{}  {}", line.verdict(), line.title);
            if let Err(why) = &line.outcome {
                let _ = writeln!(out, "      {why}");
            }
        }
        let _ = writeln!(
            out,
            "scan: {} pages, {} responses ({} in the browser), {} bytes, {} canaries, {} leaks",
            self.pages,
            self.responses,
            self.browser_responses,
            self.bytes,
            self.canaries,
            self.leaks.len()
        );
        for shot in &self.screenshots {
            let _ = writeln!(out, "screenshot: {}", shot.display());
        }
        out
    }

    /// The Markdown report.
    pub fn markdown(&self) -> String {
        let mut md = String::from("# VN-12 evidence pack\n\n");
        let _ = writeln!(
            md,
            "Produced by `key-model-service evidence` against a live service with canary keys. Decision validated: [ADR 0001]({ADR}); where each line is checked: docs/vn-12.md.\n"
        );
        let _ = writeln!(
            md,
            "Overall: **{}**\n",
            if self.passed() { "PASS" } else { "FAIL" }
        );
        md.push_str("| result | line |\n|---|---|\n");
        for l in &self.lines {
            let _ = writeln!(md, "| {} | {} |", l.verdict(), l.title);
        }
        for l in &self.lines {
            let _ = writeln!(md, "\n## {}: {}\n", l.verdict(), l.title);
            match &l.outcome {
                Ok(evidence) => evidence.iter().for_each(|e| {
                    let _ = writeln!(md, "- {e}");
                }),
                Err(why) => {
                    let _ = writeln!(md, "- failed: {why}");
                }
            }
        }
        md.push_str("\n## Scan totals\n\n| pages | responses (of which the browser's) | bytes scanned | canaries | leaks found |\n|---|---|---|---|---|\n");
        let _ = writeln!(
            md,
            "| {} | {} ({}) | {} | {} | {} |",
            self.pages,
            self.responses,
            self.browser_responses,
            self.bytes,
            self.canaries,
            self.leaks.len()
        );
        for leak in &self.leaks {
            let _ = writeln!(md, "\n- leak: {leak}");
        }
        md.push_str("\n## Screenshots\n\n");
        for shot in &self.screenshots {
            let name = shot.file_name().unwrap_or_default().to_string_lossy();
            let _ = writeln!(md, "![{name}](screenshots/{name})\n");
        }
        md
    }

    /// The HTML copy.
    pub fn html(&self) -> String {
        html! {
            (DOCTYPE)
            html lang="en" {
                head { meta charset="utf-8"; title { "VN-12 evidence pack" } }
                body style="font-family: sans-serif; max-width: 70rem; margin: auto" {
                    h1 { "VN-12 evidence pack" }
                    p { "Decision validated: " a href={ "../../" (ADR) } { "ADR 0001" } "; where each line is checked: docs/vn-12.md." }
                    p { "Overall: " strong { @if self.passed() { "PASS" } @else { "FAIL" } } }
                    @for l in &self.lines {
                        h2 { (l.verdict()) ": " (l.title) }
                        ul {
                            @match &l.outcome {
                                Ok(evidence) => { @for e in evidence { li { (e) } } }
                                Err(why) => { li { "failed: " (why) } }
                            }
                        }
                    }
                    h2 { "Scan totals" }
                    table border="1" cellpadding="4" {
                        tr { th { "pages" } th { "responses (of which the browser's)" } th { "bytes scanned" } th { "canaries" } th { "leaks found" } }
                        tr { td { (self.pages) } td { (self.responses) " (" (self.browser_responses) ")" } td { (self.bytes) } td { (self.canaries) } td { (self.leaks.len()) } }
                    }
                    h2 { "Screenshots" }
                    @for shot in &self.screenshots {
                        @let name = shot.file_name().unwrap_or_default().to_string_lossy();
                        h3 { (name) }
                        img src={ "screenshots/" (name) } style="max-width: 100%; border: 1px solid #ccc" alt=(name);
                    }
                }
            }
        }
        .into_string()
    }

    /// Writes `report.md` and `report.html` into `dir`.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::write(dir.join("report.md"), self.markdown())?;
        std::fs::write(dir.join("report.html"), self.html())
    }
}
