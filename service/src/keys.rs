//! Where tenant keys are kept: the key ring for a data directory.
//!
//! STAND-IN (until issue 13's `store-sqlite` feature is on main): a
//! [`FileKeyStore`] (every key's stored record, wrapped material only, in
//! `DIR/keys.json`) and a [`FileRootKey`] (32 random bytes in `DIR/root.key`,
//! mode 0600) written here. When `SqliteKeyStore::open` and
//! `FileRootKey::open_or_create` land, [`open_ring`] and [`canary_ring`]
//! call them and the two types below are deleted: nothing else in the
//! service names a store or a root key.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};
use key_model::ring::{KeyStore, Revision, RingCall, RootKey, StoredKey, WrappedKey};
use key_model::testing::{CanaryKeys, ring_with_canary_keys};
use key_model::{BackendError, BackendErrorKind, KeyName, KeyRef, KeyRing, TenantId};
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox};
use zeroize::Zeroize;

/// The key ring of a data directory: its keys and its root key, created on
/// first use.
pub fn open_ring(dir: &Path) -> Result<KeyRing, BackendError> {
    Ok(KeyRing::new(
        FileKeyStore::open(dir)?,
        FileRootKey::open_or_create(&dir.join("root.key"))?,
    ))
}

/// A key ring over the data directory's key store whose root key and every
/// generated key are `canaries` (the evidence command and the tests).
pub fn canary_ring(dir: &Path, canaries: &CanaryKeys) -> Result<KeyRing, BackendError> {
    Ok(ring_with_canary_keys(
        FileKeyStore::open(dir)?,
        canaries.root_key(),
        canaries,
    ))
}

const UNAVAILABLE: BackendError = BackendError::new(
    BackendErrorKind::Unavailable,
    "the key file cannot be read or written",
);
const CORRUPT: BackendError =
    BackendError::new(BackendErrorKind::Corrupt, "the key file is corrupt");

/// Every key's stored record and its revision in one JSON file, read on
/// every call (so a change by another process, an `operator` command, is
/// seen within the ring's cache lifetime) and rewritten whole, through a
/// temporary file and a rename, on each change. Compare-and-swap holds
/// within one process (the lock); across processes the last rename wins,
/// which is why this is a stand-in and the `SQLite` store is the default.
#[derive(Debug)]
pub struct FileKeyStore {
    path: PathBuf,
    writes: Mutex<()>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Row {
    revision: u64,
    key: StoredKey,
}

impl FileKeyStore {
    /// The store of `DIR/keys.json` (created on the first save).
    pub fn open(dir: &Path) -> Result<FileKeyStore, BackendError> {
        let store = FileKeyStore {
            path: dir.join("keys.json"),
            writes: Mutex::new(()),
        };
        store.read()?;
        Ok(store)
    }

    fn read(&self) -> Result<BTreeMap<String, Row>, BackendError> {
        let rows: Vec<Row> = match fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| CORRUPT)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(_) => return Err(UNAVAILABLE),
        };
        Ok(rows
            .into_iter()
            .map(|r| (r.key.name().to_string(), r))
            .collect())
    }
}

impl KeyStore for FileKeyStore {
    fn load(&self, name: &KeyName) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        Ok(self
            .read()?
            .remove(&name.to_string())
            .map(|r| (r.key, Revision::new(r.revision))))
    }

    fn list(&self, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        Ok(self
            .read()?
            .into_values()
            .map(|r| r.key.name().clone())
            .filter(|n| n.tenant() == tenant)
            .collect())
    }

    fn save(&self, key: &StoredKey, expected: Option<Revision>) -> Result<Revision, BackendError> {
        let _writes = self.writes.lock().map_err(|_| UNAVAILABLE)?;
        let mut rows = self.read()?;
        let name = key.name().to_string();
        let current = rows.get(&name).map(|r| Revision::new(r.revision));
        if current != expected {
            return Err(BackendError::new(
                BackendErrorKind::Conflict,
                "the key record changed concurrently",
            ));
        }
        let revision = current.map_or(1, |r| r.get() + 1);
        rows.insert(
            name,
            Row {
                revision,
                key: key.clone(),
            },
        );
        let all: Vec<&Row> = rows.values().collect();
        let bytes = serde_json::to_vec_pretty(&all).map_err(|_| CORRUPT)?;
        write_atomically(&self.path, &bytes).map_err(|_| UNAVAILABLE)?;
        Ok(Revision::new(revision))
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut file = fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(tmp, path)
}

/// A root key of 32 random bytes in a file of its own (mode 0600): the
/// development, single-host default. It wraps each version's material with
/// XChaCha20-Poly1305, bound to the version's reference.
pub struct FileRootKey {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for FileRootKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileRootKey([REDACTED])")
    }
}

impl FileRootKey {
    /// Reads the key at `path`, or creates it with fresh random bytes.
    pub fn open_or_create(path: &Path) -> Result<FileRootKey, BackendError> {
        let mut bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut fresh = vec![0u8; 32];
                getrandom::fill(&mut fresh).map_err(|_| UNAVAILABLE)?;
                create_private(path, &fresh).map_err(|_| UNAVAILABLE)?;
                fresh
            }
            Err(_) => return Err(UNAVAILABLE),
        };
        let key: Result<[u8; 32], _> = bytes.as_slice().try_into();
        bytes.zeroize();
        let mut key = key.map_err(|_| CORRUPT)?;
        let cipher = XChaCha20Poly1305::new(&Key::from(key));
        key.zeroize();
        Ok(FileRootKey { cipher })
    }
}

fn create_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

impl RootKey for FileRootKey {
    fn wrap(
        &self,
        _: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|_| UNAVAILABLE)?;
        let aad = key_ref.to_string();
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: material.expose_secret(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| CORRUPT)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(WrappedKey::from_bytes(out))
    }

    fn unwrap(
        &self,
        _: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        let refused = BackendError::new(
            BackendErrorKind::Unwrap,
            "wrapped material failed authentication",
        );
        let (nonce, sealed) = wrapped
            .as_bytes()
            .split_first_chunk::<24>()
            .ok_or(refused)?;
        let aad = key_ref.to_string();
        let mut opened = self
            .cipher
            .decrypt(
                &XNonce::from(*nonce),
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| refused)?;
        let mut boxed = SecretBox::new(Box::new([0u8; 32]));
        let copied = <&[u8; 32]>::try_from(opened.as_slice())
            .map(|m| boxed.expose_secret_mut().copy_from_slice(m));
        opened.zeroize();
        copied.map_err(|_| refused)?;
        Ok(boxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("km-keys-{}", crate::records::random_text(10)));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_file_store_passes_the_store_conformance_suite() {
        key_model::testing::run_store_conformance(|| FileKeyStore::open(&scratch()).unwrap());
    }

    #[test]
    fn the_file_root_key_passes_the_root_key_conformance_suite() {
        let dir = scratch();
        let root = FileRootKey::open_or_create(&dir.join("root.key")).unwrap();
        key_model::testing::root_key_conformance(&root);
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &fs::metadata(dir.join("root.key")).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
    }
}
