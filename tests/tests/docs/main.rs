//! The design record checks itself: what the docs say is what the
//! repository holds.
//!
//! - `links`: every relative link in every Markdown file resolves.
//! - `record`: one `SshSessionRecord` shape everywhere it is written.
//! - `walkthrough_checks`: each `ok:` check of the walkthrough example fails
//!   on the output it exists to catch.

use std::path::{Path, PathBuf};

mod links;
mod record;
mod walkthrough_checks;

// The example's `main` is not called here; its checks and `run` are.
#[allow(dead_code, unreachable_pub)]
#[path = "../../../key-model/examples/walkthrough.rs"]
mod walkthrough;

/// The workspace root, where the Markdown files and the example live.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace root")
        .to_path_buf()
}
