// A key reference is metadata, never authorization: it does not convert
// into a tenant scope.
use key_model::{KeyRef, TenantScope};

fn main() {
    let key_ref: KeyRef = "tenants/acme/keys/audit-export/versions/1".parse().unwrap();
    let _scope: TenantScope = key_ref.into();
}
