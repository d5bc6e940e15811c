// Normal use of the identifier types: parse, build, print, serialize.
use key_model::{KeyName, KeyPurpose, KeyRef, KeyVersion, TenantId};

fn main() {
    let tenant: TenantId = "acme".parse().unwrap();
    let purpose: KeyPurpose = "ssh-session-recording".parse().unwrap();
    let name = KeyName::new(tenant.clone(), purpose.clone());
    let key_ref = name.at_version(KeyVersion::FIRST);
    assert_eq!(key_ref, KeyRef::new(tenant, purpose, KeyVersion::new(1).unwrap()));
    assert_eq!(
        key_ref.to_string(),
        "tenants/acme/keys/ssh-session-recording/versions/1"
    );
    let json = serde_json::to_string(&key_ref).unwrap();
    let back: KeyRef = serde_json::from_str(&json).unwrap();
    assert_eq!(back, key_ref);
    let tenants: std::collections::BTreeSet<TenantId> =
        ["b", "a"].iter().map(|s| s.parse().unwrap()).collect();
    assert_eq!(tenants.len(), 2);
}
