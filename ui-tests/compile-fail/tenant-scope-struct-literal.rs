// The scope's field is private: the only constructor is
// `TenantScope::authorized_by_host`.
use key_model::{TenantId, TenantScope};

fn main() {
    let tenant: TenantId = "acme".parse().unwrap();
    let _scope = TenantScope { tenant };
}
