//! The tests every provider runs, written once: a round trip through a
//! cold ring, the key reference bound to the wrapped bytes, fail-closed
//! behaviour while the provider refuses the key (and service restored when
//! it accepts it again), and rotation of the root key over a store of many
//! keys, and, with the ring's root re-check on, a refusal honoured by a ring
//! that holds the key cached. Each provider's file implements [`Provider`] over its server and
//! calls these; what only one provider has (transit's ciphertext prefix,
//! KMS's scheduled deletion) it checks on the [`Case`] returned.

use std::sync::Arc;
use std::time::{Duration, Instant};

use key_model::ring::RootKey;
use key_model::testing::EditableKeyStore;
use key_model::{BackendErrorKind, Envelope, Error, KeyName, KeyRing};

use crate::{name, scope, shared_store, swap_wrapped};

/// A key provider as the suite drives it. Every method takes the test's
/// `label`: the provider's key (or key name) that test uses, so that tests
/// sharing one server never share a key.
pub(crate) trait Provider {
    /// The provider's root key type (an `Arc` where the test keeps an
    /// administrator's handle on the same key).
    type Root: RootKey + 'static;

    /// A new provider key for `label` and the root key over it: what the
    /// warm ring writes with.
    fn create(&self, label: &str) -> Self::Root;

    /// A second root key over the current key of `label`, as a restarted
    /// process opens it: what a cold ring unwraps with.
    fn reconnect(&self, label: &str) -> Self::Root;

    /// Makes the provider refuse (`false`) or accept (`true`) the key of
    /// `label`, the way its administrator would.
    fn set_usable(&self, label: &str, usable: bool);

    /// Rotates the key of `label` on the provider and returns the root key
    /// that re-wraps under the new version.
    fn rotate(&self, label: &str) -> Self::Root;

    /// Retires the version before the rotation (the provider refuses it from
    /// now on).
    fn retire(&self, label: &str);

    /// Whether `wrapped` was wrapped by the version [`Provider::rotate`]
    /// made.
    fn wrapped_by_new_version(&self, label: &str, wrapped: &[u8]) -> bool;

    /// A root key that would still accept the retired version, were the
    /// provider not refusing it.
    fn with_retired_version(&self, label: &str) -> Self::Root;
}

/// What a suite test leaves for the provider's own checks: the store, the
/// key, and an envelope sealed under its first version.
pub(crate) struct Case {
    pub(crate) store: Arc<EditableKeyStore>,
    pub(crate) key: KeyName,
    pub(crate) sealed: Envelope,
}

/// The backend error kind of `result`, or a panic naming what it was.
pub(crate) fn backend_kind<T: std::fmt::Debug>(result: Result<T, Error>) -> BackendErrorKind {
    match result {
        Err(Error::Backend(e)) => e.kind(),
        other => panic!("expected a backend error, got {other:?}"),
    }
}

/// A ring over `store` with `root`.
fn ring(store: &Arc<EditableKeyStore>, root: impl RootKey + 'static) -> KeyRing {
    KeyRing::new(Arc::clone(store), root)
}

/// A key created and used by a warm ring, then opened by a cold one (nothing
/// cached): the cold ring unwraps through the provider.
pub(crate) fn round_trip_through_a_cold_ring<P: Provider>(p: &P, label: &str) -> Case {
    let store = shared_store();
    let warm = ring(&store, p.create(label));
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    warm.create_key(&acme, &key).unwrap();
    let sealed = warm.encrypt(&acme, &key, b"row 1", b"ctx").unwrap();
    let cold = ring(&store, p.reconnect(label));
    let opened = cold.decrypt(&acme, &sealed, b"ctx").unwrap();
    assert_eq!(opened.as_bytes(), b"row 1");
    Case { store, key, sealed }
}

