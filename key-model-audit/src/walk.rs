//! Finds the `.rs` files to audit.
//!
//! `std::fs::read_dir` recursion is all this needs: no globs, no ignore
//! files (an audit must not honour a `.gitignore` that hides a file), two
//! directory names skipped. A crate like walkdir would add a dependency to a
//! security tool for twenty lines.

use std::path::{Path, PathBuf};

/// One file to audit, or a directory that could not be listed (itself a
/// finding: the audit of that directory is incomplete).
pub(crate) struct Entry {
    /// The path relative to the audited root, `/`-separated.
    pub(crate) rel: String,
    /// The path to open.
    pub(crate) path: PathBuf,
    /// Why the directory at `path` could not be listed, if it could not.
    pub(crate) unreadable_dir: Option<String>,
}

/// Directories never audited: build output, and git's own store.
pub(crate) const SKIPPED_DIRS: [&str; 2] = ["target", ".git"];

/// Every `.rs` file under `root` (or `root` itself, if it is a file), with
/// the directories that could not be read, in no particular order.
///
/// Symbolic links to directories are not followed (a link cycle would never
/// end, and `cargo vendor` writes none); links to files are audited.
pub(crate) fn rust_files(root: &Path) -> Vec<Entry> {
    let mut entries = Vec::new();
    if root.is_dir() {
        visit_dir(root, root, &mut entries);
    } else {
        let rel = root.file_name().map_or_else(
            || root.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        entries.push(Entry {
            rel,
            path: root.to_owned(),
            unreadable_dir: None,
        });
    }
    entries
}

fn visit_dir(root: &Path, dir: &Path, entries: &mut Vec<Entry>) {
    let unreadable = |error: std::io::Error| Entry {
        rel: relative(root, dir),
        path: dir.to_owned(),
        unreadable_dir: Some(error.to_string()),
    };
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(error) => return entries.push(unreadable(error)),
    };
    for item in listing {
        let item = match item {
            Ok(item) => item,
            Err(error) => {
                entries.push(unreadable(error));
                continue;
            }
        };
        let path = item.path();
        let Ok(file_type) = item.file_type() else {
            entries.push(unreadable(std::io::Error::other(format!(
                "cannot stat {}",
                path.display()
            ))));
            continue;
        };
        if file_type.is_dir() {
            if !SKIPPED_DIRS
                .iter()
                .any(|skipped| item.file_name() == *skipped)
            {
                visit_dir(root, &path, entries);
            }
        } else if path.extension().is_some_and(|ext| ext == "rs")
            && (file_type.is_file() || path.is_file())
        {
            entries.push(Entry {
                rel: relative(root, &path),
                path,
                unreadable_dir: None,
            });
        }
    }
}

/// `path` relative to `root`, with `/` between components on every
/// platform, so the output is the same everywhere.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}
