//! Leak canaries in the key ring: a ring whose root key and every
//! generated key version hold canary material (`key_model::testing`), every
//! output channel driven, and everything that comes out scanned for every
//! canary in every encoding the detector knows.
//!
//! Channels: `{:?}`, `{:#?}` and `Display` of the ring's types and of every
//! error the ring produces for real; JSON of the stored records and the
//! metadata; the API, event, export (JSON Lines, CSV) and audit sinks;
//! envelopes in binary and text form; `tracing` output of ring operations;
//! panic messages of every ring function that returns an error (unwrapped);
//! the walkthrough example's whole output; the wrapped material in the
//! store; the SQLite store's database file and its write-ahead log after
//! the walkthrough ran on them. For each channel, a test shows that a deliberate leak through it
//! is caught, so a clean scan means something.

// The ring tests' helpers, shared with the `ring` binary.
#[path = "../ring/support.rs"]
mod ring_support;

// The example's `main` is not called here: the test runs `walkthrough::run`
// on a canary ring and a buffer (see `walkthrough_output_whole`).
#[allow(dead_code, unreachable_pub)]
#[path = "../../../key-model/examples/walkthrough.rs"]
mod walkthrough;

use std::io;
use std::sync::{Arc, Mutex};

use crate::support::{Outputs, capture_panic, capture_tracing, hex_lower, hex_upper};
use key_model::ring::{
    ExposeSecret, KeyStore, MemoryKeyStore, MemoryRootKey, Revision, RingCall, RootKey, SecretBox,
    StoreCall, StoredKey, WrappedKey,
};
use key_model::sink::{
    AuditWriter, CsvWriter, EventEnvelope, JsonLinesWriter, api_json, event_json, write_api_json,
};
use key_model::testing::{Canary, CanaryKeys, EditableKeyStore, Encoding, LeakedKey, canary_ring};
use key_model::{
    ApiDto, AuditDto, BackendError, BackendErrorKind, Envelope, EnvelopeField, Error, EventDto,
    ExportDto, KeyMetadata, KeyName, KeyRef, KeyRing, KeyVersion, TenantId, Timestamp,
};
use ring_support::{SpyRoot, name, scope};
use serde::Serialize;

/// A plaintext that is itself a canary: an envelope must not reveal it
/// either (the ciphertext is encrypted), nor may the `Plaintext` buffer's
/// `Debug`.
fn payload() -> Canary {
    Canary::new(0x00da_7a00)
}

/// A canary ring over a store the test can read.
struct Rig {
    ring: KeyRing,
    store: Arc<EditableKeyStore>,
    canaries: CanaryKeys,
}

impl Rig {
    fn new(seed: u64) -> Rig {
        let canaries = CanaryKeys::new(seed);
        let store = Arc::new(EditableKeyStore::new());
        let ring = key_model::testing::ring_with_canary_keys(
            Arc::clone(&store),
            canaries.root_key(),
            &canaries,
        );
        Rig {
            ring,
            store,
            canaries,
        }
    }

    /// A second ring over the same store and the same (canary) root key,
    /// with an empty cache: it sees what a restarted service would.
    fn reopen(&self) -> KeyRing {
        key_model::testing::ring_with_canary_keys(
            Arc::clone(&self.store),
            self.canaries.root_key(),
            &self.canaries,
        )
    }

    /// Rewrites the stored record of `name` through its JSON form.
    fn edit(&self, name: &KeyName, edit: impl FnOnce(&mut serde_json::Value)) {
        let (record, revision) = self.store.record(name).unwrap().expect("stored");
        let mut json = serde_json::to_value(&record).unwrap();
        edit(&mut json);
        self.store
            .write(
                &serde_json::from_value::<StoredKey>(json).unwrap(),
                Some(revision),
            )
            .unwrap();
    }

    /// Every stored record of `tenants`: `Debug`, JSON, and each wrapped
    /// key's bytes, raw and as the store's base64url text.
    fn scan_store(&self, out: &mut Outputs, tenants: &[&str]) -> usize {
        let mut wrapped = 0;
        for tenant in tenants {
            let tenant: TenantId = tenant.parse().unwrap();
            for name in self.store.names(&tenant).unwrap() {
                let (record, _) = self.store.record(&name).unwrap().expect("listed");
                out.debug_json(&format!("StoredKey {name}"), &record);
                for version in record.versions() {
                    out.debug_json("StoredVersion", version);
                    if let Some(w) = version.wrapped() {
                        out.push("WrappedKey bytes", w.as_bytes());
                        out.debug_json("WrappedKey", w);
                        wrapped += 1;
                    }
                }
            }
        }
        out.debug("MemoryKeyStore", &*self.store);
        wrapped
    }
}

/// The ring's material is the canaries', for every version, rotations
/// included, and the test gets each one; the root key is the root canary.
#[test]
fn generated_keys_are_the_canaries_after_rotations() {
    let canaries = CanaryKeys::new(11);
    let spy = Arc::new(SpyRoot::over(canaries.root_key()));
    let store = Arc::new(MemoryKeyStore::new());
    let ring =
        key_model::testing::ring_with_canary_keys(Arc::clone(&store), Arc::clone(&spy), &canaries);
    let (acme, globex) = (scope("acme"), scope("globex"));
    let recordings = name("acme", "ssh-session-recording");
    ring.create_key(&acme, &recordings).unwrap();
    for _ in 0..3 {
        ring.rotate(&acme, &recordings).unwrap();
    }
    let exports = name("globex", "audit-export");
    ring.create_key(&globex, &exports).unwrap();
    ring.rotate(&globex, &exports).unwrap();

    let issued = canaries.issued();
    let refs: Vec<String> = issued.iter().map(|(r, _)| r.to_string()).collect();
    assert_eq!(
        refs,
        [
            "tenants/acme/keys/ssh-session-recording/versions/1",
            "tenants/acme/keys/ssh-session-recording/versions/2",
            "tenants/acme/keys/ssh-session-recording/versions/3",
            "tenants/acme/keys/ssh-session-recording/versions/4",
            "tenants/globex/keys/audit-export/versions/1",
            "tenants/globex/keys/audit-export/versions/2",
        ]
    );
    let seen = spy.wrapped();
    assert_eq!(seen.len(), issued.len());
    for ((seen_ref, bytes), (issued_ref, canary)) in seen.iter().zip(&issued) {
        assert_eq!(seen_ref, issued_ref);
        assert_eq!(bytes, canary.bytes(), "the ring used the canary");
        assert_eq!(canaries.canary_for(seen_ref).bytes(), canary.bytes());
    }
    // All distinct, from each other and from the root canary.
    let mut all: Vec<[u8; 32]> = canaries.all().iter().map(|c| *c.bytes()).collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), issued.len() + 1);

    // The root key is the root canary: a new ring over the same store with
    // the same seed's root key (a new instance) unwraps the stored material
    // and opens what the first ring sealed; with a random root key it
    // cannot. (Only a ring can call a root key.)
    let sealed = ring.encrypt(&acme, &recordings, b"probe", b"").unwrap();
    let same_root = KeyRing::new(Arc::clone(&store), CanaryKeys::new(11).root_key());
    let opened = same_root.decrypt(&acme, &sealed, b"").unwrap();
    assert_eq!(opened.as_bytes(), b"probe");
    let random_root = KeyRing::new(Arc::clone(&store), MemoryRootKey::generate().unwrap());
    assert!(random_root.decrypt(&acme, &sealed, b"").is_err());

    // A ring without canaries generates random material.
    let spy = Arc::new(SpyRoot::new());
    let plain = KeyRing::new(MemoryKeyStore::new(), Arc::clone(&spy));
    let v1 = plain.create_key(&acme, &recordings).unwrap();
    let seen = spy.wrapped();
    assert_ne!(&seen[0].1, canaries.canary_for(v1.key_ref()).bytes());
}

