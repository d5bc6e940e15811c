// There is no default scope.
use key_model::TenantScope;

fn main() {
    let _scope = TenantScope::default();
}
