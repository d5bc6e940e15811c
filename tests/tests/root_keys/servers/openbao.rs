//! OpenBao in dev mode (in memory, unsealed, one root token) with the
//! transit engine mounted at `transit/`.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use key_model::ring::{TransitConfig, TransitRootKey};
use key_model::testing::Canary;
use secrecy::SecretString;
use serde_json::{Value, json};

use super::{Process, Shared, agent, free_port, tool, wait_until};

/// A running `bao server -dev`.
pub(crate) struct OpenBao {
    _process: Process,
    /// `http://127.0.0.1:PORT`.
    pub(crate) address: String,
    token: String,
    agent: ureq::Agent,
}

static SHARED: Shared<OpenBao> = Shared::new();

/// The root token of every test server: a canary's hex, so a leak test
/// finds it wherever it shows up.
pub(crate) fn token_canary() -> Canary {
    Canary::new(0x0b_a0)
}

/// The root token: the token canary in lower-case hex.
pub(crate) fn token_hex() -> String {
    use std::fmt::Write as _;
    token_canary()
        .bytes()
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

impl OpenBao {
    /// The server the tests running now share.
    pub(crate) fn shared() -> Arc<OpenBao> {
        SHARED.get(OpenBao::start)
    }

    /// A server of its own (for a test that stops it).
    pub(crate) fn start() -> OpenBao {
        let bao = tool("openbao/bin/bao", "bao", "openbao");
        let port = free_port();
        let token = token_hex();
        let home = std::env::temp_dir().join(format!("key-model-bao-{port}"));
        std::fs::create_dir_all(&home).expect("a temp dir for bao's HOME");
        let child = Command::new(bao)
            .args([
                "server",
                "-dev",
                "-dev-no-store-token",
                &format!("-dev-root-token-id={token}"),
                &format!("-dev-listen-address=127.0.0.1:{port}"),
            ])
            // Its HOME is a temp dir, so it writes nothing into the user's.
            .env("HOME", &home)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("bao starts");
        let server = OpenBao {
            _process: Process(child),
            address: format!("http://127.0.0.1:{port}"),
            token,
            agent: agent(),
        };
        wait_until("OpenBao", Duration::from_secs(20), || {
            server
                .agent
                .get(format!("{}/v1/sys/health", server.address))
                .call()
                .is_ok_and(|r| r.status() == 200)
        });
        server.admin("POST", "sys/mounts/transit", &json!({"type": "transit"}));
        server
    }

    /// An admin call with the root token; panics unless it succeeds.
    pub(crate) fn admin(&self, method: &str, path: &str, body: &Value) -> Value {
        let url = format!("{}/v1/{path}", self.address);
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header("X-Vault-Token", &self.token)
            .body(body.to_string())
            .expect("a valid request");
        let mut response = self.agent.run(request).expect("OpenBao answers");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {text}"
        );
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Creates the derived transit key `name`.
    pub(crate) fn create_key(&self, name: &str) {
        self.admin(
            "POST",
            &format!("transit/keys/{name}"),
            &json!({"derived": true}),
        );
    }

    /// The config of `name` with the server's root token.
    pub(crate) fn config(&self, name: &str) -> TransitConfig {
        self.config_with_token(name, &self.token)
    }

    /// The config of `name` with another token.
    pub(crate) fn config_with_token(&self, name: &str, token: &str) -> TransitConfig {
        TransitConfig::new(&self.address, "transit", name, SecretString::from(token))
    }

    /// A connected root key over the (new, derived) transit key `name`.
    pub(crate) fn root_key(&self, name: &str) -> TransitRootKey {
        self.create_key(name);
        TransitRootKey::connect(self.config(name)).expect("connects to the transit key")
    }
}