/// A ring that fails a store write generates the version again on retry:
/// same canary, listed once.
#[test]
fn a_retried_version_is_issued_once() {
    struct FlakyStore {
        inner: MemoryKeyStore,
        fail_next: Mutex<bool>,
    }
    impl KeyStore for FlakyStore {
        fn load(
            &self,
            call: &StoreCall,
            name: &KeyName,
        ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
            self.inner.load(call, name)
        }
        fn list(&self, call: &StoreCall, tenant: &TenantId) -> Result<Vec<KeyName>, BackendError> {
            self.inner.list(call, tenant)
        }
        fn save(
            &self,
            call: &StoreCall,
            key: &StoredKey,
            expected: Option<Revision>,
        ) -> Result<Revision, BackendError> {
            let mut fail = self.fail_next.lock().unwrap();
            if std::mem::take(&mut *fail) {
                return Err(BackendError::new(
                    BackendErrorKind::Unavailable,
                    "database connection refused",
                ));
            }
            self.inner.save(call, key, expected)
        }
    }
    let canaries = CanaryKeys::new(12);
    let ring = key_model::testing::ring_with_canary_keys(
        FlakyStore {
            inner: MemoryKeyStore::new(),
            fail_next: Mutex::new(true),
        },
        canaries.root_key(),
        &canaries,
    );
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    let e = ring.create_key(&acme, &key).unwrap_err();
    assert!(matches!(e, Error::Backend(b) if b.kind() == BackendErrorKind::Unavailable));
    ring.create_key(&acme, &key).unwrap();
    assert_eq!(canaries.issued().len(), 1);
    canaries.assert_no_leak(format!("{e} {e:?} {e:#?} {ring:?} {canaries:?}"));
}

