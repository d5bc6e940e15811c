//! The root-key conformance suite (`key_model::testing::root_key_conformance`):
//! every root key of key-model passes it, and it fails, naming the
//! behaviour, on root keys that lack one.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;

use key_model::ring::{ExposeSecret, MemoryRootKey, RingCall, RootKey, SecretBox, WrappedKey};
use key_model::testing::{Canary, CanaryKeys, root_key_conformance};
use key_model::{BackendError, BackendErrorKind, KeyRef};

#[test]
fn memory_root_keys_conform() {
    root_key_conformance(&MemoryRootKey::generate().unwrap());
    root_key_conformance(&CanaryKeys::new(3).root_key());
    root_key_conformance(&Arc::new(MemoryRootKey::generate().unwrap()));
    let boxed: Box<dyn RootKey> = Box::new(MemoryRootKey::generate().unwrap());
    root_key_conformance(&*boxed);
}

/// The panic message of the suite run on `root`.
fn failure(root: &dyn RootKey) -> String {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| root_key_conformance(root)));
    panic::set_hook(previous);
    let payload = outcome.expect_err("the suite accepted a broken root key");
    payload
        .downcast_ref::<String>()
        .cloned()
        .expect("a formatted panic message")
}

/// "Wraps" by copying: the material is in the store as is.
struct Copying;

impl RootKey for Copying {
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
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        let bytes: [u8; 32] = wrapped
            .as_bytes()
            .try_into()
            .map_err(|_| BackendError::new(BackendErrorKind::Unwrap, "wrong length"))?;
        Ok(SecretBox::new(Box::new(bytes)))
    }
}

/// Binds nothing: every version is wrapped under one fixed reference.
struct Unbound(MemoryRootKey, KeyRef);

impl RootKey for Unbound {
    fn wrap(
        &self,
        call: &RingCall,
        _: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        self.0.wrap(call, &self.1, material)
    }

    fn unwrap(
        &self,
        call: &RingCall,
        _: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        self.0.unwrap(call, &self.1, wrapped)
    }
}

/// Accepts extra bytes after what it wrapped.
struct Lenient(MemoryRootKey);

impl RootKey for Lenient {
    fn wrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        self.0.wrap(call, key_ref, material)
    }

    fn unwrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        let bytes = wrapped.as_bytes();
        let trimmed = &bytes[..bytes.len().min(73)];
        self.0
            .unwrap(call, key_ref, &WrappedKey::from_bytes(trimmed.to_vec()))
    }
}

/// Refuses with an error that names the material it could not unwrap.
struct Chatty(MemoryRootKey);

impl RootKey for Chatty {
    fn wrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        material: &SecretBox<[u8; 32]>,
    ) -> Result<WrappedKey, BackendError> {
        self.0.wrap(call, key_ref, material)
    }

    fn unwrap(
        &self,
        call: &RingCall,
        key_ref: &KeyRef,
        wrapped: &WrappedKey,
    ) -> Result<SecretBox<[u8; 32]>, BackendError> {
        // A `BackendError`'s detail is `&'static str`, so a leaking
        // implementation has to leak a string to put bytes in it.
        self.0.unwrap(call, key_ref, wrapped).map_err(|_| {
            let shown = format!("{:?}", wrapped.as_bytes());
            BackendError::new(BackendErrorKind::Unwrap, Box::leak(shown.into_boxed_str()))
        })
    }
}

#[test]
fn the_suite_names_what_a_broken_root_key_lacks() {
    let fixed: KeyRef = "tenants/x/keys/y/versions/1".parse().unwrap();
    let cases: [(&dyn RootKey, &str); 3] = [
        (&Copying, "not the material"),
        (
            &Unbound(MemoryRootKey::generate().unwrap(), fixed),
            "bound to the version",
        ),
        (
            &Lenient(MemoryRootKey::generate().unwrap()),
            "tamper evident (one byte longer)",
        ),
    ];
    for (root, behaviour) in cases {
        let message = failure(root);
        assert!(
            message.starts_with(&format!("root key conformance: {behaviour}:")),
            "{behaviour}: {message}"
        );
    }
}

#[test]
fn the_suite_refuses_an_error_that_reveals_material() {
    // Its wrap fails with the material's bytes in the error's detail.
    struct Confessing;
    impl RootKey for Confessing {
        fn wrap(
            &self,
            _: &RingCall,
            _: &KeyRef,
            material: &SecretBox<[u8; 32]>,
        ) -> Result<WrappedKey, BackendError> {
            let shown = format!("{:?}", material.expose_secret());
            Err(BackendError::new(
                BackendErrorKind::Unavailable,
                Box::leak(shown.into_boxed_str()),
            ))
        }
        fn unwrap(
            &self,
            _: &RingCall,
            _: &KeyRef,
            _: &WrappedKey,
        ) -> Result<SecretBox<[u8; 32]>, BackendError> {
            Err(BackendError::new(BackendErrorKind::Unavailable, "down"))
        }
    }
    let message = failure(&Confessing);
    assert!(
        message.starts_with("root key conformance: quiet errors:"),
        "{message}"
    );
    // The suite's own message names the leak, not the bytes (the suite's
    // first canary is seed 0xC0F0_0001).
    Canary::new(0xC0F0_0001).assert_no_leak(&message);
    // No false alarm: errors that show wrapped bytes reveal no material.
    root_key_conformance(&Chatty(MemoryRootKey::generate().unwrap()));
}
