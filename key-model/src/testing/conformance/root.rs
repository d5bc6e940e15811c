//! The root-key conformance suite.

use secrecy::{ExposeSecret, SecretBox};

use crate::model::id::KeyRef;
use crate::ring::backend::BackendError;
use crate::ring::root::{RingCall, RootKey, WrappedKey};
use crate::testing::canary::Canary;

/// Runs every behaviour the key ring relies on from a root key against
/// `root`, and panics at the first one it lacks.
///
/// The material it wraps is canary material (seeds `0xC0F0_0000..`), so the
/// suite can look for it in the wrapped bytes and in every error. It checks:
///
/// - **round trip**: what `wrap` returns, `unwrap` turns back into the same
///   32 bytes, for two versions of one key, each with its own material;
/// - **not the material**: wrapped bytes reveal the material in no encoding
///   the leak detector knows;
/// - **bound to the reference**: unwrapping under another version, purpose
///   or tenant fails;
/// - **tamper evident**: wrapped bytes with one byte changed at the start or
///   in the middle, cut short by one byte, one byte longer, empty, or all
///   zero fail to unwrap;
/// - **quiet errors**: no error's `Display` or `Debug` reveals the material.
///
/// ```
/// use key_model::ring::MemoryRootKey;
///
/// key_model::testing::root_key_conformance(&MemoryRootKey::generate()?);
/// # Ok::<(), key_model::Error>(())
/// ```
///
/// # Panics
///
/// At the first behaviour `root` lacks, naming it; or if the provider
/// refuses a round trip (unreachable, disabled), with its error.
#[track_caller]
pub fn root_key_conformance<R: RootKey + ?Sized>(root: &R) {
    let suite = Suite {
        root,
        call: RingCall::new(),
    };
    let v1: KeyRef = parse("tenants/conformance/keys/root-suite/versions/1");
    let v2: KeyRef = parse("tenants/conformance/keys/root-suite/versions/2");
    let other_purpose: KeyRef = parse("tenants/conformance/keys/root-suite-other/versions/1");
    let other_tenant: KeyRef = parse("tenants/conformance-other/keys/root-suite/versions/1");
    let first = Canary::new(0xC0F0_0001);
    let second = Canary::new(0xC0F0_0002);

    let wrapped1 = suite.wrap(&v1, &first);
    let wrapped2 = suite.wrap(&v2, &second);
    suite.expect_material("round trip (version 1)", &v1, &wrapped1, &first);
    suite.expect_material("round trip (version 2)", &v2, &wrapped2, &second);

    for (canary, wrapped) in [(&first, &wrapped1), (&second, &wrapped2)] {
        if let Some(leak) = canary.find_leak(wrapped.as_bytes()) {
            fail(
                "not the material",
                &format!("the wrapped bytes reveal it: {leak}"),
            );
        }
    }

    let canaries = [first, second];
    for (behaviour, key_ref) in [
        ("bound to the version", &v2),
        ("bound to the purpose", &other_purpose),
        ("bound to the tenant", &other_tenant),
    ] {
        suite.expect_refusal(behaviour, key_ref, &wrapped1, &canaries);
    }

    let bytes = wrapped1.as_bytes();
    let changed_at = |index: usize| {
        let mut altered = bytes.to_vec();
        altered[index] ^= 0x01;
        altered
    };
    let mut longer = bytes.to_vec();
    longer.push(0);
    let tampered: [(&str, Vec<u8>); 6] = [
        ("tamper evident (first byte changed)", changed_at(0)),
        (
            "tamper evident (middle byte changed)",
            changed_at(bytes.len() / 2),
        ),
        (
            "tamper evident (one byte short)",
            bytes[..bytes.len() - 1].to_vec(),
        ),
        ("tamper evident (one byte longer)", longer),
        ("tamper evident (empty)", Vec::new()),
        ("tamper evident (all zero)", vec![0; bytes.len()]),
    ];
    for (behaviour, altered) in tampered {
        suite.expect_refusal(behaviour, &v1, &WrappedKey::from_bytes(altered), &canaries);
    }
}

struct Suite<'r, R: ?Sized> {
    root: &'r R,
    call: RingCall,
}

impl<R: RootKey + ?Sized> Suite<'_, R> {
    #[track_caller]
    fn wrap(&self, key_ref: &KeyRef, canary: &Canary) -> WrappedKey {
        let material = SecretBox::new(Box::new(*canary.bytes()));
        match self.root.wrap(&self.call, key_ref, &material) {
            Ok(wrapped) => wrapped,
            Err(e) => {
                quiet_error("quiet errors", &e, core::slice::from_ref(canary));
                fail("round trip", &format!("wrap failed: {e}"))
            }
        }
    }

    #[track_caller]
    fn expect_material(
        &self,
        behaviour: &str,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
        canary: &Canary,
    ) {
        match self.root.unwrap(&self.call, key_ref, wrapped) {
            // Compared here, never printed.
            Ok(secret) if secret.expose_secret() == canary.bytes() => {}
            Ok(_) => fail(behaviour, "unwrap returned other bytes than were wrapped"),
            Err(e) => {
                quiet_error("quiet errors", &e, core::slice::from_ref(canary));
                fail(behaviour, &format!("unwrap failed: {e}"))
            }
        }
    }

    #[track_caller]
    fn expect_refusal(
        &self,
        behaviour: &str,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
        canaries: &[Canary],
    ) {
        match self.root.unwrap(&self.call, key_ref, wrapped) {
            // The unwrapped box is dropped, and zeroized, before the panic.
            Ok(_) => fail(behaviour, "unwrap succeeded"),
            Err(e) => quiet_error(behaviour, &e, canaries),
        }
    }
}

#[track_caller]
fn quiet_error(behaviour: &str, error: &BackendError, canaries: &[Canary]) {
    let shown = format!("{error} {error:?}");
    if let Some((_, leak)) = crate::testing::canary::find_leak(canaries, &shown) {
        fail(behaviour, &format!("an error reveals the material: {leak}"));
    }
}

#[track_caller]
fn fail(behaviour: &str, what: &str) -> ! {
    panic!("root key conformance: {behaviour}: {what}");
}

fn parse(text: &str) -> KeyRef {
    text.parse()
        .unwrap_or_else(|_| unreachable!("the suite's references are valid"))
}