/// Every error the ring can produce, produced for real (except the two
/// that cannot be: the operating system's random source failing, and a
/// plaintext over 4 GiB, which are built directly), with the operations
/// that led there.
#[allow(clippy::too_many_lines)] // one scenario, read top to bottom
fn drive_every_ring_error(setup: &Rig, out: &mut Outputs) -> Vec<(String, Error)> {
    let ring = &setup.ring;
    let (acme, globex) = (scope("acme"), scope("globex"));
    let key = name("acme", "ssh-session-recording");
    let payload = payload();
    let mut errors: Vec<(String, Error)> = Vec::new();
    let mut push = |label: &str, e: Error| errors.push((label.to_owned(), e));

    let v1 = ring.create_key(&acme, &key).unwrap();
    out.debug_json("KeyMetadata created", &v1);
    let v1 = v1.key_ref().clone();
    let sealed = ring.encrypt(&acme, &key, payload.bytes(), b"ctx").unwrap();
    let opened = ring.decrypt(&acme, &sealed, b"ctx").unwrap();
    assert_eq!(opened.as_bytes(), payload.bytes());
    out.debug("Plaintext", &opened);
    push("KeyExists", ring.create_key(&acme, &key).unwrap_err());
    push(
        "KeyNotFound: missing key",
        ring.encrypt(&acme, &name("acme", "no-such-key"), b"x", b"")
            .unwrap_err(),
    );
    push(
        "KeyNotFound: another tenant's envelope",
        ring.decrypt(&globex, &sealed, b"ctx").unwrap_err(),
    );
    push(
        "KeyNotFound: another tenant's key",
        ring.rotate(&globex, &key).unwrap_err(),
    );
    push(
        "KeyNotFound: missing version",
        ring.set_primary(&acme, &key.at_version(KeyVersion::new(9).unwrap()))
            .unwrap_err(),
    );
    push(
        "Transition: disable the primary",
        ring.disable(&acme, &v1).unwrap_err(),
    );
    push(
        "DecryptionFailed: context",
        ring.decrypt(&acme, &sealed, b"other").unwrap_err(),
    );
    let mut tampered = sealed.as_bytes().to_vec();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let tampered = Envelope::from_bytes(&tampered).unwrap();
    push(
        "DecryptionFailed: tampered tag",
        ring.decrypt(&acme, &tampered, b"ctx").unwrap_err(),
    );
    push(
        "Envelope: text",
        Error::from("not base64!".parse::<Envelope>().unwrap_err()),
    );
    for (label, bytes) in bad_envelopes(&sealed) {
        let e = Envelope::from_bytes(&bytes).unwrap_err();
        out.debug_display(&format!("EnvelopeError {label}"), &e);
        out.debug(&format!("EnvelopeErrorKind {label}"), &e.kind());
        push(&format!("Envelope: {label}"), Error::from(e));
    }

    let v2 = ring.rotate(&acme, &key).unwrap();
    out.debug_json("KeyMetadata rotated", &v2);
    let moved = ring.reencrypt(&acme, &sealed, b"ctx").unwrap();
    out.all("Envelope re-encrypted", &moved);
    push(
        "Refused: encrypt under a non-primary",
        ring.encrypt_under(&acme, &v1, b"x", b"").unwrap_err(),
    );
    ring.disable(&acme, &v1).unwrap();
    push(
        "Refused: decrypt disabled",
        ring.decrypt(&acme, &sealed, b"ctx").unwrap_err(),
    );
    push(
        "Refused: re-encrypt disabled",
        ring.reencrypt(&acme, &sealed, b"ctx").unwrap_err(),
    );
    push(
        "Transition: restore a disabled version",
        ring.restore(&acme, &v1).unwrap_err(),
    );
    push(
        "Transition: set a disabled primary",
        ring.set_primary(&acme, &v1).unwrap_err(),
    );
    ring.schedule_destruction(&acme, &v1, Timestamp::from_unix_seconds(1_900_000_000))
        .unwrap();
    push(
        "Refused: decrypt destroy-scheduled",
        ring.decrypt(&acme, &sealed, b"ctx").unwrap_err(),
    );
    out.debug("KeyRing with a destroy-scheduled version", ring);
    ring.destroy(&acme, &v1).unwrap();
    push(
        "Refused: decrypt destroyed",
        ring.decrypt(&acme, &sealed, b"ctx").unwrap_err(),
    );
    push(
        "Transition: enable destroyed",
        ring.enable(&acme, &v1).unwrap_err(),
    );
    for meta in ring.list(&acme).unwrap() {
        out.debug_json("KeyMetadata listed", &meta);
    }

    // A state written by a newer version of key-model: fails closed.
    let v2 = v2.key_ref().clone();
    let v3 = ring.rotate(&acme, &key).unwrap().key_ref().clone();
    setup.edit(&key, |json| {
        json["versions"][1]["metadata"]["state"] = serde_json::json!("quarantined");
    });
    let reopened = setup.reopen();
    push(
        "Refused: unrecognized state",
        reopened.decrypt(&acme, &moved, b"ctx").unwrap_err(),
    );
    assert_eq!(moved.key_ref(), &v2);
    out.debug("KeyRing with an unrecognized state", &reopened);

    // Backend: wrapped material that the root key refuses.
    setup.edit(&key, |json| {
        json["versions"][2]["wrapped"] = serde_json::json!("AAAAAAAA");
    });
    push(
        "Backend: unwrap refused",
        setup.reopen().encrypt(&acme, &key, b"x", b"").unwrap_err(),
    );
    // Backend: a record with two primaries.
    setup.edit(&key, |json| {
        json["versions"][2]["wrapped"] = serde_json::Value::Null;
        json["versions"][2]["metadata"]["state"] = serde_json::json!("destroyed");
        json["versions"][1]["metadata"]["primary"] = serde_json::json!(true);
    });
    push(
        "Backend: corrupt record",
        setup.reopen().versions(&acme, &key).unwrap_err(),
    );
    // Backend: the store is down.
    let down = key_model::testing::ring_with_canary_keys(
        DownStore,
        setup.canaries.root_key(),
        &setup.canaries,
    );
    push("Backend: store unavailable", down.list(&acme).unwrap_err());
    out.debug("KeyRing over a store that is down", &down);

    // Every version number used: the next rotation has none left.
    let last = name("acme", "audit-export");
    ring.create_key(&acme, &last).unwrap();
    setup.edit(&last, |json| {
        json["versions"][0]["metadata"]["key_ref"] = serde_json::json!(format!(
            "tenants/acme/keys/audit-export/versions/{}",
            u32::MAX
        ));
        json["versions"][0]["metadata"]["state"] = serde_json::json!("destroyed");
        json["versions"][0]["wrapped"] = serde_json::Value::Null;
    });
    push(
        "VersionsExhausted",
        setup.reopen().rotate(&acme, &last).unwrap_err(),
    );
    push(
        "Parse",
        Error::from("tenants/acme".parse::<KeyName>().unwrap_err()),
    );
    push("Random (built: cannot be driven)", Error::Random);
    push("PlaintextTooLong (built: 4 GiB)", Error::PlaintextTooLong);
    assert!(v3.version().get() == 3);
    errors
}

/// Malformed envelopes, one per parse rule, cut from a real one.
fn bad_envelopes(sealed: &Envelope) -> Vec<(&'static str, Vec<u8>)> {
    let good = sealed.as_bytes();
    let t = usize::from(good[2]);
    let with = |i: usize, b: u8| {
        let mut v = good.to_vec();
        v[i] = b;
        v
    };
    let version_at = 4 + t + usize::from(good[3 + t]);
    let mut version_zero = good.to_vec();
    version_zero[version_at..version_at + 4].copy_from_slice(&[0; 4]);
    let body_len_at = version_at + 4 + 24;
    let mut short_body = good[..body_len_at].to_vec();
    short_body.extend_from_slice(&3u32.to_be_bytes());
    short_body.extend_from_slice(&[0; 3]);
    let mut trailing = good.to_vec();
    trailing.extend_from_slice(b"xx");
    vec![
        ("empty", Vec::new()),
        ("unknown format", with(0, 0x09)),
        ("unknown algorithm", with(1, 0x09)),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("empty tenant", with(2, 0)),
        ("tenant too long", with(2, 64)),
        ("invalid tenant", with(3, b'A')),
        ("version zero", version_zero),
        ("body too short", short_body),
        ("trailing bytes", trailing),
    ]
}

/// A store that cannot be reached.
struct DownStore;

impl KeyStore for DownStore {
    fn load(
        &self,
        _: &StoreCall,
        _: &KeyName,
    ) -> Result<Option<(StoredKey, Revision)>, BackendError> {
        Err(down())
    }

    fn list(&self, _: &StoreCall, _: &TenantId) -> Result<Vec<KeyName>, BackendError> {
        Err(down())
    }

    fn save(
        &self,
        _: &StoreCall,
        _: &StoredKey,
        _: Option<Revision>,
    ) -> Result<Revision, BackendError> {
        Err(down())
    }
}

fn down() -> BackendError {
    BackendError::new(BackendErrorKind::Unavailable, "database connection refused")
}

