//! Helpers shared by the `ring` binary's modules and the ring canaries
//! (`leak_canaries/ring.rs`): scopes, names, a root key that records what it
//! wraps and unwraps, and a way to write any state (one this version does not
//! know included) into a stored record, as a database written by another
//! version of key-model would hold it.

#![allow(dead_code, unreachable_pub)] // each test file uses a different subset

use std::sync::{Arc, Mutex, PoisonError};

use key_model::ring::{
    ExposeSecret, MemoryRootKey, RingCall, RootKey, SecretBox, StoredKey, WrappedKey,
};
use key_model::testing::EditableKeyStore;
use key_model::{BackendError, KeyName, KeyRef, KeyRing, TenantScope};

pub fn scope(tenant: &str) -> TenantScope {
    TenantScope::authorized_by_host(tenant.parse().expect("valid tenant"))
}

pub fn name(tenant: &str, purpose: &str) -> KeyName {
    format!("tenants/{tenant}/keys/{purpose}")
        .parse()
        .expect("valid key name")
}

/// A root key that wraps with a real [`MemoryRootKey`] and records what
/// passes through it: every key it wraps, with its bytes (so a test can
/// search outputs for the actual material), and every reference it unwraps
/// (so a test can see which versions were loaded).
pub struct SpyRoot {
    inner: MemoryRootKey,
    wrapped: Mutex<Vec<(KeyRef, [u8; 32])>>,
    unwrapped: Mutex<Vec<KeyRef>>,
}

impl SpyRoot {
    /// Over a fresh random root key.
    pub fn new() -> SpyRoot {
        SpyRoot::over(MemoryRootKey::generate().expect("random source"))
    }

    /// Over `inner` (a canary root key, say).
    pub fn over(inner: MemoryRootKey) -> SpyRoot {
        SpyRoot {
            inner,
            wrapped: Mutex::new(Vec::new()),
            unwrapped: Mutex::new(Vec::new()),
        }
    }

    /// Every key wrapped so far, in order, with its material.
    pub fn wrapped(&self) -> Vec<(KeyRef, [u8; 32])> {
        self.wrapped
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The references unwrapped since the last call.
    pub fn take_unwrapped(&self) -> Vec<KeyRef> {
        std::mem::take(
            &mut *self
                .unwrapped
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }
}

impl RootKey for SpyRoot {
    fn wrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        self.wrapped
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((key_ref.clone(), *material.expose_secret()));
        self.inner.wrap(call, key_ref, material)
    }

    fn unwrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        self.unwrapped
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(key_ref.clone());
        self.inner.unwrap(call, key_ref, wrapped)
    }
}

/// A ring over a shared store and root key, so that a test can edit the
/// store and open a fresh ring on it (the fresh ring loads the edited
/// record, as a restarted process would).
pub struct Fixture {
    pub store: Arc<EditableKeyStore>,
    pub root: Arc<SpyRoot>,
    pub ring: KeyRing,
}

impl Fixture {
    pub fn new() -> Fixture {
        let store = Arc::new(EditableKeyStore::new());
        let root = Arc::new(SpyRoot::new());
        let ring = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
        Fixture { store, root, ring }
    }

    /// A new ring over the same store and root key, with an empty cache.
    pub fn reopen(&self) -> KeyRing {
        KeyRing::new(Arc::clone(&self.store), Arc::clone(&self.root))
    }

    /// Rewrites the stored record of `key_ref`'s key through serde, the way
    /// a database row is read: `edit` gets the JSON of the version.
    pub fn edit_version(&self, key_ref: &KeyRef, edit: impl FnOnce(&mut serde_json::Value)) {
        let (record, revision) = self
            .store
            .record(&key_ref.name())
            .expect("store")
            .expect("key exists");
        let mut json = serde_json::to_value(&record).expect("serializable");
        let versions = json["versions"].as_array_mut().expect("versions");
        let version = versions
            .iter_mut()
            .find(|v| v["metadata"]["key_ref"] == key_ref.to_string())
            .expect("version exists");
        edit(version);
        let edited: StoredKey = serde_json::from_value(json).expect("deserializable");
        self.store.write(&edited, Some(revision)).expect("store");
    }

    /// Sets the stored state of `key_ref` to `state` (serde's form of a
    /// `KeyState`, `"quarantined"` for one this version does not know).
    pub fn set_state(&self, key_ref: &KeyRef, state: serde_json::Value) {
        self.edit_version(key_ref, |v| v["metadata"]["state"] = state);
    }
}

/// A directory of its own under the system's temporary directory, removed
/// with everything in it when dropped (the SQLite tests keep their files
/// there).
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "key-model-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).expect("a temporary directory");
        TempDir(path)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }

    pub fn file(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
