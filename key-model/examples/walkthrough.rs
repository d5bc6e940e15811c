//! The validation checklist of the key model, walked through with real
//! operations. Every line prints the evidence it rests on.
//!
//! Run it with `cargo run -p key-model --example walkthrough`.

use std::process::ExitCode;

use key_model::{
    Envelope, Error, KeyMetadata, KeyName, KeyOrigin, KeyRef, KeyRing, KeyState, Operation,
    TenantId, TenantScope, Timestamp, Transition,
};

/// The API record of a recorded SSH session, as a service would return it:
/// the ciphertext stays in storage, and the only key information that
/// crosses the API is the reference, in the `encryption_key_ref` field.
///
/// (Plain serde for now; it moves to the boundary derives once they land.)
#[derive(serde::Serialize)]
struct SessionRecordingResponse {
    id: String,
    tenant: TenantId,
    started_at: Timestamp,
    size_bytes: usize,
    encryption_key_ref: KeyRef,
}

fn main() -> ExitCode {
    match walkthrough() {
        Ok(()) => {
            println!("\nEvery check of the walkthrough held.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("\nwalkthrough failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Fails the walkthrough with `what` unless `ok`.
fn check(ok: bool, what: &str) -> Result<(), Box<dyn std::error::Error>> {
    if ok {
        println!("  ok: {what}");
        Ok(())
    } else {
        Err(format!("check failed: {what}").into())
    }
}

fn section(title: &str) {
    println!("\n== {title}");
}

#[allow(clippy::too_many_lines)] // one straight story, read top to bottom
fn walkthrough() -> Result<(), Box<dyn std::error::Error>> {
    // ---------------------------------------------------------------------
    section("1. Key references: one canonical text, parsed strictly");
    let key_ref: KeyRef = "tenants/acme/keys/ssh-session-recording/versions/1".parse()?;
    println!("  parsed:   {key_ref}");
    println!("  debug:    {key_ref:?}");
    println!("  as JSON:  {}", serde_json::to_string(&key_ref)?);
    for bad in [
        "tenants/Acme/keys/ssh-session-recording/versions/1",
        "tenants/acme/keys/ssh-session-recording/versions/01",
        "tenants/acme/keys/ssh-session-recording/versions/1/",
        " tenants/acme/keys/ssh-session-recording/versions/1",
    ] {
        let err = bad
            .parse::<KeyRef>()
            .err()
            .ok_or("accepted a bad reference")?;
        println!("  rejected: {bad:?}\n            -> {err}");
    }

    // ---------------------------------------------------------------------
    section("2. A key version's lifecycle, decided by one pure function");
    let mut meta = KeyMetadata::new(
        key_ref.clone(),
        KeyState::Enabled,
        KeyOrigin::PlatformManaged,
        Timestamp::now(),
        false,
    );
    let at = Timestamp::now().saturating_add(std::time::Duration::from_secs(7 * 24 * 3600));
    for transition in [
        Transition::Disable,
        Transition::ScheduleDestruction { at },
        Transition::Restore,
        Transition::Enable,
        Transition::Disable,
        Transition::ScheduleDestruction { at },
        Transition::Destroy,
        Transition::Enable,
    ] {
        match meta.apply(transition) {
            Ok(()) => println!("  {transition:?} -> {:?}", meta.state()),
            Err(e) => println!("  {transition:?} refused: {e}"),
        }
    }
    for op in Operation::ALL {
        let refusal = meta
            .check(op)
            .err()
            .ok_or("a destroyed version allowed an operation")?;
        println!("  {op} on a destroyed version: {refusal}");
    }

    // ---------------------------------------------------------------------
    section("3. Create tenant keys");
    let ring = KeyRing::in_memory()?;
    // In a service, the host's authorization layer creates scopes after it
    // has checked the caller; nothing turns a reference into one.
    let acme = TenantScope::authorized_by_host("acme".parse()?);
    let recordings: KeyName = "tenants/acme/keys/ssh-session-recording".parse()?;
    let exports: KeyName = "tenants/acme/keys/audit-export".parse()?;
    for name in [&recordings, &exports] {
        let meta = ring.create_key(&acme, name)?;
        println!(
            "  created {} ({:?}, primary: {})",
            meta.key_ref(),
            meta.state(),
            meta.is_primary()
        );
    }

    // ---------------------------------------------------------------------
    section("4. Encrypt an SSH session recording");
    let recording = b"$ ssh admin@db-7\r\n$ sudo systemctl restart postgresql\r\n$ exit\r\n";
    let session_id = "sess_01HZX4";
    // The session id is the context: the envelope opens only for it.
    let sealed = ring.encrypt(&acme, &recordings, recording, session_id.as_bytes())?;
    println!("  envelope: {sealed:?}");
    println!("  stored as text: {}...", &sealed.to_string()[..48]);
    check(
        sealed.key_ref().version().get() == 1,
        "sealed under the primary, version 1",
    )?;
    let opened = ring.decrypt(&acme, &sealed, session_id.as_bytes())?;
    check(
        opened.as_bytes() == recording,
        "decrypts to the recording (in a zeroizing buffer)",
    )?;

    // ---------------------------------------------------------------------
    section("5. The API record of the session carries only `encryption_key_ref`");
    let response = SessionRecordingResponse {
        id: session_id.to_owned(),
        tenant: acme.tenant().clone(),
        started_at: Timestamp::from_unix_seconds(1_764_400_000),
        size_bytes: recording.len(),
        encryption_key_ref: sealed.key_ref().clone(),
    };
    let json = serde_json::to_string_pretty(&response)?;
    println!("{json}");
    check(
        !json.contains(&sealed.to_string()) && !json.contains("systemctl"),
        "no ciphertext, no plaintext and no key material in the record",
    )?;

    // ---------------------------------------------------------------------
    section("6. The internal key entries, as `Debug` prints them");
    println!("{ring:#?}");
    check(
        format!("{ring:?}").contains("KeyMaterial([REDACTED])"),
        "material prints as [REDACTED]; wrapped material only by length",
    )?;

    // ---------------------------------------------------------------------
    section("7. Disable the key version: encryption and decryption refused");
    let v1 = sealed.key_ref().clone();
    match ring.disable(&acme, &v1) {
        Err(e) => println!("  disable {v1} while it is the primary: {e}"),
        Ok(_) => return Err("the primary was disabled".into()),
    }
    let v2 = ring.rotate(&acme, &recordings)?;
    println!("  rotated: {} is the primary now", v2.key_ref());
    let disabled = ring.disable(&acme, &v1)?;
    println!(
        "  disabled {} -> {:?}",
        disabled.key_ref(),
        disabled.state()
    );
    let refused_encrypt = ring
        .encrypt_under(&acme, &v1, recording, session_id.as_bytes())
        .err()
        .ok_or("encrypted under a disabled version")?;
    println!("  encrypt under {v1}: {refused_encrypt}");
    let refused_decrypt = ring
        .decrypt(&acme, &sealed, session_id.as_bytes())
        .err()
        .ok_or("decrypted under a disabled version")?;
    println!("  decrypt the recording: {refused_decrypt}");
    let refused_reencrypt = ring
        .reencrypt(&acme, &sealed, session_id.as_bytes())
        .err()
        .ok_or("re-encrypted from a disabled version")?;
    println!("  re-encrypt the recording: {refused_reencrypt}");
    check(
        [&refused_encrypt, &refused_decrypt, &refused_reencrypt]
            .iter()
            .all(|e| matches!(e, Error::Refused(_))),
        "all three fail closed with the policy's refusal",
    )?;

    // ---------------------------------------------------------------------
    section("8. Re-enable, rotate, re-encrypt the recording to the new version");
    ring.enable(&acme, &v1)?;
    println!("  enabled {v1}");
    let v3 = ring.rotate(&acme, &recordings)?;
    println!("  rotated: {} is the primary now", v3.key_ref());
    let moved = ring.reencrypt(&acme, &sealed, session_id.as_bytes())?;
    println!("  re-encrypted: {moved:?}");
    check(
        moved.key_ref() == v3.key_ref(),
        "the recording is now under the new primary",
    )?;
    // The old version can now be retired without losing the recording.
    ring.disable(&acme, &v1)?;
    let reopened = ring.decrypt(&acme, &moved, session_id.as_bytes())?;
    check(
        reopened.as_bytes() == recording,
        "with version 1 disabled again, the re-encrypted recording still opens",
    )?;
    for meta in ring.versions(&acme, &recordings)? {
        println!(
            "  {}: {:?}{}",
            meta.key_ref(),
            meta.state(),
            if meta.is_primary() { " (primary)" } else { "" }
        );
    }

    // ---------------------------------------------------------------------
    section("9. A ciphertext moved to another tenant fails");
    let globex = TenantScope::authorized_by_host("globex".parse()?);
    let globex_recordings: KeyName = "tenants/globex/keys/ssh-session-recording".parse()?;
    ring.create_key(&globex, &globex_recordings)?;
    ring.rotate(&globex, &globex_recordings)?;
    ring.rotate(&globex, &globex_recordings)?;
    // globex now has version 3 too, so only the binding can refuse.
    let stolen = move_to_tenant(&moved, "globex")?;
    println!("  rewritten header names: {}", stolen.key_ref());
    let e = ring
        .decrypt(&globex, &stolen, session_id.as_bytes())
        .err()
        .ok_or("a moved ciphertext decrypted")?;
    println!("  globex decrypts the moved envelope: {e}");
    check(
        e == Error::DecryptionFailed,
        "refused: the header is authenticated",
    )?;
    let e = ring
        .decrypt(&globex, &moved, session_id.as_bytes())
        .err()
        .ok_or("another tenant's scope decrypted")?;
    let missing: KeyRef = "tenants/globex/keys/no-such-key/versions/1".parse()?;
    let e_missing = ring
        .encrypt_under(&globex, &missing, b"", b"")
        .err()
        .ok_or("a missing key encrypted")?;
    println!("  globex decrypts acme's envelope: {e}");
    println!("  globex uses a key that does not exist: {e_missing}");
    check(
        e == e_missing && e.to_string() == e_missing.to_string(),
        "another tenant's key looks exactly like a missing one",
    )?;
    let e = ring
        .decrypt(&acme, &moved, b"sess_OTHER")
        .err()
        .ok_or("opened under another context")?;
    println!("  acme decrypts with another session's context: {e}");
    Ok(())
}

/// Rewrites the tenant id in an envelope's header (layout in
/// `docs/key-model.md`), keeping everything else, as an attacker copying a
/// ciphertext between tenants would.
fn move_to_tenant(
    envelope: &Envelope,
    tenant: &str,
) -> Result<Envelope, Box<dyn std::error::Error>> {
    let bytes = envelope.as_bytes();
    let old_len = usize::from(*bytes.get(2).ok_or("short envelope")?);
    let mut out = bytes[..2].to_vec();
    out.push(u8::try_from(tenant.len())?);
    out.extend_from_slice(tenant.as_bytes());
    out.extend_from_slice(bytes.get(3 + old_len..).ok_or("short envelope")?);
    Ok(Envelope::from_bytes(&out)?)
}
