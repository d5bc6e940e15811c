//! Several instances on one PostgreSQL (`serve --database postgres://...`):
//! two `serve` processes share keys (key-model's `PostgresKeyStore`) and
//! records; an upload through one is read and played back through the
//! other, a portal session started on one is honoured by the other, and an
//! operator rotation and a disable made through the command line reach
//! both within the key ring's cache lifetime (1 s), measured and printed.
//!
//! The PostgreSQL cluster is a throwaway one on 127.0.0.1
//! (`key_model_tests::postgres`); not installed is a failure that says
//! `bash scripts/install-test-deps.sh`, never a skip.

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use key_model_service::evidence::http::{HttpResponse, request};
use key_model_service::records::random_text;
use key_model_tests::postgres::Cluster;

mod support;

use support::{Serve, operator};

/// The ring's default cache lifetime: the documented bound on how late a
/// change made elsewhere is seen (docs/key-model.md).
const BOUND: Duration = Duration::from_secs(1);

/// What the test allows on a loaded machine on top of the bound: the poll
/// interval, a process start and a request.
const SLACK: Duration = Duration::from_secs(2);

const RECORDING: &str = "tenants/acme/keys/ssh-session-recording";

struct Dirs(Vec<PathBuf>);

impl Drop for Dirs {
    fn drop(&mut self) {
        for d in &self.0 {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

fn call(addr: SocketAddr, token: &str, method: &str, path: &str, body: &[u8]) -> HttpResponse {
    let bearer = format!("Bearer {token}");
    let headers = [
        ("Authorization", bearer.as_str()),
        ("Content-Type", "application/octet-stream"),
    ];
    request(addr, method, path, &headers, body).unwrap()
}

fn json(r: &HttpResponse) -> serde_json::Value {
    serde_json::from_slice(&r.body).unwrap_or_else(|_| panic!("{}: {}", r.status, r.text()))
}

fn upload(addr: SocketAddr, token: &str, text: &str) -> serde_json::Value {
    let r = call(addr, token, "POST", "/api/ssh-sessions", text.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    json(&r)
}

/// Polls `check` on every instance every 20 ms from now until it holds on
/// each; returns how long each took, failing past the bound and its slack.
fn seen_by_all(what: &str, instances: &[(&str, &Serve)], check: impl Fn(&Serve) -> bool) {
    let start = Instant::now();
    let mut seen: Vec<Option<Duration>> = vec![None; instances.len()];
    while seen.iter().any(Option::is_none) {
        for (i, (_, serve)) in instances.iter().enumerate() {
            if seen[i].is_none() && check(serve) {
                seen[i] = Some(start.elapsed());
            }
        }
        assert!(
            start.elapsed() < BOUND + SLACK,
            "{what}: not seen by every instance after {:?}: {seen:?}",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    for ((name, _), took) in instances.iter().zip(seen) {
        let took = took.unwrap_or_default();
        println!(
            "{what}: seen by {name} after {} ms (bound {} ms)",
            took.as_millis(),
            BOUND.as_millis()
        );
    }
}

fn operator_on(dir: &Path, url: &str, args: &[&str]) -> String {
    let mut all: Vec<&OsStr> = vec!["--data-dir".as_ref(), dir.as_os_str()];
    all.push("--database".as_ref());
    all.push(url.as_ref());
    all.extend(args.iter().map(OsStr::new));
    operator(&all)
}

#[test]
#[expect(clippy::too_many_lines, reason = "one scenario, read top to bottom")]
fn two_instances_on_one_postgres_share_keys_records_and_sessions() {
    let db = Cluster::shared().database();
    let url = format!(
        "postgres://postgres@127.0.0.1:{}/{}",
        db.cluster().port(),
        db.name()
    );
    let base = std::env::temp_dir().join(format!("km-instances-{}", random_text(8)));
    let (dir_a, dir_b) = (base.join("a"), base.join("b"));
    let _dirs = Dirs(vec![base.clone()]);
    std::fs::create_dir_all(&dir_b).unwrap();

    let a = Serve::start(&[
        OsStr::new("--demo"),
        "--data-dir".as_ref(),
        dir_a.as_os_str(),
        "--database".as_ref(),
        url.as_ref(),
    ]);
    // The second host holds a copy of the same root key file (a KMS root
    // key is the production choice): keys are wrapped under it.
    std::fs::copy(dir_a.join("root.key"), dir_b.join("root.key")).unwrap();
    let b = Serve::start(&[
        OsStr::new("--data-dir"),
        dir_b.as_os_str(),
        "--database".as_ref(),
        url.as_ref(),
    ]);
    let token = a.token("acme").to_owned();
    // Nothing of the records or keys on the hosts' disks: the database holds it.
    for dir in [&dir_a, &dir_b] {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["root.key"], "{}", dir.display());
    }

    // An upload through A, read and played back through B.
    let record = upload(a.addr, &token, "$ id\nuid=0(root)\n");
    assert_eq!(
        record["encryption_key_ref"],
        format!("{RECORDING}/versions/2")
    );
    let id = record["session_id"].as_str().unwrap().to_owned();
    let one = call(
        b.addr,
        &token,
        "GET",
        &format!("/api/ssh-sessions/{id}"),
        b"",
    );
    assert_eq!(json(&one), record);
    let playback = format!("/api/ssh-sessions/{id}/recording");
    let played = call(b.addr, &token, "GET", &playback, b"");
    assert_eq!(played.status, 200, "{}", played.text());
    assert_eq!(played.body, b"$ id\nuid=0(root)\n");
    let audit = json(&call(b.addr, &token, "GET", "/api/audit?limit=2", b""));
    assert_eq!(audit["items"][0]["action"], "recording_played_back");
    assert_eq!(audit["items"][1]["action"], "recording_uploaded");
    assert!(audit["items"][0]["seq"].as_u64() > audit["items"][1]["seq"].as_u64());

    // A portal session started on A is honoured by B; signed out on B, A
    // refuses it.
    let form = format!("token={token}");
    let form_type = [("Content-Type", "application/x-www-form-urlencoded")];
    let signed = request(
        a.addr,
        "POST",
        "/portal/sign-in",
        &form_type,
        form.as_bytes(),
    )
    .unwrap();
    let cookie = signed
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let portal = |addr, path: &str, method: &str| {
        request(addr, method, path, &[("Cookie", cookie.as_str())], b"").unwrap()
    };
    let page = portal(b.addr, "/portal/sessions", "GET");
    assert_eq!(page.status, 200);
    assert!(page.text().contains(&id));
    assert_eq!(portal(b.addr, "/portal/sign-out", "POST").status, 303);
    let after = portal(a.addr, "/portal/sessions", "GET");
    assert_eq!(after.status, 303);
    assert_eq!(after.header("location"), Some("/portal/sign-in"));

    // A rotation through the operator command: B's new uploads carry the new
    // version within the bound (and so do A's).
    let started = Instant::now();
    let rotated = operator_on(&dir_b, &url, &["rotate", RECORDING]);
    println!(
        "operator rotate (a process of its own): {} ms",
        started.elapsed().as_millis()
    );
    assert!(rotated.contains("/versions/3"), "{rotated}");
    let v3 = format!("{RECORDING}/versions/3");
    let both = [("A", &a), ("B", &b)];
    seen_by_all("rotation (new uploads carry version 3)", &both, |serve| {
        upload(serve.addr, &token, "$ ls\n")["encryption_key_ref"] == v3.as_str()
    });

    // A disable of version 2: playback of the recording under it fails
    // closed on both, a 409 problem and never the plaintext.
    operator_on(
        &dir_a,
        &url,
        &["disable", &format!("{RECORDING}/versions/2")],
    );
    let refused = |r: &HttpResponse| {
        if r.status == 200 {
            return false;
        }
        assert_eq!(r.status, 409, "{}", r.text());
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert!(
            !r.text().contains("uid=0"),
            "the refusal carries the plaintext"
        );
        true
    };
    seen_by_all("disable (playback refused)", &both, |serve| {
        refused(&call(serve.addr, &token, "GET", &playback, b""))
    });
    // Another tenant still sees nothing of acme's, on either instance.
    let globex = a.token("globex").to_owned();
    for serve in [&a, &b] {
        let r = call(
            serve.addr,
            &globex,
            "GET",
            &format!("/api/ssh-sessions/{id}"),
            b"",
        );
        assert_eq!(r.status, 404);
    }
    // Both changes are in the one audit log, by the platform, newest first
    // (read page by page: the polling above uploaded many recordings).
    let mut actions = Vec::new();
    let mut offset = Some(0);
    while let Some(at) = offset {
        let page = json(&call(
            b.addr,
            &token,
            "GET",
            &format!("/api/audit?limit=100&offset={at}"),
            b"",
        ));
        for e in page["items"].as_array().unwrap() {
            if e["actor"] == "platform" {
                actions.push(e["action"].as_str().unwrap().to_owned());
            }
        }
        offset = page["next_offset"].as_u64();
    }
    assert_eq!(
        &actions[..2],
        ["key_disabled", "key_rotated"],
        "{actions:?}"
    );
}
