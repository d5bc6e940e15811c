//! A [`RootKey`] in a file of 32 random bytes (Unix): the development and
//! single-host default.

use core::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read as _, Write as _};
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecretMut, SecretBox};
use zeroize::Zeroizing;

use crate::model::id::KeyRef;
use crate::model::material::{KEY_LEN, KeyMaterial};
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::root::xchacha;
use crate::ring::root::{RingCall, RootKey, WrappedKey};

/// A [`RootKey`] whose 32 bytes live in a file of their own, created with
/// mode `0600`: the **development and single-host default**, the root key
/// of `KeyRing::new(SqliteKeyStore::open(p)?, FileRootKey::open_or_create(q)?)`.
/// It wraps exactly as [`MemoryRootKey`](crate::ring::MemoryRootKey) does
/// (XChaCha20-Poly1305, bound to the key reference).
///
/// Whoever can read the file and the key store can read every tenant's
/// data: keep it out of backups of the store, and never put it in the
/// database file or beside it on shared storage. A production root key is a
/// KMS or an HSM behind the same [`RootKey`] trait.
///
/// [`FileRootKey::open_or_create`] refuses a file that is a symbolic link,
/// not a regular file, readable or writable by group or others, or not
/// exactly 32 bytes long, rather than use a key that may have been seen or
/// replaced.
///
/// ```
/// use key_model::ring::FileRootKey;
///
/// let dir = std::env::temp_dir().join(format!("key-model-root-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let root = FileRootKey::open_or_create(dir.join("root.key"))?; // created, 0600
/// let again = FileRootKey::open_or_create(dir.join("root.key"))?; // the same key
/// assert!(format!("{again:?}").contains("KeyMaterial([REDACTED])"));
/// # drop((root, again));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct FileRootKey {
    key: KeyMaterial,
    path: PathBuf,
}

fn io(detail: &'static str) -> impl Fn(std::io::Error) -> BackendError {
    // The I/O error's text can name paths and users: only the fixed detail
    // leaves the function.
    move |_| BackendError::new(BackendErrorKind::Unavailable, detail)
}

fn refused(detail: &'static str) -> BackendError {
    BackendError::new(BackendErrorKind::Unavailable, detail)
}

impl FileRootKey {
    /// Opens the root key in the file at `path`, or, if there is no file,
    /// creates one with 32 bytes from the operating system's random source
    /// and mode `0600`. The creation is atomic: the bytes are written and
    /// synced under a temporary name, then linked to `path` only if nothing
    /// is there, so a crash leaves no half-written key and two processes
    /// starting at once end up with the same key.
    pub fn open_or_create(path: impl AsRef<Path>) -> Result<FileRootKey, BackendError> {
        let path = path.as_ref().to_path_buf();
        match fs::symlink_metadata(&path) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => create(&path)?,
            Err(e) => return Err(io("cannot inspect the root key file")(e)),
        }
        let key = read(&path)?;
        Ok(FileRootKey { key, path })
    }

    /// The file the key was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Writes a new key under a temporary name and links it to `path` unless a
/// file appeared there meanwhile.
fn create(path: &Path) -> Result<(), BackendError> {
    let mut material = SecretBox::<[u8; KEY_LEN]>::default();
    getrandom::fill(material.expose_secret_mut())
        .map_err(|_| refused("the operating system's random source failed"))?;
    let file_name = path
        .file_name()
        .ok_or(refused("the root key path names no file"))?;
    let mut temporary = file_name.to_os_string();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(temporary);
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(secrecy::ExposeSecret::expose_secret(&material))?;
        file.sync_all()
    })();
    let linked = written.and_then(|()| fs::hard_link(&temporary, path));
    let _ = fs::remove_file(&temporary);
    match linked {
        Ok(()) => {
            // The new name is durable once its directory is synced.
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                File::open(dir)
                    .and_then(|d| d.sync_all())
                    .map_err(io("cannot sync the root key's directory"))?;
            }
            Ok(())
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io("cannot create the root key file")(e)),
    }
}

/// Reads the key at `path` after checking what the file is.
fn read(path: &Path) -> Result<KeyMaterial, BackendError> {
    let before = fs::symlink_metadata(path).map_err(io("cannot inspect the root key file"))?;
    if before.file_type().is_symlink() {
        return Err(refused("the root key file is a symbolic link"));
    }
    if !before.is_file() {
        return Err(refused("the root key path is not a regular file"));
    }
    if before.permissions().mode() & 0o077 != 0 {
        return Err(refused(
            "the root key file is readable or writable by group or others (want mode 0600)",
        ));
    }
    let mut file = File::open(path).map_err(io("cannot open the root key file"))?;
    // The file opened is the one inspected, not one swapped in since.
    let opened = file
        .metadata()
        .map_err(io("cannot inspect the root key file"))?;
    if (opened.dev(), opened.ino()) != (before.dev(), before.ino()) {
        return Err(refused("the root key file changed while it was opened"));
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(KEY_LEN + 1));
    (&mut file)
        .take(u64::try_from(KEY_LEN).unwrap_or(u64::MAX) + 1)
        .read_to_end(&mut bytes)
        .map_err(io("cannot read the root key file"))?;
    if bytes.len() != KEY_LEN {
        return Err(BackendError::new(
            BackendErrorKind::Corrupt,
            "the root key file is not exactly 32 bytes",
        ));
    }
    let mut secret = SecretBox::<[u8; KEY_LEN]>::default();
    secret.expose_secret_mut().copy_from_slice(&bytes);
    Ok(KeyMaterial::from_secret(secret))
}

impl fmt::Debug for FileRootKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileRootKey")
            .field("path", &self.path)
            .field("key", &self.key)
            .finish()
    }
}

impl RootKey for FileRootKey {
    fn wrap(
        &self,
        _: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        xchacha::wrap(&self.key, key_ref, material)
    }

    fn unwrap(
        &self,
        _: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        xchacha::unwrap(&self.key, key_ref, wrapped)
    }
}