/// `{:?}`, `{:#?}` and `Display` of every ring type and every error the
/// ring produces, JSON of the stored records and metadata, and the wrapped
/// material in the store, with canary material in the ring.
#[test]
fn ring_types_and_errors_in_every_format() {
    let setup = Rig::new(21);
    let mut out = Outputs::default();
    let errors = drive_every_ring_error(&setup, &mut out);
    assert!(errors.len() >= 30, "{}", errors.len());
    let mut kinds: Vec<String> = Vec::new();
    for (label, e) in &errors {
        out.debug_display(&format!("Error {label}"), e);
        let kind = format!("{e:?}");
        let kind = kind.split('(').next().unwrap_or_default().to_owned();
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
        if let Error::Backend(b) = e {
            out.debug_display("BackendError", b);
            out.debug("BackendErrorKind", &b.kind());
        }
    }
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "Backend",
            "DecryptionFailed",
            "Envelope",
            "KeyExists",
            "KeyNotFound",
            "Parse",
            "PlaintextTooLong",
            "Random",
            "Refused",
            "Transition",
            "VersionsExhausted",
        ],
        "every variant of Error"
    );
    out.debug("KeyRing", &setup.ring);
    out.debug("MemoryRootKey", &setup.canaries.root_key());
    out.debug("CanaryKeys", &setup.canaries);
    out.debug("TenantScope", &scope("acme"));
    out.debug("Algorithm", &key_model::Algorithm::XChaCha20Poly1305);
    for field in [
        EnvelopeField::Format,
        EnvelopeField::Algorithm,
        EnvelopeField::TenantLength,
        EnvelopeField::Tenant,
        EnvelopeField::PurposeLength,
        EnvelopeField::Purpose,
        EnvelopeField::Version,
        EnvelopeField::Nonce,
        EnvelopeField::BodyLength,
        EnvelopeField::Body,
    ] {
        out.debug_display("EnvelopeField", &field);
    }
    let wrapped = setup.scan_store(&mut out, &["acme", "globex"]);
    assert!(wrapped >= 1, "the store holds wrapped material to scan");
    // Every version issued so far is scanned for, the root key too.
    assert!(setup.canaries.issued().len() >= 4);
    out.assert_clean(&setup.canaries, &[payload()]);
}

/// The store channel would show a leak: a root key that "wraps" by copying
/// puts the canary in the store, raw and as base64url text.
#[test]
fn store_scan_would_show_a_leak() {
    struct CopyingRoot;
    impl RootKey for CopyingRoot {
        fn wrap(
            &self,
            _: &RingCall,
            _: &KeyRef,
            material: &SecretBox<[u8; 32]>,
        ) -> Result<WrappedKey, BackendError> {
            Ok(WrappedKey::from_bytes(material.expose_secret().to_vec()))
        }
        fn unwrap(
            &self,
            _: &RingCall,
            _: &KeyRef,
            w: &WrappedKey,
        ) -> Result<SecretBox<[u8; 32]>, BackendError> {
            let bytes: [u8; 32] = w.as_bytes().try_into().map_err(|_| down())?;
            Ok(SecretBox::new(Box::new(bytes)))
        }
    }
    let canaries = CanaryKeys::new(22);
    let store = Arc::new(EditableKeyStore::new());
    let ring =
        key_model::testing::ring_with_canary_keys(Arc::clone(&store), CopyingRoot, &canaries);
    let key = name("acme", "audit-export");
    ring.create_key(&scope("acme"), &key).unwrap();
    let (record, _) = store.record(&key).unwrap().unwrap();
    let wrapped = record.versions()[0].wrapped().unwrap();
    let raw = canaries
        .find_leak(wrapped.as_bytes())
        .expect("raw leak found");
    assert_eq!(
        raw.key(),
        &LeakedKey::Version(key.at_version(KeyVersion::FIRST))
    );
    let json = canaries
        .find_leak(serde_json::to_vec(&record).unwrap())
        .expect("base64url leak found");
    assert!(matches!(
        json.leak().encoding(),
        Encoding::Base64UrlSafe | Encoding::Base64Standard
    ));
}

/// Envelopes in binary and text form (and JSON, and `Debug`) carry the
/// ciphertext, never the key that sealed it, nor the plaintext.
#[test]
fn envelopes_binary_and_text() {
    let setup = Rig::new(31);
    let ring = &setup.ring;
    let acme = scope("acme");
    let key = name("acme", "ssh-session-recording");
    ring.create_key(&acme, &key).unwrap();
    let payload = payload();
    let mut out = Outputs::default();
    let mut envelopes = Vec::new();
    for round in 0..4 {
        for len in [0, 1, 31, 32, 33, 100] {
            let plaintext: Vec<u8> = payload.bytes().iter().copied().cycle().take(len).collect();
            envelopes.push(ring.encrypt(&acme, &key, &plaintext, b"ctx").unwrap());
        }
        // The whole canary as plaintext, at each base64 alignment of the
        // text form (a prefix shifts it).
        for shift in 0..3 {
            let mut plaintext = vec![b'#'; shift];
            plaintext.extend_from_slice(payload.bytes());
            envelopes.push(ring.encrypt(&acme, &key, &plaintext, b"ctx").unwrap());
        }
        if round < 3 {
            ring.rotate(&acme, &key).unwrap();
        }
    }
    let reencrypted: Vec<Envelope> = envelopes
        .iter()
        .map(|e| ring.reencrypt(&acme, e, b"ctx").unwrap())
        .collect();
    for e in envelopes.iter().chain(&reencrypted) {
        out.push("Envelope bytes", e.as_bytes());
        out.push("Envelope into_bytes", e.clone().into_bytes());
        out.all("Envelope", e);
        let parsed: Envelope = e.to_string().parse().unwrap();
        assert_eq!(&parsed, e);
        let opened = ring.decrypt(&acme, e, b"ctx").unwrap();
        out.debug("Plaintext", &opened);
    }
    assert_eq!(setup.canaries.issued().len(), 4);
    out.assert_clean(&setup.canaries, &[payload]);
}

/// The envelope channel would show a leak: an envelope whose body were the
/// key reveals it in binary and in text form.
#[test]
fn envelope_scan_would_show_a_leak() {
    let (ring, canaries) = canary_ring(32);
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    ring.create_key(&acme, &key).unwrap();
    let sealed = ring.encrypt(&acme, &key, &[0; 32], b"").unwrap();
    // Same header, body replaced by the key itself and a (bogus) tag: the
    // parser accepts it, as it checks the layout, not the authentication.
    let canary = &canaries.issued()[0].1;
    let mut bytes = sealed.as_bytes().to_vec();
    let body = bytes.len() - 48;
    bytes.truncate(body);
    bytes.extend_from_slice(canary.bytes());
    bytes.extend_from_slice(&[0; 16]);
    let leaky = Envelope::from_bytes(&bytes).unwrap();
    assert!(canaries.find_leak(leaky.as_bytes()).is_some());
    let text = canaries.find_leak(leaky.to_string()).expect("text leak");
    // Where the canary's base64 has no `+`, `/`, `-` or `_`, both
    // alphabets match; the standard one is tried first.
    assert!(matches!(
        text.leak().encoding(),
        Encoding::Base64UrlSafe | Encoding::Base64Standard
    ));
    assert!(
        canaries
            .find_leak(serde_json::to_vec(&leaky).unwrap())
            .is_some()
    );
}

