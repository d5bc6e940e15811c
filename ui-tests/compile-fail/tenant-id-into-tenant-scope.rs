// Knowing a tenant's id is not being authorized for it.
use key_model::{TenantId, TenantScope};

fn main() {
    let tenant: TenantId = "acme".parse().unwrap();
    let _scope = TenantScope::from(tenant);
}
