//! `key-model-audit PATH [--json]`: lists every escape hatch of key-model in
//! a tree of Rust sources (docs/guarantees.md, G9).
//!
//! A grep reads lines; this reads Rust. Each `.rs` file under `PATH` is
//! parsed with syn and walked whole (nested modules, function bodies,
//! `const _: () = { ... }` blocks, `#[cfg]`'d items), so comments, line
//! breaks and raw identifiers between tokens never hide a finding, and a
//! trait renamed by `use ... as` is followed to its real name. Token streams
//! that syn does not parse as items (macro bodies, macro arguments,
//! attribute arguments, syntax syn keeps verbatim) are scanned as tokens.
//! A file that does not parse is itself a finding, never a silent skip.
//! A file named by `#[path = "..."]` or `include!("...")` is audited too,
//! whatever its extension and wherever it is (`follow.rs`).
//!
//! Output: one line per finding, `FILE:LINE: KIND: TEXT`, sorted by file and
//! line, or with `--json` a JSON array of objects with `file`, `line`,
//! `kind`, `trait`, `type` and `text`. Exit status: 0 after a complete
//! audit (findings or not), 2 on a usage error, 1 when the output cannot be
//! written.
#![forbid(unsafe_code)]

mod audit;
mod finding;
mod follow;
mod names;
mod render;
mod tokens;
mod walk;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: key-model-audit [--json] PATH\n\
\n\
Lists every hand-written impl of key-model's marker traits (SecretFree,\n\
ApiDto, EventDto, ExportDto, AuditDto) and plug points (RootKey, KeyStore),\n\
every TenantScope::authorized_by_host, every rename of these names, every\n\
macro body that mentions them, and every file that does not parse, in the\n\
.rs files under PATH (a directory, target/ and .git skipped, or one file)\n\
and in every file they name by #[path] or include!.\n";

/// What the command line asks for.
struct Args {
    root: PathBuf,
    json: bool,
}

/// Parses the arguments after the program name; `Err` is the message of a
/// usage error, `Ok(None)` a request for help.
fn parse_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Option<Args>, String> {
    let mut json = false;
    let mut root = None;
    let mut only_paths = false;
    for arg in args {
        let text = arg.to_string_lossy();
        if !only_paths && text.starts_with('-') {
            match &*text {
                "--json" => json = true,
                "-h" | "--help" => return Ok(None),
                "--" => only_paths = true,
                _ => return Err(format!("unknown option `{text}`")),
            }
        } else if root.is_some() {
            return Err(format!("one PATH only, and `{text}` is a second one"));
        } else {
            root = Some(PathBuf::from(arg));
        }
    }
    let root = root.ok_or_else(|| "missing PATH".to_owned())?;
    if !root.exists() {
        return Err(format!("no such file or directory: {}", root.display()));
    }
    Ok(Some(Args { root, json }))
}

/// The stack of each audit thread. syn's parser and the visitor recurse
/// once per level of nesting; generated code in a vendored crate can nest
/// deeper than a default 2 MiB thread stack allows.
const STACK_BYTES: usize = 256 << 20;

/// Audits `entries` on one thread per core (a `cargo vendor` tree holds
/// thousands of files), or `None` if a thread could not start or died.
fn audit_all(entries: &[walk::Entry]) -> Option<Vec<finding::Finding>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|k| {
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, move || {
                        entries
                            .iter()
                            .skip(k)
                            .step_by(threads)
                            .flat_map(audit::audit_file)
                            .collect::<Vec<_>>()
                    })
            })
            .collect();
        let mut findings = Vec::new();
        for worker in workers {
            findings.extend(worker.ok()?.join().ok()?);
        }
        Some(findings)
    })
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args_os().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            let usage = USAGE.lines().next().unwrap_or_default();
            eprintln!("key-model-audit: {message}\n{usage}");
            return ExitCode::from(2);
        }
    };
    let Some(mut findings) = audit_all(&walk::rust_files(&args.root)) else {
        eprintln!("key-model-audit: an audit thread failed; the audit is incomplete");
        return ExitCode::from(1);
    };
    finding::sort(&mut findings);
    // A file both walked and named by a `#[path]` or `include!` elsewhere
    // was audited twice: once is enough.
    findings
        .dedup_by(|a, b| (&a.file, a.line, a.kind, &a.text) == (&b.file, b.line, b.kind, &b.text));
    let out = if args.json {
        finding::to_json(&findings)
    } else {
        finding::to_text(&findings)
    };
    // Not `print!`: a closed pipe is an error to report, not a panic.
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("key-model-audit: cannot write the output: {error}");
            ExitCode::from(1)
        }
    }
}
