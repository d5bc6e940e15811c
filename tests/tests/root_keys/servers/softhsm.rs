//! SoftHSM2: one token per test process, in a token directory under
//! `target/` (`SOFTHSM2_CONF`, set by `.cargo/config.toml`).
//!
//! One per process, not per test: the module is initialized once per
//! process, and SoftHSM2 does not see a token created after that (measured:
//! every test but the first failed to find its token). So the first test
//! creates the process's token, labelled with the process id, before it
//! loads the module; tests use keys of their own on it. A static is never
//! dropped, so each process first deletes the tokens of earlier test
//! processes that are no longer running.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use key_model::ring::{Pkcs11Config, Pkcs11RootKey};
use key_model::testing::Canary;
use secrecy::SecretString;

use super::tool;

/// The module every test loads (one per process, shared).
pub(crate) const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

/// The user PIN of every test token: a canary's hex, so a leak test finds
/// it wherever it shows up.
pub(crate) fn pin_canary() -> Canary {
    Canary::new(0x0b_b1)
}

/// The PIN: the canary in lower-case hex.
pub(crate) fn pin_hex() -> String {
    use std::fmt::Write as _;
    pin_canary()
        .bytes()
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

static TOKEN: OnceLock<Token> = OnceLock::new();

/// An initialized token (deleted by a later process, see above).
pub(crate) struct Token {
    /// Its label (unique per process and test).
    pub(crate) label: String,
}

fn conf() -> PathBuf {
    PathBuf::from(
        std::env::var_os("SOFTHSM2_CONF")
            .expect("SOFTHSM2_CONF is set by .cargo/config.toml: run the tests through cargo"),
    )
}

impl Token {
    /// This process's token (created by the first caller).
    pub(crate) fn shared() -> &'static Token {
        TOKEN.get_or_init(Token::create)
    }

    /// A fresh token with the test PIN, after deleting the stale ones.
    fn create() -> Token {
        let util = tool("softhsm2-util", "softhsm2-util", "softhsm2");
        assert!(
            std::path::Path::new(MODULE).is_file(),
            "{MODULE} is missing: run `bash scripts/install-test-deps.sh softhsm2`"
        );
        let conf = conf();
        let dir = conf.parent().expect("a directory").to_owned();
        let tokens = dir.join("tokens");
        std::fs::create_dir_all(&tokens).expect("the token directory");
        // The same text from every process: the token directory, files, quiet.
        let text = format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
            tokens.display()
        );
        if std::fs::read_to_string(&conf).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&conf, &text).expect("softhsm2.conf written");
        }
        delete_stale_tokens(&util, &conf);
        let label = format!("km-{}", std::process::id());
        let status = Command::new(&util)
            .args([
                "--init-token",
                "--free",
                "--label",
                &label,
                "--so-pin",
                "5678",
                "--pin",
                &pin_hex(),
            ])
            .env("SOFTHSM2_CONF", &conf)
            .output()
            .expect("softhsm2-util runs");
        assert!(
            status.status.success(),
            "softhsm2-util --init-token: {status:?}"
        );
        Token { label }
    }

    /// The config of key `key` on this token.
    pub(crate) fn config(&self, key: &str) -> Pkcs11Config {
        Pkcs11Config::new(MODULE, &self.label, SecretString::from(pin_hex()), key)
    }

    /// A root key over a new key `key` on this token.
    pub(crate) fn root_key(&self, key: &str) -> Pkcs11RootKey {
        Pkcs11RootKey::create(self.config(key)).expect("the key is created on the token")
    }
}

/// Deletes every `km-PID` token whose process is gone.
fn delete_stale_tokens(util: &PathBuf, conf: &PathBuf) {
    let Ok(out) = Command::new(util)
        .arg("--show-slots")
        .env("SOFTHSM2_CONF", conf)
        .output()
    else {
        return;
    };
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Some(label) = line.trim().strip_prefix("Label:") else {
            continue;
        };
        let label = label.trim();
        let Some(pid) = label.strip_prefix("km-") else {
            continue;
        };
        if std::path::Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let _ = Command::new(util)
            .args(["--delete-token", "--token", label])
            .env("SOFTHSM2_CONF", conf)
            .output();
    }
}
