//! The store conformance suite: what every [`KeyStore`] must do for the key
//! ring, checked against any store, as tower-sessions-stores checks every
//! session store with one suite.
//!
//! A store's tests call [`run_store_conformance`] with a function that makes
//! an empty store (a fresh database file, say); each behaviour gets its own
//! store. A failure panics with the behaviour's name and what differed.
//!
//! ```
//! use key_model::ring::MemoryKeyStore;
//! use key_model::testing::{STORE_BEHAVIOURS, run_store_conformance};
//!
//! run_store_conformance(MemoryKeyStore::new);
//! assert!(STORE_BEHAVIOURS.len() >= 10);
//! ```

use std::sync::{Arc, Barrier};

use crate::model::id::{KeyName, TenantId};
use crate::model::lifecycle::KeyState;
use crate::model::scope::TenantScope;
use crate::ring::backend::BackendErrorKind;
use crate::ring::keyring::KeyRing;
use crate::ring::root::memory::MemoryRootKey;
use crate::ring::store::{KeyStore, Revision, StoreCall, StoredKey};

/// The behaviours [`run_store_conformance`] checks, by name, in order.
pub const STORE_BEHAVIOURS: &[&str] = &[
    "load of a missing key is None",
    "save then load returns the record and its revision",
    "records are kept exactly, every state and origin",
    "an unknown state is preserved",
    "list returns one tenant's keys only",
    "create-if-absent refuses an existing key",
    "a stale revision is refused with Conflict",
    "a revision of a missing key is refused with Conflict",
    "revisions increase with every save",
    "one of two racing writers wins",
    "a key ring over the store survives a restart",
];

/// Runs every behaviour of [`STORE_BEHAVIOURS`] against stores made by
/// `make` (one fresh, empty store per behaviour), and panics at the first
/// one the store does not have.
pub fn run_store_conformance<S: KeyStore + 'static>(make: impl Fn() -> S) {
    missing_key(&make());
    round_trip(&make());
    kept_exactly(&make());
    unknown_state(&make());
    list_per_tenant(&make());
    create_if_absent(&make());
    stale_revision(&make());
    missing_revision(&make());
    increasing_revisions(&make());
    racing_writers(&Arc::new(make()));
    ring_restart(&Arc::new(make()));
}

fn fail(behaviour: usize, what: &str) -> ! {
    panic!("store conformance: {}: {what}", STORE_BEHAVIOURS[behaviour]);
}

fn name(text: &str) -> KeyName {
    text.parse().expect("a valid key name")
}

/// A record from its JSON form, as a database written by key-model holds it.
fn record(json: &str) -> StoredKey {
    serde_json::from_str(json).expect("a valid stored record")
}

/// One enabled primary version with 73 bytes of wrapped material.
fn simple(key: &str) -> StoredKey {
    record(&format!(
        r#"{{"name":"{key}","versions":[{{"metadata":{{
            "key_ref":"{key}/versions/1","state":"enabled","origin":"platform_managed",
            "created_at":1764400000,"primary":true}},
            "wrapped":"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4_QEFCQ0RFRkdISQ"}}]}}"#
    ))
}

/// Every state the ring writes, in one record, the wrapped material of
/// each version different, one destroyed (no material).
fn every_state(key: &str) -> StoredKey {
    record(&format!(
        r#"{{"name":"{key}","versions":[
          {{"metadata":{{"key_ref":"{key}/versions/1","state":"destroyed",
             "origin":"platform_managed","created_at":1,"primary":false}},"wrapped":null}},
          {{"metadata":{{"key_ref":"{key}/versions/2","state":{{"destroy_scheduled":{{"at":1900000000}}}},
             "origin":"platform_managed","created_at":2,"primary":false}},"wrapped":"AA"}},
          {{"metadata":{{"key_ref":"{key}/versions/3","state":"disabled",
             "origin":"platform_managed","created_at":1764400000,"primary":false}},"wrapped":"_wD_"}},
          {{"metadata":{{"key_ref":"{key}/versions/7","state":"enabled",
             "origin":"platform_managed","created_at":4102444800,"primary":true}},"wrapped":"AQID"}},
          {{"metadata":{{"key_ref":"{key}/versions/4294967295","state":"enabled",
             "origin":"platform_managed","created_at":0,"primary":false}},"wrapped":"AAAAAAAAAAAAAAAAAAAA"}}
        ]}}"#
    ))
}

fn save<S: KeyStore + ?Sized>(
    store: &S,
    behaviour: usize,
    key: &StoredKey,
    expected: Option<Revision>,
) -> Revision {
    store
        .save(&StoreCall::new(), key, expected)
        .unwrap_or_else(|e| fail(behaviour, &format!("save failed: {e}")))
}

