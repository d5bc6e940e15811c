//! LocalStack with only its KMS (which enforces key states), on a free
//! port of 127.0.0.1, with no DNS server, no events, no certificate
//! download.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use key_model::ring::{AwsKmsConfig, AwsKmsRootKey};
use key_model::testing::Canary;
use serde_json::{Value, json};

use super::{Process, Shared, agent, free_port, tool, wait_until};

/// A running LocalStack.
pub(crate) struct LocalStack {
    _process: Process,
    /// `http://127.0.0.1:PORT`.
    pub(crate) endpoint: String,
    agent: ureq::Agent,
    _dir: TempDir,
}

/// A directory removed on drop (LocalStack's working directory).
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

static SHARED: Shared<LocalStack> = Shared::new();

/// The secret access key of every test: a canary's hex.
pub(crate) fn secret_canary() -> Canary {
    Canary::new(0x0b_c2)
}

/// The secret: the canary in lower-case hex.
pub(crate) fn secret_hex() -> String {
    use std::fmt::Write as _;
    secret_canary()
        .bytes()
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

impl LocalStack {
    /// The server the tests running now share.
    pub(crate) fn shared() -> Arc<LocalStack> {
        SHARED.get(LocalStack::start)
    }

    /// A server of its own.
    pub(crate) fn start() -> LocalStack {
        let python = tool("localstack/bin/python", "localstack-python", "localstack");
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("key-model-localstack-{port}"));
        std::fs::create_dir_all(&dir).expect("a temp dir for LocalStack");
        let child = Command::new(python)
            .args(["-m", "localstack.runtime.main"])
            .current_dir(&dir)
            .env("GATEWAY_LISTEN", format!("127.0.0.1:{port}"))
            .env("SERVICES", "kms")
            .env("SKIP_SSL_CERT_DOWNLOAD", "1")
            .env("DISABLE_EVENTS", "1")
            .env("DNS_ADDRESS", "0")
            .env("LOCALSTACK_TELEMETRY_DISABLED", "1")
            .env("PERSISTENCE", "0")
            .env("FILESYSTEM_ROOT", dir.join("fs"))
            .env("HOME", &dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("LocalStack starts");
        let server = LocalStack {
            _process: Process(child),
            endpoint: format!("http://127.0.0.1:{port}"),
            agent: agent(),
            _dir: TempDir(dir),
        };
        wait_until("LocalStack", Duration::from_secs(60), || {
            server
                .agent
                .get(format!("{}/_localstack/health", server.endpoint))
                .call()
                .is_ok_and(|r| r.status() == 200)
        });
        server
    }

    /// An admin call (`TrentService.ACTION`); panics unless it succeeds.
    /// LocalStack does not check signatures, so admin calls are unsigned.
    pub(crate) fn admin(&self, action: &str, body: &Value) -> Value {
        let mut response = self
            .agent
            .post(format!("{}/", self.endpoint))
            .header("X-Amz-Target", format!("TrentService.{action}"))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0",
            )
            .send(body.to_string())
            .expect("LocalStack answers");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        assert!(status == 200, "{action}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// A new symmetric KMS key: its id.
    pub(crate) fn create_key(&self) -> String {
        self.admin("CreateKey", &json!({}))["KeyMetadata"]["KeyId"]
            .as_str()
            .expect("a key id")
            .to_owned()
    }

    /// The config of `key_id` with the test credentials.
    pub(crate) fn config(&self, key_id: &str) -> AwsKmsConfig {
        AwsKmsConfig::new(
            &self.endpoint,
            "us-east-1",
            key_id,
            "test",
            secret_hex().into(),
        )
    }

    /// A root key over a new KMS key, and the key's id.
    pub(crate) fn root_key(&self) -> (AwsKmsRootKey, String) {
        let key_id = self.create_key();
        (AwsKmsRootKey::new(self.config(&key_id)), key_id)
    }
}
