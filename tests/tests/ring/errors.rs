//! G8 through the key ring: no error, in `Display` or `Debug`, carries key
//! material or plaintext. A root key that keeps a copy of every key it wraps
//! (a test-only canary) lets the test look for the actual key bytes, in
//! every common encoding, in every error the ring's failure modes produce.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::support::{SpyRoot, name, scope};
use key_model::ring::{KeyStore, MemoryKeyStore, StoredKey};
use key_model::{Envelope, Error, KeyRing, KeyVersion, Timestamp};

const PLAINTEXT: &[u8] = b"TOP-SECRET-RECORDING-CONTENT";

/// Renderings of `bytes` a careless error could contain: hex (both cases),
/// the `Debug` of the byte slice, and the bytes as text. Prefixes are
/// enough to catch a partial leak and too long to occur by chance.
fn encodings(bytes: &[u8]) -> Vec<String> {
    let mut hex = String::new();
    let mut upper = String::new();
    for b in bytes {
        write!(hex, "{b:02x}").unwrap();
        write!(upper, "{b:02X}").unwrap();
    }
    let debug = format!("{bytes:?}");
    let mut out = vec![
        hex[..16].to_owned(),
        upper[..16].to_owned(),
        debug[..24].to_owned(),
    ];
    if let Ok(text) = std::str::from_utf8(bytes) {
        out.push(text.to_owned());
    }
    out
}

#[test]
fn no_ring_error_carries_key_material_or_plaintext() {
    let root = Arc::new(SpyRoot::new());
    let store = Arc::new(MemoryKeyStore::new());
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
    let record = store.load(&key).unwrap().unwrap();
    let mut json = serde_json::to_value(&record).unwrap();
    json["versions"][1]["wrapped"] = serde_json::json!("AAAAAAAA");
    store
        .save(&serde_json::from_value::<StoredKey>(json).unwrap())
        .unwrap();
    let fresh = KeyRing::new(Arc::clone(&store), Arc::clone(&root));
    errors.push(fresh.encrypt(&acme, &key, PLAINTEXT, b"").unwrap_err());

    let keys: Vec<[u8; 32]> = root.wrapped().into_iter().map(|(_, k)| k).collect();
    assert_eq!(keys.len(), 2, "the canary saw both versions' material");
    let mut needles: Vec<String> = keys.iter().flat_map(|k| encodings(k)).collect();
    needles.extend(encodings(PLAINTEXT));
    needles.push(sealed.to_string()[..16].to_owned());
    // The search finds a leak where there is one.
    let leaky = format!("decrypt failed with key {:?}", &keys[0][..]);
    assert!(needles.iter().any(|n| leaky.contains(n.as_str())));
    for e in &errors {
        for rendered in [e.to_string(), format!("{e:?}"), format!("{e:#?}")] {
            for needle in &needles {
                assert!(
                    !rendered.contains(needle.as_str()),
                    "{rendered:?} contains {needle:?}"
                );
            }
        }
    }
    assert!(errors.len() >= 12);
}