fn load<S: KeyStore + ?Sized>(
    store: &S,
    behaviour: usize,
    key: &KeyName,
) -> Option<(StoredKey, Revision)> {
    store
        .load(&StoreCall::new(), key)
        .unwrap_or_else(|e| fail(behaviour, &format!("load failed: {e}")))
}

fn expect_conflict<S: KeyStore + ?Sized>(
    store: &S,
    behaviour: usize,
    key: &StoredKey,
    expected: Option<Revision>,
) {
    match store.save(&StoreCall::new(), key, expected) {
        Err(e) if e.kind() == BackendErrorKind::Conflict => {}
        Err(e) => fail(behaviour, &format!("refused with {e}, not a Conflict")),
        Ok(_) => fail(behaviour, "the write was accepted"),
    }
}

fn missing_key<S: KeyStore>(store: &S) {
    let key = name("tenants/acme/keys/audit-export");
    if load(store, 0, &key).is_some() {
        fail(0, "an empty store loaded a record");
    }
    match store.revision(&StoreCall::new(), &key) {
        Ok(None) => {}
        Ok(Some(_)) => fail(0, "an empty store has a revision"),
        Err(e) => fail(0, &format!("revision failed: {e}")),
    }
    match store.list(&StoreCall::new(), key.tenant()) {
        Ok(names) if names.is_empty() => {}
        Ok(_) => fail(0, "an empty store lists keys"),
        Err(e) => fail(0, &format!("list failed: {e}")),
    }
}

fn round_trip<S: KeyStore>(store: &S) {
    let key = simple("tenants/acme/keys/audit-export");
    let revision = save(store, 1, &key, None);
    let Some((loaded, at)) = load(store, 1, key.name()) else {
        fail(1, "a saved key did not load");
    };
    if loaded != key {
        fail(1, "the loaded record differs from the saved one");
    }
    if at != revision {
        fail(1, "load's revision is not the one save returned");
    }
    if store.revision(&StoreCall::new(), key.name()).ok().flatten() != Some(revision) {
        fail(1, "revision() differs from the revision save returned");
    }
}

fn kept_exactly<S: KeyStore>(store: &S) {
    let key = every_state("tenants/acme/keys/ssh-session-recording");
    let first = save(store, 2, &key, None);
    let Some((loaded, _)) = load(store, 2, key.name()) else {
        fail(2, "a saved key did not load");
    };
    if loaded != key {
        fail(
            2,
            "a state, origin, time, primary flag or wrapped key changed",
        );
    }
    // A replaced record is replaced whole: no version of the old one stays.
    let smaller = simple("tenants/acme/keys/ssh-session-recording");
    save(store, 2, &smaller, Some(first));
    if load(store, 2, key.name()).map(|(k, _)| k) != Some(smaller) {
        fail(2, "a replaced record kept something of the old one");
    }
}

fn unknown_state<S: KeyStore>(store: &S) {
    let key = record(
        r#"{"name":"tenants/acme/keys/audit-export","versions":[
          {"metadata":{"key_ref":"tenants/acme/keys/audit-export/versions/1","state":"quarantined",
           "origin":"platform_managed","created_at":1764400000,"primary":true},"wrapped":"AQID"}]}"#,
    );
    save(store, 3, &key, None);
    let Some((loaded, _)) = load(store, 3, key.name()) else {
        fail(3, "a saved key did not load");
    };
    match loaded.versions()[0].metadata().state() {
        KeyState::Unrecognized(state) if state.name() == "quarantined" => {}
        _ => fail(3, "the unknown state came back as another state"),
    }
    if loaded != key {
        fail(3, "the record differs from the saved one");
    }
}

fn list_per_tenant<S: KeyStore>(store: &S) {
    let names = [
        "tenants/acme/keys/audit-export",
        "tenants/acme/keys/ssh-session-recording",
        "tenants/acme-2/keys/audit-export",
        "tenants/acm/keys/audit-export",
        "tenants/globex/keys/audit-export",
    ];
    for key in names {
        save(store, 4, &simple(key), None);
    }
    let listed = |tenant: &str| -> Vec<String> {
        let tenant: TenantId = tenant.parse().expect("a valid tenant");
        let mut names: Vec<String> = store
            .list(&StoreCall::new(), &tenant)
            .unwrap_or_else(|e| fail(4, &format!("list failed: {e}")))
            .iter()
            .map(ToString::to_string)
            .collect();
        names.sort();
        names
    };
    if listed("acme") != names[..2] {
        fail(4, "tenant acme's list is not exactly its two keys");
    }
    if listed("acme-2") != names[2..3] || listed("acm") != names[3..4] {
        fail(4, "a tenant whose id shares a prefix sees another's keys");
    }
    if !listed("initech").is_empty() {
        fail(4, "a tenant without keys lists some");
    }
}

