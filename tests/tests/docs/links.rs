//! Every relative link in every Markdown file of the repository resolves:
//! to a file, and for `#anchor` to a heading of it.
//!
//! The link rules are GitHub's: a link is relative unless it has a scheme
//! (`https:`, `mailto:`); an anchor is a heading lower-cased, with
//! everything but letters, digits, spaces, `-` and `_` removed and spaces
//! turned into `-`, and `-1`, `-2`, ... added to repeats. Links inside code
//! (fenced blocks and `inline` spans) are not links and are skipped.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::repo_root;

/// Every `.md` file under `dir`, leaving out build output and hidden
/// directories.
fn markdown_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                markdown_files(&path, found);
            }
        } else if path.extension().is_some_and(|ext| ext == "md") {
            found.push(path);
        }
    }
}

/// The text outside code: fenced blocks dropped, inline code spans blanked.
fn prose_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            lines.push(String::new());
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            lines.push(String::new());
            continue;
        }
        // Blank out `code` spans (a run of backticks closed by the same run).
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(start) = rest.find('`') {
            out.push_str(&rest[..start]);
            let ticks = rest[start..].bytes().take_while(|b| *b == b'`').count();
            let after = &rest[start + ticks..];
            let closing = "`".repeat(ticks);
            if let Some(end) = after.find(&closing) {
                out.push_str(&" ".repeat(end + 2 * ticks));
                rest = &after[end + ticks..];
            } else {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
        out.push_str(rest);
        lines.push(out);
    }
    lines
}

/// The link targets of a Markdown text: inline `[text](target)` and
/// reference definitions `[label]: target`, with their line numbers.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in prose_lines(text).iter().enumerate() {
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            // `<target>` and a trailing `"title"` are Markdown syntax.
            let target = after[..end].split_whitespace().next().unwrap_or("");
            found.push((n + 1, target.trim_matches(['<', '>']).to_owned()));
            rest = &after[end..];
        }
        let trimmed = line.trim_start();
        if let Some(label_end) = trimmed.strip_prefix('[').and_then(|t| t.find("]:")) {
            let target = trimmed[label_end + 3..].split_whitespace().next();
            if let Some(target) = target {
                found.push((n + 1, target.to_owned()));
            }
        }
    }
    found
}

/// GitHub's anchor for a heading's text.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown text's headings, repeats numbered.
fn anchors(text: &str) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut found = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
        if fenced || !(1..=6).contains(&hashes) || !trimmed[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(&trimmed[hashes..].replace('`', ""));
        let count = seen.entry(base.clone()).or_insert(0);
        found.push(if *count == 0 {
            base
        } else {
            format!("{base}-{count}")
        });
        *count += 1;
    }
    found
}

/// What is wrong with `target`, a link in the file `from`, if anything.
fn broken(from: &Path, target: &str) -> Option<String> {
    let has_scheme = target.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphabetic())
    });
    if has_scheme {
        return None;
    }
    if target.is_empty() {
        return Some("empty link".into());
    }
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    };
    if path.starts_with('/') {
        return Some("absolute path: links must be relative".into());
    }
    let file = if path.is_empty() {
        from.to_path_buf()
    } else {
        normalize(&from.parent().unwrap().join(path))
    };
    if !file.exists() {
        return Some(format!("no such file: {}", file.display()));
    }
    let anchor = anchor?;
    if file.is_dir() {
        return Some("an anchor into a directory".into());
    }
    let text = fs::read_to_string(&file).ok()?;
    if anchors(&text).iter().any(|a| a == anchor) {
        None
    } else {
        Some(format!("no heading #{anchor} in {}", file.display()))
    }
}

/// `a/b/../c` as `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Every broken relative link in `files`, as `file:line: target: why`.
fn broken_links(files: &[PathBuf]) -> Vec<String> {
    let mut problems = Vec::new();
    for file in files {
        let text = fs::read_to_string(file).unwrap();
        for (line, target) in links(&text) {
            if let Some(why) = broken(file, &target) {
                problems.push(format!("{}:{line}: {target}: {why}", file.display()));
            }
        }
    }
    problems
}

#[test]
fn every_relative_link_in_the_docs_resolves() {
    let mut files = Vec::new();
    markdown_files(&repo_root(), &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("docs/vn-12.md")),
        "the validation-note mapping is missing"
    );
    let problems = broken_links(&files);
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_link_check_finds_broken_links_and_anchors() {
    let dir = std::env::temp_dir().join(format!("key-model-docs-check-{}", std::process::id()));
    fs::create_dir_all(dir.join("sub")).unwrap();
    let page = dir.join("sub/page.md");
    fs::write(
        dir.join("target.md"),
        "# The `SshSessionRecord`\n\n## Step 1: the API\n\n## Step 1: the API\n",
    )
    .unwrap();
    fs::write(
        &page,
        "# Page\n\
         [ok](../target.md) [ok](../target.md#the-sshsessionrecord) \
         [ok](../target.md#step-1-the-api-1) [ok](#page) [ok](https://example.invalid/x)\n\
         [gone](../missing.md) [bad anchor](../target.md#step-2) [self](#nothing)\n\
         `[in code](nowhere.md)`\n\
         ```\n[in a fence](nowhere.md)\n```\n\
         [ref]: ../also-missing.md\n",
    )
    .unwrap();
    let problems = broken_links(std::slice::from_ref(&page));
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(problems.len(), 4, "{problems:#?}");
    for (problem, expected) in problems.iter().zip([
        " ../missing.md",
        " ../target.md#step-2",
        " #nothing",
        " ../also-missing.md",
    ]) {
        assert!(
            problem.contains(expected),
            "{problem} should name {expected}"
        );
    }
    assert!(problems[0].contains("page.md:3: "), "{problems:#?}");
}

#[test]
fn anchors_follow_githubs_rules() {
    assert_eq!(
        anchors(
            "# G5 A key reference is metadata, never authorization\n# Step (1): `/api/docs`\n# a\n# a\n"
        ),
        [
            "g5-a-key-reference-is-metadata-never-authorization",
            "step-1-apidocs",
            "a",
            "a-1"
        ]
    );
}
