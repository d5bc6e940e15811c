//! A [`RootKey`] held by a PKCS#11 token (an HSM, or SoftHSM2 in tests):
//! AES-256-GCM inside the token, the key reference's canonical text as
//! associated data.

use core::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::mechanism::aead::GcmParams;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox, SecretString};
use zeroize::Zeroizing;

use crate::model::id::KeyRef;
use crate::ring::backend::{BackendError, BackendErrorKind};
use crate::ring::root::{RingCall, RootKey, WrappedKey};

/// The format byte of material wrapped by [`Pkcs11RootKey`].
const WRAP_FORMAT_V1: u8 = 0x01;
/// GCM's nonce length.
const IV_LEN: usize = 12;
/// Wrapped layout: format, key version (4, big-endian), nonce, 32 bytes of
/// ciphertext, 16-byte tag.
const WRAPPED_LEN: usize = 1 + 4 + IV_LEN + 32 + 16;
/// Domain separation, as `MemoryRootKey`'s.
const WRAP_DOMAIN: &[u8] = b"key-model pkcs11 wrap v1\0";

/// Where the key-encryption key is: the module, the token (by label: a
/// token's slot id changes when it is initialized), the user PIN, and the
/// key's label. The PIN is shown nowhere (`Debug` prints `[REDACTED]`).
///
/// ```
/// use key_model::ring::Pkcs11Config;
///
/// let config = Pkcs11Config::new("/usr/lib/softhsm/libsofthsm2.so", "root", "1234".into(), "kek");
/// assert!(!format!("{config:?}").contains("1234"));
/// ```
pub struct Pkcs11Config {
    module: PathBuf,
    token: String,
    pin: SecretString,
    key_label: String,
}

impl Pkcs11Config {
    /// The key `key_label` on the token labelled `token` of `module`, logged
    /// in as the user with `pin`.
    pub fn new(
        module: impl Into<PathBuf>,
        token: impl Into<String>,
        pin: SecretString,
        key_label: impl Into<String>,
    ) -> Pkcs11Config {
        Pkcs11Config {
            module: module.into(),
            token: token.into(),
            pin,
            key_label: key_label.into(),
        }
    }
}

impl fmt::Debug for Pkcs11Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs11Config")
            .field("module", &self.module)
            .field("token", &self.token)
            .field("pin", &format_args!("[REDACTED]"))
            .field("key_label", &self.key_label)
            .finish()
    }
}

/// A [`RootKey`] held by a PKCS#11 token: an AES-256 key created on the
/// token `Sensitive`, not `Extractable`, so it never leaves it. Key
/// material is encrypted and decrypted by the token with AES-GCM, the key
/// reference as associated data.
///
/// Versions of the root key are token objects with the same label and the
/// version number as their `CKA_ID`; [`Pkcs11RootKey::add_version`] creates
/// the next one, which then wraps everything new. The wrapped bytes name
/// the version that wrapped them, and unwrapping uses exactly that one:
/// destroy it, and what it wrapped is refused. Rotation
/// ([`RootKey::rewrap`]) decrypts under the old version and encrypts under
/// the current one; with AES-GCM, the token cannot re-wrap in one call
/// (SoftHSM2's `C_WrapKey` knows only AES key wrap, which has no associated
/// data), so the material passes through this process during a rotation.
///
/// A module is initialized once per process and shared by every root key
/// over it (a second `C_Initialize` fails). One logged-in session per root
/// key, used under a lock.
pub struct Pkcs11RootKey {
    config: Pkcs11Config,
    session: Mutex<Session>,
}

impl fmt::Debug for Pkcs11RootKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs11RootKey")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Keeps the calls that change a token's objects (create, update,
/// destroy) apart from each other and from every other call on the token
/// (find, encrypt, decrypt), which may run together: SoftHSM2 answered
/// `CKR_GENERAL_ERROR` to concurrent key generation from several sessions,
/// and to a generation while another session decrypted (a root re-check
/// running beside an operator's new version;
/// `pkcs11::generation_and_decryption_overlapping_on_one_token_both_succeed`
/// failed in 5 of 5 runs with a lock on changes only).
static OBJECT_CHANGES: RwLock<()> = RwLock::new(());

