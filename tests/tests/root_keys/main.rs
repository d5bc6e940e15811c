//! Root keys held by a real KMS or HSM, each tested against a real server
//! that the tests start themselves (`servers`): OpenBao's transit engine
//! (`transit`), a SoftHSM2 token (`pkcs11`) and LocalStack's KMS
//! (`aws_kms`). For each provider: a round trip through a cold ring, the key
//! reference bound to the wrapped bytes, fail-closed behaviour when the
//! provider disables the key or cannot be reached (and service restored
//! when it is re-enabled), rotation of the root key over a store of many
//! keys, and leak canaries over every error and `Debug`.
//!
//! Run all of it with `cargo test -p key-model-tests --test root_keys`
//! after `bash scripts/install-test-deps.sh`.

mod aws_kms;
mod pkcs11;
mod servers;
mod transit;

use std::sync::Arc;

use key_model::ring::{KeyStore, MemoryKeyStore, StoredKey};
use key_model::{KeyName, TenantScope};

/// The scope of `tenant`, as the host grants it.
pub(crate) fn scope(tenant: &str) -> TenantScope {
    TenantScope::authorized_by_host(tenant.parse().expect("valid tenant"))
}

/// The key `tenants/TENANT/keys/PURPOSE`.
pub(crate) fn name(tenant: &str, purpose: &str) -> KeyName {
    format!("tenants/{tenant}/keys/{purpose}")
        .parse()
        .expect("valid key name")
}

/// A store shared by several rings (a warm one and a cold one).
pub(crate) fn shared_store() -> Arc<MemoryKeyStore> {
    Arc::new(MemoryKeyStore::new())
}

/// The stored record of `name`, with the wrapped material of versions `a`
/// and `b` (indices) swapped: what an attacker with write access to the
/// store can do.
pub(crate) fn swap_wrapped(store: &dyn KeyStore, name: &KeyName, a: usize, b: usize) {
    let (record, revision) = store
        .load(name)
        .expect("store answers")
        .expect("key exists");
    let mut json = serde_json::to_value(&record).expect("record serializes");
    let versions = json["versions"].as_array_mut().expect("versions");
    let wa = versions[a]["wrapped"].take();
    let wb = versions[b]["wrapped"].take();
    versions[a]["wrapped"] = wb;
    versions[b]["wrapped"] = wa;
    let swapped: StoredKey = serde_json::from_value(json).expect("record deserializes");
    store.save(&swapped, Some(revision)).expect("store saves");
}

/// The root re-check interval of the provider-disable tests.
pub(crate) const RECHECK: std::time::Duration = std::time::Duration::from_millis(300);

/// A ring over `store` and `root` with the root re-check every [`RECHECK`]
/// and the background refresher on, that has made `sealed` under `name`
/// and used it for two intervals (so the provider has re-checked it while
/// enabled).
pub(crate) fn rechecked_ring(
    store: &Arc<MemoryKeyStore>,
    root: impl key_model::ring::RootKey + 'static,
    name: &KeyName,
) -> (Arc<key_model::KeyRing>, key_model::Envelope) {
    let ring =
        Arc::new(key_model::KeyRing::new(Arc::clone(store), root).with_root_recheck(RECHECK));
    let _refresher = ring.refresh_in_background().expect("the refresher starts");
    let acme = scope("acme");
    ring.create_key(&acme, name).expect("the provider wraps");
    let sealed = ring.encrypt(&acme, name, b"row", b"").expect("encrypt");
    let start = std::time::Instant::now();
    while start.elapsed() < 2 * RECHECK {
        ring.decrypt(&acme, &sealed, b"")
            .expect("the provider still serves the key");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    (ring, sealed)
}

/// Decrypts `sealed` in a loop from the moment the provider disabled its
/// key until the ring refuses it with the provider's refusal, asserts that
/// came within the re-check interval (plus one provider call on a loaded
/// machine), and returns how long it took.
pub(crate) fn refusal_within_recheck(
    ring: &key_model::KeyRing,
    sealed: &key_model::Envelope,
    disabled: std::time::Instant,
) -> std::time::Duration {
    let acme = scope("acme");
    let limit = RECHECK + std::time::Duration::from_millis(500);
    loop {
        match ring.decrypt(&acme, sealed, b"") {
            Ok(_) => {}
            Err(key_model::Error::Backend(e))
                if e.kind() == key_model::BackendErrorKind::Refused =>
            {
                let seen = disabled.elapsed();
                assert!(seen < limit, "refused after {seen:?}, beyond {limit:?}");
                return seen;
            }
            Err(other) => panic!("expected the provider's refusal, got {other:?}"),
        }
        assert!(
            disabled.elapsed() < limit,
            "cached material still usable {limit:?} after the provider disabled its key"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}