// ---- sinks -----------------------------------------------------------------

#[derive(Debug, Serialize, ApiDto)]
#[serde(rename_all = "camelCase")]
struct KeyListResponse {
    tenant: TenantId,
    keys: Vec<KeyMetadata>,
    latest_recording: Envelope,
}

#[derive(Debug, Serialize, EventDto)]
struct KeyRotated {
    previous: KeyRef,
    primary: KeyMetadata,
}

/// Flat, for CSV too.
#[derive(Debug, Serialize, ExportDto)]
struct RecordingRow {
    id: String,
    encryption_key_ref: KeyRef,
    ciphertext: Envelope,
    state: String,
}

#[derive(Debug, Serialize, AuditDto)]
struct KeyChanged {
    actor: String,
    key: KeyRef,
    metadata: KeyMetadata,
}

/// A row a careless service fills by hand: a `String` is secret-free by
/// type, whatever it holds (see "What is not guaranteed"). The canary scan
/// is what catches this.
#[derive(Debug, Serialize, ApiDto)]
struct Careless {
    note: String,
}

#[derive(Debug, Serialize, EventDto)]
struct CarelessEvent {
    note: String,
}

#[derive(Debug, Serialize, ExportDto)]
struct CarelessRow {
    note: String,
}

#[derive(Debug, Serialize, AuditDto)]
struct CarelessAudit {
    note: String,
}

/// Writes `api` through both API entry points, `event` through both event
/// entry points and the envelope's `Debug`, `rows` through JSON Lines and
/// CSV, and `audit` through the audit writer; pushes every output.
fn write_all_sinks<A, E, R, U>(
    out: &mut Outputs,
    tenant: &TenantId,
    api: &A,
    event: &E,
    rows: &[R],
    audit: &U,
) where
    A: ApiDto + Serialize + std::fmt::Debug,
    E: EventDto + Serialize + std::fmt::Debug,
    R: ExportDto + Serialize,
    U: AuditDto + Serialize,
{
    out.push("api_json", api_json(api).unwrap());
    let mut body = Vec::new();
    write_api_json(&mut body, api).unwrap();
    out.push("write_api_json", body);
    out.debug("API DTO", api);
    out.push(
        "event_json",
        event_json(tenant, "key.rotated", event).unwrap(),
    );
    let envelope = EventEnvelope::new(tenant, "key.rotated", event).unwrap();
    out.push("EventEnvelope::to_json", envelope.to_json().unwrap());
    out.debug("EventEnvelope", &envelope);
    let mut lines = JsonLinesWriter::new(Vec::new());
    let mut csv = CsvWriter::new(Vec::new());
    for row in rows {
        lines.write(row).unwrap();
        csv.write(row).unwrap();
    }
    out.debug("JsonLinesWriter", &lines);
    out.debug("CsvWriter", &csv);
    out.push("JSON Lines export", lines.into_inner().unwrap());
    out.push("CSV export", csv.into_inner().unwrap());
    let mut writer = AuditWriter::new(Vec::new());
    writer
        .write(tenant, Timestamp::from_unix_seconds(1_764_000_000), audit)
        .unwrap();
    out.debug("AuditWriter", &writer);
    out.push("audit", writer.into_inner().unwrap());
}

#[test]
fn api_event_export_and_audit_sinks() {
    #[derive(Serialize, ExportDto)]
    struct Nested {
        keys: Vec<KeyMetadata>,
    }

    let setup = Rig::new(41);
    let ring = &setup.ring;
    let acme = scope("acme");
    let key = name("acme", "ssh-session-recording");
    let v1 = ring.create_key(&acme, &key).unwrap();
    let payload = payload();
    let mut rows = Vec::new();
    for i in 0..5 {
        let sealed = ring.encrypt(&acme, &key, payload.bytes(), b"").unwrap();
        rows.push(RecordingRow {
            id: format!("sess_{i}"),
            encryption_key_ref: sealed.key_ref().clone(),
            ciphertext: sealed,
            state: "enabled".to_owned(),
        });
        ring.rotate(&acme, &key).unwrap();
    }
    let keys = ring.list(&acme).unwrap();
    let primary = keys.iter().find(|m| m.is_primary()).unwrap().clone();
    let api = KeyListResponse {
        tenant: acme.tenant().clone(),
        keys: keys.clone(),
        latest_recording: ring.encrypt(&acme, &key, payload.bytes(), b"").unwrap(),
    };
    let event = KeyRotated {
        previous: v1.key_ref().clone(),
        primary: primary.clone(),
    };
    let audit = KeyChanged {
        actor: "ops@acme".to_owned(),
        key: primary.key_ref().clone(),
        metadata: primary,
    };
    let mut out = Outputs::default();
    write_all_sinks(&mut out, acme.tenant(), &api, &event, &rows, &audit);
    // The sinks' own error type, from real failures.
    let bad_type = EventEnvelope::new(acme.tenant(), "Key Rotated", &event).unwrap_err();
    out.debug_display("SinkError event type", &bad_type);
    let nested = CsvWriter::new(Vec::new())
        .write(&Nested { keys })
        .unwrap_err();
    out.debug_display("SinkError CSV", &nested);
    let io_error = write_api_json(FailingWriter, &api).unwrap_err();
    out.debug_display("SinkError I/O", &io_error);
    assert_eq!(setup.canaries.issued().len(), 6);
    out.assert_clean(&setup.canaries, &[payload]);
}

struct FailingWriter;

impl io::Write for FailingWriter {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::other("disk full"))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Each sink would show a leak that hand-written code put into a `String`.
#[test]
fn sink_scans_would_show_a_leak() {
    let (ring, canaries) = canary_ring(42);
    ring.create_key(&scope("acme"), &name("acme", "audit-export"))
        .unwrap();
    let canary = &canaries.issued()[0].1;
    let hex = hex_lower(canary.bytes());
    let tenant: TenantId = "acme".parse().unwrap();
    let mut out = Outputs::default();
    write_all_sinks(
        &mut out,
        &tenant,
        &Careless { note: hex.clone() },
        &CarelessEvent { note: hex.clone() },
        &[CarelessRow { note: hex.clone() }],
        &CarelessAudit { note: hex },
    );
    for label in [
        "api_json",
        "write_api_json",
        "event_json",
        "EventEnvelope::to_json",
        "JSON Lines export",
        "CSV export",
        "audit",
    ] {
        let output = out.get(label).expect("labelled output");
        assert!(
            canaries.find_leak(output).is_some(),
            "{label} did not show the leak"
        );
    }
}