/// Versions 1 and 2 swap their wrapped bytes in the store: each is bound
/// to its key reference, so the provider refuses both.
pub(crate) fn wrapped_bytes_are_bound_to_their_version<P: Provider>(p: &P, label: &str) {
    let store = shared_store();
    let writer = ring(&store, p.create(label));
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    writer.create_key(&acme, &key).unwrap();
    let sealed = writer.encrypt(&acme, &key, b"row", b"").unwrap();
    writer.rotate(&acme, &key).unwrap();
    swap_wrapped(&store, &key, 0, 1);
    let cold = ring(&store, p.reconnect(label));
    assert_eq!(
        backend_kind(cold.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Unwrap
    );
}

/// While the provider refuses the key, a cold ring cannot load it and no
/// new key can be wrapped; material a warm ring unwrapped before stays
/// usable while cached (the bound docs/key-model.md states). Accepted
/// again, the cold ring serves it. The key is usable when this returns.
pub(crate) fn refusal_fails_closed_and_acceptance_restores_service<P: Provider>(
    p: &P,
    label: &str,
) -> Case {
    let store = shared_store();
    let warm = ring(&store, p.create(label));
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    warm.create_key(&acme, &key).unwrap();
    let sealed = warm.encrypt(&acme, &key, b"row", b"").unwrap();
    let cold = ring(&store, p.reconnect(label));

    p.set_usable(label, false);
    assert_eq!(
        backend_kind(cold.decrypt(&acme, &sealed, b"")),
        BackendErrorKind::Refused
    );
    assert_eq!(
        backend_kind(warm.create_key(&acme, &name("acme", "invoices"))),
        BackendErrorKind::Refused
    );
    assert_eq!(
        warm.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );

    p.set_usable(label, true);
    assert_eq!(
        cold.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );
    Case { store, key, sealed }
}

/// 48 keys of four tenants, re-wrapped under the provider's new version;
/// the old version retired. A cold ring opens every envelope sealed
/// before, and every stored version is wrapped by the new version. Returns
/// a store holding one record from before the rotation: the retired
/// version wrapped it, and the provider refuses it (checked here through a
/// root key that still accepts that version).
pub(crate) fn rotation_rewraps_many_keys_and_retires_the_old_version<P: Provider>(
    p: &P,
    label: &str,
) -> Case {
    const KEYS: usize = 12;
    let store = shared_store();
    let writer = ring(&store, p.create(label));
    let tenants = ["acme", "globex", "initech", "umbrella"];
    let mut sealed = Vec::new();
    for tenant in tenants {
        for i in 0..KEYS {
            let (s, n) = (scope(tenant), name(tenant, &format!("k{i}")));
            writer.create_key(&s, &n).unwrap();
            sealed.push((tenant, writer.encrypt(&s, &n, b"old", b"").unwrap()));
        }
    }
    let first = name("acme", "k0");
    let before = store.record(&first).unwrap().unwrap().0;

    let rotating = ring(&store, p.rotate(label));
    let mut rewrapped = 0;
    for tenant in tenants {
        rewrapped += rotating.rewrap_all(&scope(tenant)).unwrap();
    }
    assert_eq!(rewrapped, tenants.len() * KEYS);
    p.retire(label);

    let cold = ring(&store, p.reconnect(label));
    for tenant in tenants {
        for i in 0..KEYS {
            let (record, _) = store
                .record(&name(tenant, &format!("k{i}")))
                .unwrap()
                .unwrap();
            let wrapped = record.versions()[0].wrapped().unwrap().as_bytes();
            assert!(
                p.wrapped_by_new_version(label, wrapped),
                "{tenant}/k{i} is not wrapped by the new version"
            );
        }
    }
    for (tenant, envelope) in &sealed {
        let opened = cold.decrypt(&scope(tenant), envelope, b"").unwrap();
        assert_eq!(opened.as_bytes(), b"old");
    }

    // The retired version: what it wrapped no longer unwraps.
    let old_store = shared_store();
    old_store.write(&before, None).unwrap();
    let old = ring(&old_store, p.with_retired_version(label));
    let (_, envelope) = sealed.swap_remove(0);
    assert_eq!(
        backend_kind(old.decrypt(&scope("acme"), &envelope, b"")),
        BackendErrorKind::Refused
    );
    Case {
        store: old_store,
        key: first,
        sealed: envelope,
    }
}

/// The root re-check interval of [`root_recheck_honours_a_refusal_within_the_interval`].
pub(crate) const RECHECK: Duration = Duration::from_millis(300);

/// With the ring's root re-check every [`RECHECK`] (and the background
/// refresher doing it off the hot path), material a warm ring holds is
/// refused within the interval once the provider refuses the key (plus one
/// provider call on a loaded machine), and served again once it accepts
/// it. Without the re-check that material stays usable
/// ([`refusal_fails_closed_and_acceptance_restores_service`]). Returns how
/// long the refusal took, for the figures in docs/performance.md.
pub(crate) fn root_recheck_honours_a_refusal_within_the_interval<P: Provider>(
    p: &P,
    label: &str,
) -> Duration {
    let store = shared_store();
    let ring =
        Arc::new(KeyRing::new(Arc::clone(&store), p.create(label)).with_root_recheck(RECHECK));
    // Detached: it ends with the ring.
    drop(ring.refresh_in_background().unwrap());
    let (acme, key) = (scope("acme"), name("acme", "orders"));
    ring.create_key(&acme, &key).unwrap();
    let sealed = ring.encrypt(&acme, &key, b"row", b"").unwrap();
    // Two intervals of use while the provider serves the key: the
    // re-checks pass.
    let start = Instant::now();
    while start.elapsed() < 2 * RECHECK {
        ring.decrypt(&acme, &sealed, b"").unwrap();
        std::thread::sleep(Duration::from_millis(5));
    }

    p.set_usable(label, false);
    let disabled = Instant::now();
    let limit = RECHECK + Duration::from_millis(500);
    let seen = loop {
        match ring.decrypt(&acme, &sealed, b"") {
            Ok(_) => {}
            Err(Error::Backend(e)) if e.kind() == BackendErrorKind::Refused => {
                break disabled.elapsed();
            }
            Err(other) => panic!("expected the provider's refusal, got {other:?}"),
        }
        assert!(
            disabled.elapsed() < limit,
            "cached material still usable {limit:?} after the provider refused its key"
        );
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(seen < limit, "refused after {seen:?}, beyond {limit:?}");

    p.set_usable(label, true);
    assert_eq!(
        ring.decrypt(&acme, &sealed, b"").unwrap().as_bytes(),
        b"row"
    );
    seen
}
