//! The binary: `serve --demo` in one process, `operator` commands in
//! another on the same data directory, and the running service honours
//! them within its key ring's cache lifetime.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use key_model_service::evidence::http::request;

const BIN: &str = env!("CARGO_BIN_EXE_key-model-service");

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn operator(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .arg("operator")
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "operator {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn operator_commands_reach_a_running_service() {
    let dir = std::env::temp_dir().join(format!("km-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--data-dir"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let serve = Serve(child);
    let (mut token, mut addr) = (None, None);
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(t) = line.strip_prefix("demo tenant acme: sign in with token ") {
            token = Some(t.to_owned());
        }
        if let Some(rest) = line.strip_prefix("serving on http://") {
            addr = Some(
                rest.split('/')
                    .next()
                    .unwrap()
                    .parse::<SocketAddr>()
                    .unwrap(),
            );
            break;
        }
    }
    let (token, addr) = (token.expect("a demo token"), addr.expect("an address"));
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
    let out = Command::new(BIN)
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