// ---- tracing ---------------------------------------------------------------

#[test]
fn tracing_of_ring_operations() {
    let setup = Rig::new(51);
    let ring = &setup.ring;
    let payload = payload();
    let ((), output) = capture_tracing(|| {
        let acme = scope("acme");
        let key = name("acme", "ssh-session-recording");
        let span = tracing::info_span!("tenant", tenant = %acme.tenant(), scope = ?acme);
        let _tenant = span.enter();
        let meta = ring.create_key(&acme, &key).unwrap();
        tracing::info!(key_ref = %meta.key_ref(), meta = ?meta, "created");
        for round in 0..3 {
            let op = tracing::debug_span!("rotate", key = %key, round, ring = ?ring);
            let _op = op.enter();
            let sealed = ring.encrypt(&acme, &key, payload.bytes(), b"ctx").unwrap();
            tracing::info!(envelope = %sealed, debug = ?sealed, "sealed");
            let opened = ring.decrypt(&acme, &sealed, b"ctx").unwrap();
            tracing::trace!(plaintext = ?opened, "opened");
            let rotated = ring.rotate(&acme, &key).unwrap();
            tracing::info!(primary = %rotated.key_ref(), ?rotated, "rotated");
            match ring.decrypt(&acme, &sealed, b"wrong") {
                Ok(p) => tracing::error!(?p, "unexpected"),
                Err(e) => tracing::warn!(error = %e, debug = ?e, "refused"),
            }
            let moved = ring.reencrypt(&acme, &sealed, b"ctx").unwrap();
            tracing::info!(%moved, ?moved, "re-encrypted");
        }
        let v1 = key.at_version(KeyVersion::FIRST);
        ring.disable(&acme, &v1).unwrap();
        if let Err(e) = ring.encrypt_under(&acme, &v1, b"x", b"") {
            tracing::error!(error = %e, ?e, "encrypt refused");
        }
        tracing::debug!(ring = ?ring, "ring at the end");
        tracing::debug!(store = ?setup.store, root = ?setup.canaries.root_key(), "plug points");
        tracing::info!(versions = ?ring.list(&acme).unwrap(), "listed");
    });
    let text = String::from_utf8(output).unwrap();
    // The channel carried the values: fields, spans and their events.
    assert!(text.contains("tenants/acme/keys/ssh-session-recording/versions/4"));
    assert!(text.contains("KeyMaterial([REDACTED])"), "{text}");
    assert!(text.contains("Plaintext([REDACTED; 32 bytes])"), "{text}");
    assert!(text.contains("decryption failed"));
    assert!(text.contains("rotate{key=tenants/acme/keys/ssh-session-recording"));
    assert!(text.contains("close"), "span events are captured");
    assert_eq!(setup.canaries.issued().len(), 4);
    setup.canaries.assert_no_leak(&text);
    payload.assert_no_leak(&text);
}

/// The tracing channel would show a leak of a ring's key in a field or a
/// span.
#[test]
fn tracing_of_ring_operations_would_show_a_leak() {
    let (ring, canaries) = canary_ring(52);
    ring.create_key(&scope("acme"), &name("acme", "audit-export"))
        .unwrap();
    let canary = canaries.issued()[0].1.clone();
    let ((), field) = capture_tracing(|| tracing::info!(bytes = ?canary.bytes(), "oops"));
    assert!(canaries.find_leak(&field).is_some());
    let ((), span) = capture_tracing(|| {
        let hex = hex_upper(canary.bytes());
        let _span = tracing::info_span!("op", key = %hex).entered();
        tracing::info!("inside");
    });
    assert!(canaries.find_leak(&span).is_some());
}

// ---- panics ----------------------------------------------------------------

/// What the canary root key returns when the ring calls it: the error of an
/// unwrap of bytes it never wrapped, and the payload wrapped under `key_ref`.
/// A root key is callable by the ring alone (`RingCall`), so the probe is a
/// root key of its own that makes those two calls while the ring calls it.
struct RootProbe {
    unwrapped: Mutex<Option<Result<SecretBox<[u8; 32]>, BackendError>>>,
    wrapped: Mutex<Option<Result<WrappedKey, BackendError>>>,
}

impl RootProbe {
    fn capture(canaries: &CanaryKeys, key_ref: &KeyRef, payload: &Canary) -> RootProbe {
        struct Probing {
            inner: MemoryRootKey,
            key_ref: KeyRef,
            payload: [u8; 32],
            seen: Mutex<Option<RootProbe>>,
        }
        impl RootKey for Probing {
            fn wrap(
                &self,
                call: &RingCall,
                key_ref: &KeyRef,
                material: &SecretBox<[u8; 32]>,
            ) -> Result<WrappedKey, BackendError> {
                let bogus = WrappedKey::from_bytes(vec![1; 73]);
                let payload = SecretBox::new(Box::new(self.payload));
                *self.seen.lock().unwrap() = Some(RootProbe {
                    unwrapped: Mutex::new(Some(self.inner.unwrap(call, &self.key_ref, &bogus))),
                    wrapped: Mutex::new(Some(self.inner.wrap(call, &self.key_ref, &payload))),
                });
                self.inner.wrap(call, key_ref, material)
            }
            fn unwrap(
                &self,
                call: &RingCall,
                key_ref: &KeyRef,
                wrapped: &WrappedKey,
            ) -> Result<SecretBox<[u8; 32]>, BackendError> {
                self.inner.unwrap(call, key_ref, wrapped)
            }
        }
        let probing = Arc::new(Probing {
            inner: canaries.root_key(),
            key_ref: key_ref.clone(),
            payload: *payload.bytes(),
            seen: Mutex::new(None),
        });
        let ring = KeyRing::new(MemoryKeyStore::new(), Arc::clone(&probing));
        ring.create_key(&scope("probe"), &name("probe", "audit-export"))
            .unwrap();
        let seen = probing.seen.lock().unwrap().take();
        seen.expect("the ring called the root key")
    }
}

