//! Coverage-guided fuzzing of the envelope parsers and decrypt.
//!
//! Run (nightly and cargo-fuzz): `cargo +nightly fuzz run envelope` from the
//! repository root. The normal test suite runs a 100 000-input generator
//! pass of the same properties (`tests/tests/ring/fuzz.rs`).
//!
//! Properties: no input panics; whatever parses prints back to itself; and
//! decrypt succeeds only for the one envelope the ring sealed, unchanged.

#![no_main]

use std::sync::LazyLock;

use key_model::{Envelope, KeyName, KeyRing, Plaintext, TenantScope};
use libfuzzer_sys::fuzz_target;

const PLAINTEXT: &[u8] = b"fuzz plaintext";
const CONTEXT: &[u8] = b"fuzz-context";

struct Fixture {
    ring: KeyRing,
    scope: TenantScope,
    sealed: Envelope,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let ring = KeyRing::in_memory().expect("random source");
    let scope = TenantScope::authorized_by_host("acme".parse().expect("tenant"));
    let name: KeyName = "tenants/acme/keys/ssh-session-recording"
        .parse()
        .expect("name");
    ring.create_key(&scope, &name).expect("create");
    let sealed = ring
        .encrypt(&scope, &name, PLAINTEXT, CONTEXT)
        .expect("encrypt");
    Fixture {
        ring,
        scope,
        sealed,
    }
});

fn exercise(fx: &Fixture, envelope: &Envelope) {
    assert_eq!(
        envelope.to_string().parse::<Envelope>().as_ref(),
        Ok(envelope)
    );
    let result = fx.ring.decrypt(&fx.scope, envelope, CONTEXT);
    if envelope == &fx.sealed {
        assert_eq!(
            result.as_ref().ok().map(Plaintext::as_bytes),
            Some(PLAINTEXT)
        );
    } else {
        assert!(result.is_err(), "an altered envelope decrypted");
    }
}

fuzz_target!(|data: &[u8]| {
    let fx = &*FIXTURE;
    if let Ok(envelope) = Envelope::from_bytes(data) {
        exercise(fx, &envelope);
    }
    // The sealed envelope with the input spliced over its tail reaches the
    // deeper fields far more often than raw input does.
    let sealed = fx.sealed.as_bytes();
    let keep = data.first().map_or(0, |&b| usize::from(b) % sealed.len());
    let mut spliced = sealed[..keep].to_vec();
    spliced.extend_from_slice(data.get(1..).unwrap_or_default());
    if let Ok(envelope) = Envelope::from_bytes(&spliced) {
        exercise(fx, &envelope);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(envelope) = text.parse::<Envelope>() {
            exercise(fx, &envelope);
        }
    }
});
