//! The canary material of a whole key ring, and the rings that use it.

use core::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::Error;
use crate::model::id::KeyRef;
use crate::model::material::KeyMaterial;
use crate::ring::keyring::KeyRing;
use crate::ring::root::RootKey;
use crate::ring::root::memory::MemoryRootKey;
use crate::ring::source::MaterialSource;
use crate::ring::store::KeyStore;
use crate::ring::store::memory::MemoryKeyStore;
use crate::testing::canary::{Canary, Leak, scan};

/// The canary material of a key ring: one canary for its root key, and one
/// for each key version it generates, derived from a seed and the version's
/// reference, so the same seed gives the same canaries on every run.
///
/// A ring made with [`ring_with_canary_keys`] (or [`canary_ring`])
/// asks it for the material of every new version instead of the operating
/// system's random source, and it keeps a list of what it issued. Clones
/// share that list: keep one, give the ring another.
///
/// ```
/// use key_model::testing::CanaryKeys;
/// use key_model::ring::MemoryKeyStore;
/// use key_model::{KeyName, TenantScope};
///
/// let canaries = CanaryKeys::new(7);
/// let ring =
///     key_model::testing::ring_with_canary_keys(MemoryKeyStore::new(), canaries.root_key(), &canaries);
/// let acme = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// let v1 = ring.create_key(&acme, &name)?.key_ref().clone();
///
/// let (issued_ref, issued) = &canaries.issued()[0];
/// assert_eq!(issued_ref, &v1);
/// assert_eq!(issued.bytes(), canaries.canary_for(&v1).bytes());
///
/// // A deliberate leak names the key whose material leaked.
/// let leak = canaries.find_leak(format!("{:?}", issued.bytes())).unwrap();
/// assert_eq!(leak.key(), &key_model::testing::LeakedKey::Version(v1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct CanaryKeys {
    inner: Arc<CanaryKeysInner>,
}

struct CanaryKeysInner {
    seed: u64,
    root: Canary,
    issued: Mutex<Vec<(KeyRef, Canary)>>,
}

/// Which key's canary a [`CanaryKeys`] scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LeakedKey {
    /// The root key's.
    Root,
    /// The material of this key version.
    Version(KeyRef),
}

/// A leak found by [`CanaryKeys::find_leak`]: whose material, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLeak {
    key: LeakedKey,
    leak: Leak,
}

impl KeyLeak {
    /// Whose material leaked.
    pub fn key(&self) -> &LeakedKey {
        &self.key
    }

    /// How and where.
    pub fn leak(&self) -> Leak {
        self.leak
    }
}

impl fmt::Display for KeyLeak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            LeakedKey::Root => write!(f, "root key: {}", self.leak),
            LeakedKey::Version(key_ref) => write!(f, "{key_ref}: {}", self.leak),
        }
    }
}

