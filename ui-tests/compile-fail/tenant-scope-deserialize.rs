// A scope cannot be read from a request body.
use key_model::TenantScope;

fn main() {
    let _scope: TenantScope = serde_json::from_str(r#"{"tenant":"acme"}"#).unwrap();
}
