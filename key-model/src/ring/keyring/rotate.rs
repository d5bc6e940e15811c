//! Rotation of the root key: every stored version of a tenant's keys
//! re-wrapped under the root key's current version.

use crate::error::Error;
use crate::model::scope::TenantScope;
use crate::ring::keyring::KeyRing;
use crate::ring::root::RingCall;
use crate::ring::store::StoreCall;

impl KeyRing {
    /// Re-wraps every stored version of every key of `scope`'s tenant under
    /// the root key's current version ([`RootKey::rewrap`]), and returns how
    /// many versions it re-wrapped. Run it for each tenant after rotating
    /// the root key at its provider; the old root version can be retired
    /// once it has run for all of them.
    ///
    /// The keys' material does not change, so every envelope sealed before
    /// still opens. Each key is one change (saved, then published): if the
    /// provider fails halfway, the keys already done keep their new wrapping,
    /// the others their old one, and running it again finishes the job.
    /// Versions without wrapped material (destroyed) are skipped.
    ///
    /// [`RootKey::rewrap`]: crate::ring::RootKey::rewrap
    ///
    /// ```
    /// use key_model::{KeyRing, TenantScope};
    ///
    /// let ring = KeyRing::in_memory()?;
    /// let acme = TenantScope::authorized_by_host("acme".parse()?);
    /// ring.create_key(&acme, &"tenants/acme/keys/orders".parse()?)?;
    /// assert_eq!(ring.rewrap_all(&acme)?, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rewrap_all(&self, scope: &TenantScope) -> Result<usize, Error> {
        let mut rewrapped = 0;
        for name in self.store.list(&StoreCall::new(), scope.tenant())? {
            rewrapped += self.change(scope, &name, |ring, record| {
                let mut count = 0;
                for version in &mut record.versions {
                    if let Some(wrapped) = &version.wrapped {
                        let key_ref = version.metadata.key_ref();
                        version.wrapped =
                            Some(ring.root.rewrap(&RingCall::new(), key_ref, wrapped)?);
                        count += 1;
                    }
                }
                Ok(count)
            })?;
        }
        Ok(rewrapped)
    }
}
