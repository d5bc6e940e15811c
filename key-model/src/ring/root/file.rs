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
/// not a regular file, not owned by the process's effective user, readable
/// or writable by group or others, or not exactly 32 bytes long, rather
/// than use a key that may have been seen or replaced.
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
    if before.uid() != process_owner(path)? {
        // Another user wrote the file, or could give it any mode again.
        return Err(refused(
            "the root key file is not owned by this process's user",
        ));
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

/// The user that owns the files this process creates: its effective user
/// id, as the file system records it. std has no `geteuid`, and calling
/// libc's needs `unsafe` (rustix is not in the tree): so an empty file is
/// created and its owner read. First beside the key, where it is the owner
/// a key file the process created there would have (a file system that maps
/// users, such as NFS with root squashing, maps both alike); where that
/// directory is not writable (a read-only secret mount), in the temporary
/// directory.
fn process_owner(key: &Path) -> Result<u32, BackendError> {
    let beside = key.parent().filter(|d| !d.as_os_str().is_empty());
    let beside = beside.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    owner_of_new_file(&beside)
        .or_else(|_| owner_of_new_file(&std::env::temp_dir()))
        .map_err(io(
            "cannot learn this process's user to check the root key file's owner",
        ))
}

/// Creates an empty file in `dir`, reads its owner and removes it. It holds
/// nothing: a crash between the two leaves an empty file behind.
fn owner_of_new_file(dir: &Path) -> std::io::Result<u32> {
    use std::sync::atomic::{AtomicU64, Ordering};
    // Unique in the process; the process id makes it unique on the host.
    static PROBES: AtomicU64 = AtomicU64::new(0);
    let n = PROBES.fetch_add(1, Ordering::Relaxed);
    let probe = dir.join(format!(".key-model-owner-probe.{}.{n}", std::process::id()));
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&probe)?;
    let owner = file.metadata().map(|m| m.uid());
    drop(file);
    let _ = fs::remove_file(&probe);
    owner
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