fn object_changes() -> RwLockWriteGuard<'static, ()> {
    OBJECT_CHANGES
        .write()
        .unwrap_or_else(PoisonError::into_inner)
}

fn object_reads() -> RwLockReadGuard<'static, ()> {
    OBJECT_CHANGES
        .read()
        .unwrap_or_else(PoisonError::into_inner)
}

/// The modules initialized in this process: each one once.
static MODULES: Mutex<Vec<(PathBuf, Pkcs11)>> = Mutex::new(Vec::new());

fn module(path: &Path) -> Result<Pkcs11, BackendError> {
    let mut modules = MODULES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, module)) = modules.iter().find(|(p, _)| p == path) {
        return Ok(module.clone());
    }
    let unavailable = |_| {
        BackendError::new(
            BackendErrorKind::Unavailable,
            "PKCS#11 module failed to load",
        )
    };
    let module = Pkcs11::new(path).map_err(unavailable)?;
    module
        .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .map_err(unavailable)?;
    modules.push((path.to_owned(), module.clone()));
    Ok(module)
}

/// The typed error of a token's refusal; never the token's own text.
fn token_error(e: &CkError) -> BackendError {
    let rv = match e {
        CkError::Pkcs11(rv, _) => Some(*rv),
        _ => None,
    };
    match rv {
        // What a wrong key reference or altered bytes produce (SoftHSM2
        // answers a failed GCM tag with CKR_GENERAL_ERROR).
        Some(
            RvError::GeneralError | RvError::EncryptedDataInvalid | RvError::EncryptedDataLenRange,
        ) => BackendError::new(
            BackendErrorKind::Unwrap,
            "the token could not authenticate the wrapped material",
        ),
        Some(
            RvError::KeyFunctionNotPermitted
            | RvError::KeyHandleInvalid
            | RvError::PinIncorrect
            | RvError::PinLocked
            | RvError::UserNotLoggedIn,
        ) => BackendError::new(
            BackendErrorKind::Refused,
            "the token refused to use the key",
        ),
        _ => BackendError::new(
            BackendErrorKind::Unavailable,
            "the PKCS#11 token is unavailable",
        ),
    }
}

impl Pkcs11RootKey {
    /// Opens a logged-in session on the token of `config` and checks that
    /// the key has at least one version there.
    pub fn open(config: Pkcs11Config) -> Result<Pkcs11RootKey, BackendError> {
        let root = Pkcs11RootKey::open_unchecked(config)?;
        root.current()?;
        Ok(root)
    }

    /// Creates the next version of the key on the token (version 1 if there
    /// is none): AES-256, `Token`, `Private`, `Sensitive`, not `Extractable`,
    /// encrypt and decrypt only. It wraps everything new from now on.
    pub fn add_version(&self) -> Result<u32, BackendError> {
        let _changes = object_changes();
        let session = self.session();
        let next = match current_in(&session, &self.config.key_label) {
            Ok((version, _)) => version + 1,
            Err(_) => 1,
        };
        let template = [
            Attribute::Token(true),
            Attribute::Private(true),
            Attribute::Sensitive(true),
            Attribute::Extractable(false),
            Attribute::Encrypt(true),
            Attribute::Decrypt(true),
            Attribute::Wrap(false),
            Attribute::Unwrap(false),
            Attribute::ValueLen(32.into()),
            Attribute::Label(self.config.key_label.as_bytes().to_vec()),
            Attribute::Id(next.to_be_bytes().to_vec()),
        ];
        session
            .generate_key(&Mechanism::AesKeyGen, &template)
            .map_err(|e| token_error(&e))?;
        Ok(next)
    }