/// The panic message of every ring function that returns an error, with
/// the error unwrapped (`unwrap`, `expect`), and of `unwrap_err` on the
/// successes (which prints the `Ok` value's `Debug`).
#[test]
#[allow(clippy::too_many_lines)] // one list of calls
fn panic_messages_of_every_ring_function() {
    let setup = Rig::new(61);
    let ring = &setup.ring;
    let (acme, globex) = (scope("acme"), scope("globex"));
    let key = name("acme", "ssh-session-recording");
    let payload = payload();
    ring.create_key(&acme, &key).unwrap();
    let sealed = ring.encrypt(&acme, &key, payload.bytes(), b"ctx").unwrap();
    let v1 = key.at_version(KeyVersion::FIRST);
    let v9 = key.at_version(KeyVersion::new(9).unwrap());
    let at = Timestamp::from_unix_seconds(1_900_000_000);
    let mut panics = Outputs::default();
    let mut record = |label: &str, f: &dyn Fn()| {
        let message = capture_panic(f).unwrap_or_else(|| panic!("{label} did not panic"));
        panics.push(label, message);
    };
    // Errors, unwrapped.
    record("create_key", &|| {
        ring.create_key(&acme, &key).unwrap();
    });
    record("rotate", &|| {
        ring.rotate(&globex, &key).unwrap();
    });
    record("set_primary", &|| {
        ring.set_primary(&acme, &v9).unwrap();
    });
    record("disable", &|| {
        ring.disable(&acme, &v1).expect("disable");
    });
    record("enable", &|| {
        ring.enable(&acme, &v1).unwrap();
    });
    record("schedule_destruction", &|| {
        ring.schedule_destruction(&acme, &v1, at).unwrap();
    });
    record("restore", &|| {
        ring.restore(&acme, &v1).unwrap();
    });
    record("destroy", &|| {
        ring.destroy(&acme, &v1).unwrap();
    });
    record("versions", &|| {
        ring.versions(&globex, &key).unwrap();
    });
    record("encrypt", &|| {
        ring.encrypt(&acme, &name("acme", "missing"), b"x", b"")
            .unwrap();
    });
    record("encrypt_under", &|| {
        ring.encrypt_under(&acme, &v9, b"x", b"").unwrap();
    });
    record("decrypt", &|| {
        ring.decrypt(&acme, &sealed, b"wrong").unwrap();
    });
    record("reencrypt", &|| {
        ring.reencrypt(&acme, &sealed, b"wrong").unwrap();
    });
    record("list (store down)", &|| {
        key_model::testing::ring_with_canary_keys(
            DownStore,
            setup.canaries.root_key(),
            &setup.canaries,
        )
        .list(&acme)
        .unwrap();
    });
    record("Envelope::from_bytes", &|| {
        Envelope::from_bytes(&sealed.as_bytes()[..20]).unwrap();
    });
    record("Envelope::from_str", &|| {
        "*".parse::<Envelope>().unwrap();
    });
    record("Envelope deserialize", &|| {
        serde_json::from_str::<Envelope>(r#""AAAA""#).unwrap();
    });
    record("StoredKey deserialize", &|| {
        serde_json::from_str::<StoredKey>(r#"{"name":"tenants/acme/keys/x","versions":[{}]}"#)
            .unwrap();
    });
    record("WrappedKey deserialize", &|| {
        serde_json::from_str::<WrappedKey>(r#""==""#).unwrap();
    });
    // Only the ring can call a root key, so the canary root key's own
    // error and its `Ok` value are captured by a root key the ring calls.
    let probe = RootProbe::capture(&setup.canaries, &v1, &payload);
    record("RootKey::unwrap", &|| {
        let unwrapped = probe.unwrapped.lock().unwrap().take();
        unwrapped.expect("captured once").unwrap();
    });
    record("EventEnvelope::new", &|| {
        EventEnvelope::new(
            acme.tenant(),
            "",
            &CarelessEvent {
                note: String::new(),
            },
        )
        .unwrap();
    });
    // The sinks' errors, unwrapped.
    let metadata = ring.versions(&acme, &key).unwrap();
    record("api_json (map with non-string keys)", &|| {
        let mut map = std::collections::BTreeMap::new();
        map.insert((1u8, 2u8), v1.clone());
        api_json(&Keyed { map }).unwrap();
    });
    record("write_api_json (failing writer)", &|| {
        write_api_json(
            FailingWriter,
            &Careless {
                note: String::new(),
            },
        )
        .unwrap();
    });
    record("event_json (bad event type)", &|| {
        event_json(
            acme.tenant(),
            "Key Rotated",
            &CarelessEvent {
                note: String::new(),
            },
        )
        .unwrap();
    });
    record("CsvWriter::write (nested row)", &|| {
        CsvWriter::new(Vec::new())
            .write(&NestedRow {
                keys: metadata.clone(),
            })
            .unwrap();
    });
    record("JsonLinesWriter::write (failing writer)", &|| {
        JsonLinesWriter::new(FailingWriter)
            .write(&CarelessRow {
                note: String::new(),
            })
            .unwrap();
    });
    record("AuditWriter::write (failing writer)", &|| {
        AuditWriter::new(FailingWriter)
            .write(
                acme.tenant(),
                at,
                &CarelessAudit {
                    note: String::new(),
                },
            )
            .unwrap();
    });
    // Successes, unwrapped as errors: the panic prints the value's `Debug`.
    record("encrypt unwrap_err", &|| {
        ring.encrypt(&acme, &key, payload.bytes(), b"").unwrap_err();
    });
    record("decrypt unwrap_err", &|| {
        ring.decrypt(&acme, &sealed, b"ctx").unwrap_err();
    });
    record("reencrypt unwrap_err", &|| {
        ring.reencrypt(&acme, &sealed, b"ctx").unwrap_err();
    });
    record("versions unwrap_err", &|| {
        ring.versions(&acme, &key).unwrap_err();
    });
    record("list unwrap_err", &|| {
        ring.list(&acme).unwrap_err();
    });
    record("in_memory unwrap_err", &|| {
        KeyRing::in_memory().unwrap_err();
    });
    record("MemoryRootKey::generate unwrap_err", &|| {
        MemoryRootKey::generate().unwrap_err();
    });
    record("store load unwrap_err", &|| {
        setup.store.record(&key).unwrap_err();
    });
    record("root wrap unwrap_err", &|| {
        let wrapped = probe.wrapped.lock().unwrap().take();
        wrapped.expect("captured once").unwrap_err();
    });
    record("panic formatting the ring", &|| {
        panic!("ring state: {ring:?}");
    });
    assert!(panics.len() >= 36);
    panics.assert_clean(&setup.canaries, &[payload]);
}

#[derive(Serialize, ApiDto)]
struct Keyed {
    map: std::collections::BTreeMap<(u8, u8), KeyRef>,
}

#[derive(Serialize, ExportDto)]
struct NestedRow {
    keys: Vec<KeyMetadata>,
}

/// The panic channel would show a leak of a ring's key.
#[test]
fn panic_capture_would_show_a_leak() {
    let (ring, canaries) = canary_ring(62);
    ring.create_key(&scope("acme"), &name("acme", "audit-export"))
        .unwrap();
    let canary = canaries.issued()[0].1.clone();
    let message = capture_panic(|| panic!("key was {:?}", canary.bytes())).expect("it panicked");
    assert!(canaries.find_leak(message).is_some());
}

// ---- the walkthrough ---------------------------------------------------------

/// The walkthrough example's whole output, from the example's own code
/// (this file includes it as a module) run on a canary ring.
///
/// Why not run the example binary: `cargo test` cannot name another
/// crate's example binary (`CARGO_BIN_EXE_*` is for binaries of the crate
/// under test), and a nested `cargo run` would wait on the build lock the
/// outer `cargo test` may hold, and would run with random keys, which the
/// test cannot know. The example's `run` takes the ring and the writer, so
/// the test gives it canaries and a buffer, and scans everything written.
#[test]
fn walkthrough_output_whole() {
    let setup = Rig::new(71);
    let mut output = Vec::new();
    walkthrough::run(&setup.ring, &mut output).unwrap();
    let text = String::from_utf8(output).unwrap();
    for heading in [
        "== 1. ", "== 2. ", "== 3. ", "== 4. ", "== 5. ", "== 6. ", "== 7. ", "== 8. ", "== 9. ",
    ] {
        assert!(text.contains(heading), "{heading} missing from:\n{text}");
    }
    assert!(text.contains("KeyMaterial([REDACTED])"));
    assert!(text.ends_with("Every check of the walkthrough held.\n"));
    // Acme's recordings (3 versions) and exports, globex's recordings (3).
    assert_eq!(setup.canaries.issued().len(), 7);
    setup.canaries.assert_no_leak(&text);
    let mut out = Outputs::default();
    setup.scan_store(&mut out, &["acme", "globex"]);
    out.assert_clean(&setup.canaries, &[]);
}

/// The walkthrough's writer is the whole output: what the example would
/// print of a key, the buffer holds, and the scan finds.
#[test]
fn walkthrough_capture_would_show_a_leak() {
    let setup = Rig::new(72);
    let mut output = Vec::new();
    walkthrough::run(&setup.ring, &mut output).unwrap();
    // The example prints the material fragments of `{ring:?}`; were the material's `Debug` the bytes,
    // they would stand where `KeyMaterial([REDACTED])` stands.
    let text = String::from_utf8(output).unwrap();
    let canary = &setup.canaries.issued()[0].1;
    let leaky = text.replacen(
        "KeyMaterial([REDACTED])",
        &format!("KeyMaterial({:?})", canary.bytes()),
        1,
    );
    assert_ne!(leaky, text);
    assert!(setup.canaries.find_leak(leaky).is_some());
}

/// The walkthrough on the embedded default's store, a SQLite file, with
/// canary keys and a canary root key; then every byte of the database file,
/// its write-ahead log and its shared-memory index, read while a ring still
/// has the file open (so the log is not yet folded back into the file),
/// holds wrapped material only: no canary in any encoding.
#[test]
fn the_sqlite_files_hold_wrapped_material_only() {
    let dir = ring_support::TempDir::new("canary-sqlite");
    let file = dir.file("keys.sqlite3");
    let canaries = CanaryKeys::new(73);
    let open = || -> Result<KeyRing, Box<dyn std::error::Error>> {
        Ok(key_model::testing::ring_with_canary_keys(
            key_model::ring::SqliteKeyStore::open(&file)?,
            canaries.root_key(),
            &canaries,
        ))
    };
    let mut output = Vec::new();
    walkthrough::run_across_restart(&open, &mut output).unwrap();
    let text = String::from_utf8(output).unwrap();
    assert!(text.contains("== 10. "), "{text}");
    canaries.assert_no_leak(&text);

    // A ring that keeps the file open and writes once more, into the log.
    let ring = open().unwrap();
    let acme = scope("acme");
    ring.rotate(&acme, &name("acme", "ssh-session-recording"))
        .unwrap();
    let issued = canaries.issued().len();
    assert!(issued >= 8, "{issued} canary versions issued");

    let mut files = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = dir.file(&format!("keys.sqlite3{suffix}"));
        files.push((suffix, std::fs::read(&path).unwrap()));
    }
    let wal = &files[1].1;
    assert!(!wal.is_empty(), "the write-ahead log was scanned empty");
    // The scan sees the real thing: every stored wrapped key is in the
    // file or the log, byte for byte. The rows are read with SQL, as
    // whoever has the file can (the store itself answers the ring only).
    let store = rusqlite::Connection::open(&file).unwrap();
    let stored: Vec<Vec<u8>> = store
        .prepare("SELECT wrapped FROM key_versions WHERE wrapped IS NOT NULL")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for w in &stored {
        let found = files
            .iter()
            .any(|(_, bytes)| bytes.windows(w.len()).any(|x| x == w.as_slice()));
        assert!(found, "a wrapped key is in neither the file nor the log");
    }
    let wrapped = stored.len();
    assert!(wrapped >= issued - 1, "{wrapped} wrapped keys found");
    for (suffix, bytes) in &files {
        if let Some(leak) = canaries.find_leak(bytes) {
            panic!("keys.sqlite3{suffix}: {leak:?}");
        }
    }
    drop((ring, store));
}

/// The scan above finds material written into the file: a row holding a
/// canary's raw bytes (as a store that forgot to wrap would write them).
#[test]
fn a_canary_in_the_sqlite_file_is_found() {
    let dir = ring_support::TempDir::new("canary-sqlite-leak");
    let file = dir.file("keys.sqlite3");
    let canaries = CanaryKeys::new(74);
    let ring = key_model::testing::ring_with_canary_keys(
        key_model::ring::SqliteKeyStore::open(&file).unwrap(),
        canaries.root_key(),
        &canaries,
    );
    let v1 = ring
        .create_key(&scope("acme"), &name("acme", "audit-export"))
        .unwrap()
        .key_ref()
        .clone();
    let leaked = *canaries.canary_for(&v1).bytes();
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute("UPDATE key_versions SET wrapped = ?1", [&leaked[..]])
        .unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend(std::fs::read(dir.file("keys.sqlite3-wal")).unwrap_or_default());
    let leak = canaries.find_leak(&bytes).expect("the raw canary is found");
    assert_eq!(leak.key(), &LeakedKey::Version(v1));
    drop(ring);
}