/// The 64-bit FNV-1a hash: a fixed, dependency-free way to turn a key
/// reference into a seed (reproducible across runs and platforms, which
/// `std`'s hasher does not promise).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl CanaryKeys {
    /// The canary material for `seed`. Different seeds give different
    /// canaries, for the root key and for every reference.
    pub fn new(seed: u64) -> CanaryKeys {
        CanaryKeys {
            inner: Arc::new(CanaryKeysInner {
                seed,
                // The root's canary is derived like a version's, from a
                // name no key reference can have (references have no
                // spaces), so it never equals one of them.
                root: Canary::new(seed ^ fnv1a(b"root key")),
                issued: Mutex::new(Vec::new()),
            }),
        }
    }

    /// The seed these canaries derive from.
    pub fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// The root key's canary.
    pub fn root(&self) -> &Canary {
        &self.inner.root
    }

    /// A [`MemoryRootKey`] whose key is the root canary: material it wraps
    /// is encrypted under bytes the test knows, and must not show them.
    pub fn root_key(&self) -> MemoryRootKey {
        MemoryRootKey::from_material(self.inner.root.key_material())
    }

    /// The canary of `key_ref`, whether or not a ring has generated it yet.
    pub fn canary_for(&self, key_ref: &KeyRef) -> Canary {
        Canary::new(self.inner.seed ^ fnv1a(key_ref.to_string().as_bytes()))
    }

    /// Every key version the rings using these canaries have generated, in
    /// the order they were generated, with its canary.
    pub fn issued(&self) -> Vec<(KeyRef, Canary)> {
        self.lock().clone()
    }

    /// The root canary and every issued one, for [`assert_no_leak`](crate::testing::assert_no_leak).
    pub fn all(&self) -> Vec<Canary> {
        let mut all = vec![self.inner.root.clone()];
        all.extend(self.lock().iter().map(|(_, c)| c.clone()));
        all
    }

    /// The first place `output` reveals the root canary or an issued one.
    pub fn find_leak(&self, output: impl AsRef<[u8]>) -> Option<KeyLeak> {
        let issued = self.lock();
        let mut canaries = vec![&self.inner.root];
        canaries.extend(issued.iter().map(|(_, c)| c));
        let (i, leak) = scan(&canaries, output.as_ref())?;
        let key = match i.checked_sub(1) {
            None => LeakedKey::Root,
            Some(v) => LeakedKey::Version(issued.get(v)?.0.clone()),
        };
        Some(KeyLeak { key, leak })
    }

    /// Checks that `output` reveals neither the root canary nor an issued
    /// one.
    ///
    /// # Panics
    ///
    /// If it does, naming the key, the encoding and the offset.
    #[track_caller]
    pub fn assert_no_leak(&self, output: impl AsRef<[u8]>) {
        if let Some(leak) = self.find_leak(output) {
            panic!("{leak}");
        }
    }

    /// The material of a new version `key_ref`, recorded as issued.
    fn issue(&self, key_ref: &KeyRef) -> KeyMaterial {
        let canary = self.canary_for(key_ref);
        let material = canary.key_material();
        let mut issued = self.lock();
        // A ring whose store refused a save generates the same version
        // again; the canary is the same, and listed once.
        if !issued.iter().any(|(r, _)| r == key_ref) {
            issued.push((key_ref.clone(), canary));
        }
        material
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(KeyRef, Canary)>> {
        // Pushing one element leaves the list whole even if a holder
        // panicked: reading on is safe.
        self.inner
            .issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for CanaryKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // References only: a debug print of the canaries in a scanned
        // output must not report itself.
        let issued: Vec<String> = self.lock().iter().map(|(r, _)| r.to_string()).collect();
        f.debug_struct("CanaryKeys")
            .field("seed", &self.inner.seed)
            .field("issued", &issued)
            .finish_non_exhaustive()
    }
}

/// A key ring in memory whose root key and generated keys are canaries
/// (see [`CanaryKeys`]), and the canaries.
///
/// ```
/// use key_model::testing::canary_ring;
/// use key_model::{KeyName, TenantScope};
///
/// let (ring, canaries) = canary_ring(1);
/// let acme = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// ring.create_key(&acme, &name)?;
/// let refused = ring.create_key(&acme, &name).unwrap_err();
/// canaries.assert_no_leak(format!("{refused} {refused:?} {ring:#?}"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn canary_ring(seed: u64) -> (KeyRing, CanaryKeys) {
    let canaries = CanaryKeys::new(seed);
    let ring = ring_with_canary_keys(MemoryKeyStore::new(), canaries.root_key(), &canaries);
    (ring, canaries)
}

/// The key ring asks the canaries for the material of every new version
/// (its one point of key generation), instead of the operating system.
impl MaterialSource for CanaryKeys {
    fn material_for(&self, key_ref: &KeyRef) -> Result<KeyMaterial, Error> {
        Ok(self.issue(key_ref))
    }
}

/// A key ring over `store`, wrapping material with `root`, whose every
/// generated key version gets canary material from `canaries` instead of
/// random bytes (for leak tests). Everything else is as in
/// [`KeyRing::new`]: give it [`CanaryKeys::root_key`] for a canary root key
/// too.
///
/// ```
/// use std::sync::Arc;
/// use key_model::testing::{CanaryKeys, EditableKeyStore, ring_with_canary_keys};
/// use key_model::{KeyName, TenantScope};
///
/// let canaries = CanaryKeys::new(3);
/// let store = Arc::new(EditableKeyStore::new());
/// let ring = ring_with_canary_keys(Arc::clone(&store), canaries.root_key(), &canaries);
/// let acme = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// ring.create_key(&acme, &name)?;
/// ring.rotate(&acme, &name)?;
///
/// // The wrapped material at rest is encrypted: no canary in it.
/// let (record, _revision) = store.record(&name)?.unwrap();
/// for version in record.versions() {
///     canaries.assert_no_leak(version.wrapped().unwrap().as_bytes());
/// }
/// canaries.assert_no_leak(serde_json::to_vec(&record)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ring_with_canary_keys(
    store: impl KeyStore + 'static,
    root: impl RootKey + 'static,
    canaries: &CanaryKeys,
) -> KeyRing {
    KeyRing::with_source(store, root, canaries.clone())
}
