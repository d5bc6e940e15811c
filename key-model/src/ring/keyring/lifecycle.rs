//! The lifecycle of a tenant's keys: creation, rotation, the primary, and
//! the transitions of a version (G6). Each is one change (`change` in
//! `keyring.rs`): computed on a copy of the record, saved with a
//! compare-and-swap, then published.

use std::sync::PoisonError;

use crate::error::Error;
use crate::model::id::{KeyName, KeyRef, KeyVersion};
use crate::model::lifecycle::{KeyMetadata, Transition};
use crate::model::scope::TenantScope;
use crate::model::time::Timestamp;
use crate::ring::backend::BackendErrorKind;
use crate::ring::keyring::{KeyRing, position};
use crate::ring::store::StoredKey;

impl KeyRing {
    /// Creates the key `name`: version 1, `Enabled`, primary.
    ///
    /// Fails with [`Error::KeyExists`] if the key exists (versions are never
    /// reused), and with [`Error::KeyNotFound`] for a name outside `scope`.
    pub fn create_key(&self, scope: &TenantScope, name: &KeyName) -> Result<KeyMetadata, Error> {
        if !scope.covers_name(name) {
            return Err(Error::KeyNotFound);
        }
        let _changes = self.changes.lock().unwrap_or_else(PoisonError::into_inner);
        if self.checked_entry(name)?.is_some() {
            return Err(Error::KeyExists);
        }
        let key_ref = name.at_version(KeyVersion::FIRST);
        let version = self.new_version(key_ref)?;
        let metadata = version.metadata.clone();
        let record = StoredKey {
            name: name.clone(),
            versions: vec![version],
        };
        match self.publish(record, None) {
            // Another writer created the key since the check above.
            Err(Error::Backend(e)) if e.kind() == BackendErrorKind::Conflict => {
                Err(Error::KeyExists)
            }
            published => published.map(|_| metadata),
        }
    }

    /// Adds a new version of `name` and makes it the primary. Earlier
    /// versions keep their state: enabled ones still decrypt.
    pub fn rotate(&self, scope: &TenantScope, name: &KeyName) -> Result<KeyMetadata, Error> {
        self.change(scope, name, |ring, record| {
            let last = record
                .versions
                .last()
                .map(|v| v.metadata.key_ref().version())
                .ok_or(Error::KeyNotFound)?;
            let next = last.next().ok_or(Error::VersionsExhausted)?;
            let version = ring.new_version(name.at_version(next))?;
            let metadata = version.metadata.clone();
            for v in &mut record.versions {
                v.metadata.set_primary(false)?;
            }
            record.versions.push(version);
            Ok(metadata)
        })
    }

    /// Makes `key_ref` the primary version of its key; it must be
    /// `Enabled`.
    pub fn set_primary(&self, scope: &TenantScope, key_ref: &KeyRef) -> Result<KeyMetadata, Error> {
        self.change(scope, &key_ref.name(), |_, record| {
            let target = position(record, key_ref)?;
            record.versions[target].metadata.set_primary(true)?;
            for (i, v) in record.versions.iter_mut().enumerate() {
                if i != target {
                    v.metadata.set_primary(false)?;
                }
            }
            Ok(record.versions[target].metadata.clone())
        })
    }

    /// `Enabled` -> `Disabled`. Not the primary. A disabled version refuses
    /// every operation, and its material is dropped from memory.
    ///
    /// ```
    /// use key_model::{KeyName, KeyRing, TenantScope};
    ///
    /// let ring = KeyRing::in_memory()?;
    /// let acme = TenantScope::authorized_by_host("acme".parse()?);
    /// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
    /// let v1 = ring.create_key(&acme, &name)?.key_ref().clone();
    /// let sealed = ring.encrypt(&acme, &name, b"rows", b"")?;
    /// ring.rotate(&acme, &name)?; // the primary cannot be disabled
    /// ring.disable(&acme, &v1)?;
    /// let refused = ring.decrypt(&acme, &sealed, b"").unwrap_err();
    /// assert_eq!(refused.to_string(), "decrypt refused: key version is disabled");
    /// ring.enable(&acme, &v1)?;
    /// assert_eq!(ring.decrypt(&acme, &sealed, b"")?.as_bytes(), b"rows");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn disable(&self, scope: &TenantScope, key_ref: &KeyRef) -> Result<KeyMetadata, Error> {
        self.transition(scope, key_ref, Transition::Disable)
    }

    /// `Disabled` -> `Enabled`.
    pub fn enable(&self, scope: &TenantScope, key_ref: &KeyRef) -> Result<KeyMetadata, Error> {
        self.transition(scope, key_ref, Transition::Enable)
    }

    /// `Disabled` -> `DestroyScheduled { at }`. The ring runs no timer:
    /// the host calls [`KeyRing::destroy`] when `at` is due, and may
    /// [`KeyRing::restore`] before.
    pub fn schedule_destruction(
        &self,
        scope: &TenantScope,
        key_ref: &KeyRef,
        at: Timestamp,
    ) -> Result<KeyMetadata, Error> {
        self.transition(scope, key_ref, Transition::ScheduleDestruction { at })
    }

    /// `DestroyScheduled` -> `Disabled`.
    pub fn restore(&self, scope: &TenantScope, key_ref: &KeyRef) -> Result<KeyMetadata, Error> {
        self.transition(scope, key_ref, Transition::Restore)
    }

    /// `DestroyScheduled` -> `Destroyed`, terminal: the wrapped material is
    /// removed from the store and the unwrapped material (already out of
    /// memory since the version was disabled) can never be loaded again.
    /// The metadata and the version number stay.
    ///
    /// ```
    /// use key_model::{KeyName, KeyRing, KeyState, TenantScope, Timestamp};
    ///
    /// let ring = KeyRing::in_memory()?;
    /// let acme = TenantScope::authorized_by_host("acme".parse()?);
    /// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
    /// let v1 = ring.create_key(&acme, &name)?.key_ref().clone();
    /// ring.rotate(&acme, &name)?;
    /// ring.disable(&acme, &v1)?;
    /// let at = Timestamp::from_unix_seconds(1_900_000_000);
    /// ring.schedule_destruction(&acme, &v1, at)?;
    /// ring.restore(&acme, &v1)?; // changed our mind
    /// ring.schedule_destruction(&acme, &v1, at)?;
    /// // ... and when `at` is due:
    /// assert_eq!(ring.destroy(&acme, &v1)?.state(), &KeyState::Destroyed);
    /// assert!(ring.enable(&acme, &v1).is_err()); // terminal
    /// // The number is never reused.
    /// assert_eq!(ring.rotate(&acme, &name)?.key_ref().version().get(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn destroy(&self, scope: &TenantScope, key_ref: &KeyRef) -> Result<KeyMetadata, Error> {
        self.transition(scope, key_ref, Transition::Destroy)
    }

    fn transition(
        &self,
        scope: &TenantScope,
        key_ref: &KeyRef,
        transition: Transition,
    ) -> Result<KeyMetadata, Error> {
        self.change(scope, &key_ref.name(), |_, record| {
            let i = position(record, key_ref)?;
            let version = &mut record.versions[i];
            version.metadata.apply(transition)?;
            if transition == Transition::Destroy {
                version.wrapped = None;
            }
            Ok(version.metadata.clone())
        })
    }
}
