//! G8 through the key ring: no error, in `Display` or `Debug`, carries key
//! material or plaintext. A root key that keeps a copy of every key it wraps
//! (a test-only spy) lets the test turn the actual key bytes into canaries,
//! and the leak-canary kit's detector (`key_model::testing`) looks for them,
//! and for the plaintext, in every encoding it knows, in every error the
//! ring's failure modes produce.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::support::{SpyRoot, name, scope};
use key_model::ring::StoredKey;
use key_model::testing::{Canary, EditableKeyStore, find_leak};
use key_model::{Envelope, Error, KeyRing, KeyVersion, Timestamp};

/// 32 bytes, a key's length, so that the plaintext can be a canary too.
const PLAINTEXT: &[u8; 32] = b"TOP-SECRET-RECORDING-CONTENT-001";

#[test]
fn no_ring_error_carries_key_material_or_plaintext() {
    let root = Arc::new(SpyRoot::new());
    let store = Arc::new(EditableKeyStore::new());
    let ring = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
    let (acme, globex) = (scope("acme"), scope("globex"));
    let key = name("acme", "ssh-session-recording");
    ring.create_key(&acme, &key).unwrap();
    let sealed = ring.encrypt(&acme, &key, PLAINTEXT, b"ctx").unwrap();
    ring.rotate(&acme, &key).unwrap();
    let v1 = key.at_version(KeyVersion::FIRST);

    let mut errors: Vec<Error> = Vec::new();
    // Wrong context, wrong tenant, tampered bytes, unparsable bytes.
    errors.push(ring.decrypt(&acme, &sealed, b"other").unwrap_err());
    errors.push(ring.decrypt(&globex, &sealed, b"ctx").unwrap_err());
    let mut tampered = sealed.as_bytes().to_vec();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    errors.push(
        ring.decrypt(&acme, &Envelope::from_bytes(&tampered).unwrap(), b"ctx")
            .unwrap_err(),
    );
    errors.push(Error::Envelope(
        Envelope::from_bytes(&tampered[..tampered.len() / 2]).unwrap_err(),
    ));
    let mut bad_tenant = sealed.as_bytes().to_vec();
    bad_tenant[3] = 0xff;
    errors.push(Error::Envelope(
        Envelope::from_bytes(&bad_tenant).unwrap_err(),
    ));
    // Refusals in each state, and refused transitions.
    ring.disable(&acme, &v1).unwrap();
    errors.push(ring.decrypt(&acme, &sealed, b"ctx").unwrap_err());
    errors.push(ring.reencrypt(&acme, &sealed, b"ctx").unwrap_err());
    errors.push(ring.encrypt_under(&acme, &v1, PLAINTEXT, b"").unwrap_err());
    errors.push(ring.disable(&acme, &v1).unwrap_err());
    ring.schedule_destruction(&acme, &v1, Timestamp::from_unix_seconds(1))
        .unwrap();
    ring.destroy(&acme, &v1).unwrap();
    errors.push(ring.decrypt(&acme, &sealed, b"ctx").unwrap_err());
    errors.push(ring.enable(&acme, &v1).unwrap_err());
    errors.push(ring.create_key(&acme, &key).unwrap_err());
    // Backend failures: a record whose wrapped material was swapped.
    let (record, revision) = store.record(&key).unwrap().unwrap();
    let mut json = serde_json::to_value(&record).unwrap();
    json["versions"][1]["wrapped"] = serde_json::json!("AAAAAAAA");
    store
        .write(
            &serde_json::from_value::<StoredKey>(json).unwrap(),
            Some(revision),
        )
        .unwrap();
    let fresh = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
    errors.push(fresh.encrypt(&acme, &key, PLAINTEXT, b"").unwrap_err());

    let keys: Vec<[u8; 32]> = root.wrapped().into_iter().map(|(_, k)| k).collect();
    assert_eq!(keys.len(), 2, "the canary saw both versions' material");
    let mut canaries: Vec<Canary> = keys.iter().copied().map(Canary::from_bytes).collect();
    canaries.push(Canary::from_bytes(*PLAINTEXT));
    // The envelope is not secret, but an error has no reason to echo it:
    // its text form's start, which holds no key bytes the detector knows.
    let sealed_text = sealed.to_string();
    let envelope_prefix = &sealed_text[..16];
    // The search finds a leak where there is one.
    let leaky = format!("decrypt failed with key {:?}", &keys[0][..]);
    assert_eq!(find_leak(&canaries, &leaky).map(|(i, _)| i), Some(0));
    let leaky = format!("plaintext {}", String::from_utf8_lossy(PLAINTEXT));
    assert_eq!(find_leak(&canaries, &leaky).map(|(i, _)| i), Some(2));
    // The kit matches whole keys; a partial leak is a leak too. The first 8
    // bytes of each key, as hex in both cases and as the start of a `Debug`
    // byte list, are too long to occur by chance.
    let mut partial: Vec<String> = Vec::new();
    for key in &keys {
        let head = &key[..8];
        let (mut lower, mut upper) = (String::new(), String::new());
        for b in head {
            write!(lower, "{b:02x}").unwrap();
            write!(upper, "{b:02X}").unwrap();
        }
        let debug = format!("{head:?}");
        partial.extend([lower, upper, debug[..debug.len() - 1].to_owned()]);
    }
    let leaky = format!("key starts {:02x?}", &keys[1][..8]);
    let leaky_hex = leaky.replace(['[', ']', ',', ' '], "");
    assert!(partial.iter().any(|p| leaky_hex.contains(p.as_str())));
    assert!(
        partial
            .iter()
            .any(|p| format!("{:?}", &keys[0][..]).contains(p.as_str()))
    );
    for e in &errors {
        for rendered in [e.to_string(), format!("{e:?}"), format!("{e:#?}")] {
            for p in &partial {
                assert!(
                    !rendered.contains(p.as_str()),
                    "{rendered:?} contains {p:?}"
                );
            }
            if let Some((i, leak)) = find_leak(&canaries, &rendered) {
                panic!("{rendered:?} reveals canary {i}: {leak}");
            }
            assert!(
                !rendered.contains(envelope_prefix),
                "{rendered:?} contains {envelope_prefix:?}"
            );
        }
    }
    assert!(errors.len() >= 12);
}