fn create_if_absent<S: KeyStore>(store: &S) {
    let key = simple("tenants/acme/keys/audit-export");
    let revision = save(store, 5, &key, None);
    expect_conflict(
        store,
        5,
        &every_state("tenants/acme/keys/audit-export"),
        None,
    );
    if load(store, 5, key.name()) != Some((key, revision)) {
        fail(5, "the refused create changed the record");
    }
}

fn stale_revision<S: KeyStore>(store: &S) {
    let key = simple("tenants/acme/keys/audit-export");
    let first = save(store, 6, &key, None);
    let changed = every_state("tenants/acme/keys/audit-export");
    let second = save(store, 6, &changed, Some(first));
    expect_conflict(store, 6, &key, Some(first));
    if load(store, 6, key.name()) != Some((changed, second)) {
        fail(6, "the refused write changed the record");
    }
}

fn missing_revision<S: KeyStore>(store: &S) {
    let key = simple("tenants/acme/keys/audit-export");
    let elsewhere = simple("tenants/globex/keys/audit-export");
    let revision = save(store, 7, &elsewhere, None);
    expect_conflict(store, 7, &key, Some(revision));
    if load(store, 7, key.name()).is_some() {
        fail(7, "the refused write created the key");
    }
}

fn increasing_revisions<S: KeyStore>(store: &S) {
    let key = simple("tenants/acme/keys/audit-export");
    let mut revision = save(store, 8, &key, None);
    for _ in 0..5 {
        let next = save(store, 8, &key, Some(revision));
        if next <= revision {
            fail(8, "a save did not give a greater revision");
        }
        revision = next;
    }
}

fn racing_writers<S: KeyStore + 'static>(store: &Arc<S>) {
    const WRITERS: usize = 4;
    let key = simple("tenants/acme/keys/audit-export");
    let first = save(store.as_ref(), 9, &key, None);
    let barrier = Arc::new(Barrier::new(WRITERS));
    let writers: Vec<_> = (0..WRITERS)
        .map(|_| {
            let (store, barrier) = (Arc::clone(store), Arc::clone(&barrier));
            let key = every_state("tenants/acme/keys/audit-export");
            std::thread::spawn(move || {
                barrier.wait();
                store.save(&StoreCall::new(), &key, Some(first))
            })
        })
        .collect();
    let mut won = 0;
    for writer in writers {
        match writer.join() {
            Ok(Ok(_)) => won += 1,
            Ok(Err(e)) if e.kind() == BackendErrorKind::Conflict => {}
            Ok(Err(e)) => fail(9, &format!("a writer failed with {e}, not a Conflict")),
            Err(_) => fail(9, "a writer panicked"),
        }
    }
    if won != 1 {
        fail(
            9,
            &format!("{won} of {WRITERS} writers of one revision succeeded"),
        );
    }
}

fn step<T>(what: &str, r: Result<T, crate::Error>) -> T {
    r.unwrap_or_else(|e| fail(10, &format!("{what} failed: {e}")))
}

fn ring_restart<S: KeyStore + 'static>(store: &Arc<S>) {
    let ring_over = |root: &Arc<MemoryRootKey>| KeyRing::new(Arc::clone(store), Arc::clone(root));
    let root = Arc::new(MemoryRootKey::generate().expect("random source"));
    let acme = TenantScope::authorized_by_host("acme".parse().expect("a valid tenant"));
    let key = name("tenants/acme/keys/audit-export");
    let ring = ring_over(&root);
    let v1 = step("create", ring.create_key(&acme, &key))
        .key_ref()
        .clone();
    let sealed = step("encrypt", ring.encrypt(&acme, &key, b"rows", b"ctx"));
    step("rotate", ring.rotate(&acme, &key));
    step("disable", ring.disable(&acme, &v1));
    drop(ring);
    let ring = ring_over(&root);
    if ring.decrypt(&acme, &sealed, b"ctx").is_ok() {
        fail(
            10,
            "a version disabled before the restart decrypts after it",
        );
    }
    step("enable", ring.enable(&acme, &v1));
    let opened = step("decrypt", ring.decrypt(&acme, &sealed, b"ctx"));
    if opened.as_bytes() != b"rows" {
        fail(10, "the envelope decrypted to other bytes");
    }
    let versions = step("versions", ring.versions(&acme, &key));
    if versions.len() != 2 || !versions[1].is_primary() {
        fail(
            10,
            "the restarted ring does not see version 2 as the primary",
        );
    }
}