    /// Creates the first version of the key of `config` and opens it.
    pub fn create(config: Pkcs11Config) -> Result<Pkcs11RootKey, BackendError> {
        let root = Pkcs11RootKey::open_unchecked(config)?;
        root.add_version()?;
        Ok(root)
    }

    /// Allows or forbids every use of version `version` (its `CKA_ENCRYPT`
    /// and `CKA_DECRYPT`): an operator's disable and re-enable. While it is
    /// forbidden, the token refuses it and the ring fails closed.
    pub fn set_usable(&self, version: u32, usable: bool) -> Result<(), BackendError> {
        let _changes = object_changes();
        let session = self.session();
        let key = version_in(&session, &self.config.key_label, version)?;
        session
            .update_attributes(
                key,
                &[Attribute::Encrypt(usable), Attribute::Decrypt(usable)],
            )
            .map_err(|e| token_error(&e))
    }

    /// Destroys version `version` on the token: retirement after a
    /// rotation. What it wrapped can never be unwrapped again.
    pub fn destroy_version(&self, version: u32) -> Result<(), BackendError> {
        let _changes = object_changes();
        let session = self.session();
        let key = version_in(&session, &self.config.key_label, version)?;
        session.destroy_object(key).map_err(|e| token_error(&e))
    }

    fn open_unchecked(config: Pkcs11Config) -> Result<Pkcs11RootKey, BackendError> {
        let module = module(&config.module)?;
        // Opening and logging in read the token too.
        let _reads = object_reads();
        let slot = module
            .get_slots_with_token()
            .map_err(|e| token_error(&e))?
            .into_iter()
            .find(|slot| {
                module
                    .get_token_info(*slot)
                    .is_ok_and(|info| info.label() == config.token)
            })
            .ok_or(BackendError::new(
                BackendErrorKind::Unavailable,
                "no PKCS#11 token with this label",
            ))?;
        let session = module.open_rw_session(slot).map_err(|e| token_error(&e))?;
        match session.login(UserType::User, Some(&config.pin)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
            Err(e) => return Err(token_error(&e)),
        }
        Ok(Pkcs11RootKey {
            config,
            session: Mutex::new(session),
        })
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current (highest) version and its handle.
    fn current(&self) -> Result<(u32, ObjectHandle), BackendError> {
        let _reads = object_reads();
        current_in(&self.session(), &self.config.key_label)
    }

    fn encrypt(
        session: &Session,
        version: u32,
        key: ObjectHandle,
        key_ref: &KeyRef,
        material: &[u8; 32],
    ) -> Result<WrappedKey, BackendError> {
        let mut iv = [0u8; IV_LEN];
        getrandom::fill(&mut iv).map_err(|_| {
            BackendError::new(BackendErrorKind::Unavailable, "random source failed")
        })?;
        let aad = wrap_aad(key_ref);
        let mut params_iv = iv;
        let params = GcmParams::new(&mut params_iv, &aad, 128.into())
            .map_err(|_| BackendError::new(BackendErrorKind::Corrupt, "GCM parameters rejected"))?;
        let sealed = session
            .encrypt(&Mechanism::AesGcm(params), key, material)
            .map_err(|e| token_error(&e))?;
        if sealed.len() != 32 + 16 {
            return Err(BackendError::new(
                BackendErrorKind::Corrupt,
                "the token returned a ciphertext of the wrong length",
            ));
        }
        let mut out = Vec::with_capacity(WRAPPED_LEN);
        out.push(WRAP_FORMAT_V1);
        out.extend_from_slice(&version.to_be_bytes());
        out.extend_from_slice(&iv);
        out.extend_from_slice(&sealed);
        Ok(WrappedKey::from_bytes(out))
    }

    fn decrypt(
        &self,
        session: &Session,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        let refused = || {
            BackendError::new(
                BackendErrorKind::Unwrap,
                "wrapped material failed authentication",
            )
        };
        let bytes: &[u8; WRAPPED_LEN] = wrapped.as_bytes().try_into().map_err(|_| refused())?;
        let (format, rest) = bytes.split_first().ok_or_else(refused)?;
        if *format != WRAP_FORMAT_V1 {
            return Err(refused());
        }
        let (version, rest) = rest.split_first_chunk::<4>().ok_or_else(refused)?;
        let (iv, sealed) = rest.split_first_chunk::<IV_LEN>().ok_or_else(refused)?;
        let key = version_in(
            session,
            &self.config.key_label,
            u32::from_be_bytes(*version),
        )?;
        let aad = wrap_aad(key_ref);
        let mut iv = *iv;
        let params = GcmParams::new(&mut iv, &aad, 128.into())
            .map_err(|_| BackendError::new(BackendErrorKind::Corrupt, "GCM parameters rejected"))?;
        let opened = Zeroizing::new(
            session
                .decrypt(&Mechanism::AesGcm(params), key, sealed)
                .map_err(|e| token_error(&e))?,
        );
        let opened: &[u8; 32] = opened.as_slice().try_into().map_err(|_| refused())?;
        let mut secret = SecretBox::<[u8; 32]>::default();
        secret.expose_secret_mut().copy_from_slice(opened);
        Ok(secret)
    }
}

fn wrap_aad(key_ref: &KeyRef) -> Vec<u8> {
    let mut aad = WRAP_DOMAIN.to_vec();
    aad.extend_from_slice(key_ref.to_string().as_bytes());
    aad
}

fn key_template(label: &str) -> Vec<Attribute> {
    vec![
        Attribute::Class(ObjectClass::SECRET_KEY),
        Attribute::KeyType(KeyType::AES),
        Attribute::Label(label.as_bytes().to_vec()),
    ]
}

/// The handle of version `version` of the key `label`: `Refused` if the
/// token has no such version (destroyed, or never made).
fn version_in(session: &Session, label: &str, version: u32) -> Result<ObjectHandle, BackendError> {
    let mut template = key_template(label);
    template.push(Attribute::Id(version.to_be_bytes().to_vec()));
    session
        .find_objects(&template)
        .map_err(|e| token_error(&e))?
        .into_iter()
        .next()
        .ok_or(BackendError::new(
            BackendErrorKind::Refused,
            "the token has no such root key version",
        ))
}

/// The highest version of the key `label` on the token.
fn current_in(session: &Session, label: &str) -> Result<(u32, ObjectHandle), BackendError> {
    let mut best = None;
    for handle in session
        .find_objects(&key_template(label))
        .map_err(|e| token_error(&e))?
    {
        let attributes = session
            .get_attributes(handle, &[AttributeType::Id])
            .map_err(|e| token_error(&e))?;
        for attribute in attributes {
            if let Attribute::Id(id) = attribute
                && let Ok(id) = <[u8; 4]>::try_from(id.as_slice())
            {
                let version = u32::from_be_bytes(id);
                if best.is_none_or(|(v, _)| version > v) {
                    best = Some((version, handle));
                }
            }
        }
    }
    best.ok_or(BackendError::new(
        BackendErrorKind::Refused,
        "the token holds no version of the root key",
    ))
}

impl RootKey for Pkcs11RootKey {
    fn wrap(
        &self,
        _call: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        let _reads = object_reads();
        let session = self.session();
        let (version, key) = current_in(&session, &self.config.key_label)?;
        Pkcs11RootKey::encrypt(&session, version, key, key_ref, material.expose_secret())
    }

    fn unwrap(
        &self,
        _call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        let _reads = object_reads();
        self.decrypt(&self.session(), key_ref, wrapped)
    }

    fn rewrap(
        &self,
        _call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<WrappedKey, BackendError> {
        let _reads = object_reads();
        let session = self.session();
        let (version, key) = current_in(&session, &self.config.key_label)?;
        if wrapped.as_bytes().get(1..5) == Some(&version.to_be_bytes()[..]) {
            return Ok(wrapped.clone());
        }
        let material = self.decrypt(&session, key_ref, wrapped)?;
        Pkcs11RootKey::encrypt(&session, version, key, key_ref, material.expose_secret())
    }
}
