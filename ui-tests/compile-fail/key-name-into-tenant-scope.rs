// A key name does not convert into a tenant scope either.
use key_model::{KeyName, TenantScope};

fn main() {
    let name: KeyName = "tenants/acme/keys/audit-export".parse().unwrap();
    let _scope = TenantScope::from(name);
}
