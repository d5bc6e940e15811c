// serde's `remote` derive writes a struct literal of the remote type, so it
// cannot build a scope from a request body either: the field is private.
use key_model::{TenantId, TenantScope};

#[derive(serde::Deserialize)]
#[serde(remote = "TenantScope")]
struct ScopeDef {
    tenant: TenantId,
}

#[derive(serde::Deserialize)]
struct Request {
    #[serde(with = "ScopeDef")]
    scope: TenantScope,
}

fn main() {
    let _request: Request = serde_json::from_str(r#"{"scope":{"tenant":"acme"}}"#).unwrap();
}
