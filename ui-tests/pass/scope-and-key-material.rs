// What is allowed: creating a scope through its one constructor, reading its
// tenant, generating key material and printing its redacted Debug.
use key_model::{KeyMaterial, KeyRef, TenantId, TenantScope};

fn main() {
    let tenant: TenantId = "acme".parse().unwrap();
    let scope = TenantScope::authorized_by_host(tenant);
    let key_ref: KeyRef = "tenants/acme/keys/audit-export/versions/1".parse().unwrap();
    assert!(scope.covers(&key_ref));
    let key = KeyMaterial::generate().unwrap();
    assert_eq!(format!("{key:?}"), "KeyMaterial([REDACTED])");
}
