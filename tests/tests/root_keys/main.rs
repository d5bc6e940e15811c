//! Root keys held by a real KMS or HSM, each tested against a real server
//! that the tests start themselves (`servers`): OpenBao's transit engine
//! (`transit`), a SoftHSM2 token (`pkcs11`) and LocalStack's KMS
//! (`aws_kms`). For each provider, through one suite (`suite`): a round
//! trip through a cold ring, the key reference bound to the wrapped bytes,
//! fail-closed behaviour when the provider disables the key (and service
//! restored when it is re-enabled), rotation of the root key over a store
//! of many keys; and in each provider's file, what only it has, failing
//! closed when it cannot be reached, and leak canaries over every error and
//! `Debug`.
//!
//! Run all of it with `cargo test -p key-model-tests --test root_keys`
//! after `bash scripts/install-test-deps.sh`.

mod aws_kms;
mod pkcs11;
mod servers;
mod suite;
mod transit;

use std::sync::Arc;

use key_model::ring::StoredKey;
use key_model::testing::EditableKeyStore;
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

/// A store shared by several rings (a warm one and a cold one), whose
/// records the test may edit as an attacker with the database would.
pub(crate) fn shared_store() -> Arc<EditableKeyStore> {
    Arc::new(EditableKeyStore::new())
}

/// The stored record of `name`, with the wrapped material of versions `a`
/// and `b` (indices) swapped: what an attacker with write access to the
/// store can do.
pub(crate) fn swap_wrapped(store: &EditableKeyStore, name: &KeyName, a: usize, b: usize) {
    let (record, revision) = store
        .record(name)
        .expect("store answers")
        .expect("key exists");
    let mut json = serde_json::to_value(&record).expect("record serializes");
    let versions = json["versions"].as_array_mut().expect("versions");
    let wa = versions[a]["wrapped"].take();
    let wb = versions[b]["wrapped"].take();
    versions[a]["wrapped"] = wb;
    versions[b]["wrapped"] = wa;
    let swapped: StoredKey = serde_json::from_value(json).expect("record deserializes");
    store.write(&swapped, Some(revision)).expect("store saves");
}
