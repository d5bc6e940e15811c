//! The binary: `serve --demo` in one process, `operator` commands in
//! another on the same data directory, and the running service honours
//! them within its key ring's cache lifetime.

use std::time::{Duration, Instant};

use key_model_service::evidence::http::request;

mod support;

use support::{BIN, Serve};

fn operator(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec![std::ffi::OsStr::new("--data-dir"), dir.as_os_str()];
    all.extend(args.iter().map(std::ffi::OsStr::new));
    support::operator(&all)
}

#[test]
fn operator_commands_reach_a_running_service() {
    let dir = std::env::temp_dir().join(format!("km-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let serve = Serve::start(&[
        std::ffi::OsStr::new("--demo"),
        "--data-dir".as_ref(),
        dir.as_os_str(),
    ]);
    let (token, addr) = (serve.token("acme").to_owned(), serve.addr);
    let bearer = format!("Bearer {token}");
    let auth = [("Authorization", bearer.as_str())];

    let page = request(addr, "GET", "/api/ssh-sessions?limit=100", &auth, b"").unwrap();
    let page: serde_json::Value = serde_json::from_slice(&page.body).unwrap();
    let old = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["encryption_key_ref"] == "tenants/acme/keys/ssh-session-recording/versions/1")
        .expect("a record under version 1")["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/ssh-sessions/{old}/recording");
    assert_eq!(request(addr, "GET", &path, &auth, b"").unwrap().status, 200);

    let listed = operator(&dir, &["list", "acme"]);
    assert!(
        listed.contains("tenants/acme/keys/ssh-session-recording/versions/2  state=enabled"),
        "{listed}"
    );
    operator(
        &dir,
        &[
            "disable",
            "tenants/acme/keys/ssh-session-recording/versions/1",
        ],
    );
    let start = Instant::now();
    let refused = loop {
        let r = request(addr, "GET", &path, &auth, b"").unwrap();
        if r.status != 200 || start.elapsed() > Duration::from_secs(5) {
            break r;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "took {:?}",
        start.elapsed()
    );
    operator(
        &dir,
        &[
            "enable",
            "tenants/acme/keys/ssh-session-recording/versions/1",
        ],
    );
    // Playbacks inside the cache lifetime may sit between the two
    // operator entries: look for each by action.
    let audit = request(addr, "GET", "/api/audit?limit=100", &auth, b"").unwrap();
    let audit: serde_json::Value = serde_json::from_slice(&audit.body).unwrap();
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items[0]["action"], "key_enabled");
    let disabled = items
        .iter()
        .find(|e| e["action"] == "key_disabled")
        .expect("the disable is audited");
    assert_eq!(disabled["actor"], "platform");
    assert_eq!(
        disabled["key_ref"],
        "tenants/acme/keys/ssh-session-recording/versions/1"
    );

    // A bad argument is refused without echoing it.
    let out = std::process::Command::new(BIN)
        .args(["operator", "--data-dir"])
        .arg(&dir)
        .args(["disable", "tenants/acme/keys/x/versions/01"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("versions/01"));

    drop(serve);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tokens_are_kept_as_hashes_and_everything_in_the_data_directory() {
    let dir = std::env::temp_dir().join(format!("km-cli-tokens-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let serve = Serve::start(&[
        std::ffi::OsStr::new("--demo"),
        "--data-dir".as_ref(),
        dir.as_os_str(),
    ]);
    let (token, addr) = (serve.token("acme").to_owned(), serve.addr);

    // Tokens are kept as hashes: an existing tenant's cannot be printed
    // again, only replaced, and the old one then stops working.
    let again = std::process::Command::new(BIN)
        .args(["operator", "--data-dir"])
        .arg(&dir)
        .args(["add-tenant", "acme"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("new-token"));
    assert!(!String::from_utf8_lossy(&again.stdout).contains("kmt_"));
    let issued = operator(&dir, &["new-token", "acme"]);
    let fresh = issued
        .trim()
        .strip_prefix("tenant acme: new admin token ")
        .expect("a new token");
    let audit_of = |token: &str| {
        let bearer = format!("Bearer {token}");
        request(
            addr,
            "GET",
            "/api/audit",
            &[("Authorization", &bearer)],
            b"",
        )
        .unwrap()
        .status
    };
    assert_eq!(audit_of(&token), 401, "the replaced token still works");
    assert_eq!(audit_of(fresh), 200);

    // Everything is in the data directory's two databases and its root
    // key: no files beside them (SQLite's WAL companions aside).
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    names.sort();
    assert_eq!(names, ["keys.sqlite3", "records.sqlite3", "root.key"]);
    drop(serve);
    let _ = std::fs::remove_dir_all(&dir);
}
