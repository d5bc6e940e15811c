// Decrypted plaintext does not coerce into a `&[u8]` field of a boundary
// type: `Plaintext` has no `Deref` or `AsRef<[u8]>`, so sending its bytes
// needs an explicit, greppable `as_bytes()`.
use key_model::{ApiDto, KeyName, KeyRing, TenantScope};

#[derive(serde::Serialize, ApiDto)]
struct RecordingResponse<'a> {
    id: u64,
    data: &'a [u8],
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ring = KeyRing::in_memory()?;
    let acme = TenantScope::authorized_by_host("acme".parse()?);
    let name: KeyName = "tenants/acme/keys/ssh-session-recording".parse()?;
    ring.create_key(&acme, &name)?;
    let sealed = ring.encrypt(&acme, &name, b"secret session", b"")?;
    let plaintext = ring.decrypt(&acme, &sealed, b"")?;
    let body = key_model::sink::api_json(&RecordingResponse { id: 1, data: &plaintext })?;
    drop(body);
    Ok(())
}
