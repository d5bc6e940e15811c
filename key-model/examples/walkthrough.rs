//! The validation checklist of the key model, walked through with real
//! operations. Every line prints the evidence it rests on.
//!
//! Run it with `cargo run -p key-model --example walkthrough`.
//!
//! The story is [`run`], over any key ring and any writer: `main` gives it
//! a fresh in-memory ring and standard output, and the leak-canary suite
//! (`tests/tests/leak_canaries/ring.rs`) compiles this same file as a module
//! and gives it a ring of canary keys and a buffer, to scan the whole
//! output for key material.

use std::io::{self, Write};
use std::process::ExitCode;

use key_model::sink::api_json;
use key_model::{
    ApiDto, Envelope, Error, KeyMetadata, KeyName, KeyOrigin, KeyRef, KeyRing, KeyState, Operation,
    TenantId, TenantScope, Timestamp, Transition,
};

/// The API record of a recorded SSH session, as a service would return it:
/// the ciphertext stays in storage, and the only key information that
/// crosses the API is the reference, in the `encryption_key_ref` field.
#[derive(serde::Serialize, ApiDto)]
struct SessionRecordingResponse {
    id: String,
    tenant: TenantId,
    started_at: Timestamp,
    size_bytes: usize,
    encryption_key_ref: KeyRef,
}

fn main() -> ExitCode {
    let result = KeyRing::in_memory()
        .map_err(Into::into)
        .and_then(|ring| run(&ring, &mut io::stdout().lock()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nwalkthrough failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Fails the walkthrough with `what` unless `ok`.
fn check(out: &mut dyn Write, ok: bool, what: &str) -> Result<(), Box<dyn std::error::Error>> {
    if ok {
        writeln!(out, "  ok: {what}")?;
        Ok(())
    } else {
        Err(format!("check failed: {what}").into())
    }
}

fn section(out: &mut dyn Write, title: &str) -> io::Result<()> {
    writeln!(out, "\n== {title}")
}

/// The whole walkthrough on `ring` (expected empty), written to `out`,
/// ending with the line that says every check held.
pub fn run(ring: &KeyRing, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    story(ring, out)?;
    writeln!(out, "\nEvery check of the walkthrough held.")?;
    Ok(())
}

#[allow(clippy::too_many_lines)] // one straight story, read top to bottom
fn story(ring: &KeyRing, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    // ---------------------------------------------------------------------
    section(
        out,
        "1. Key references: one canonical text, parsed strictly",
    )?;
    let key_ref: KeyRef = "tenants/acme/keys/ssh-session-recording/versions/1".parse()?;
    writeln!(out, "  parsed:   {key_ref}")?;
    writeln!(out, "  debug:    {key_ref:?}")?;
    writeln!(out, "  as JSON:  {}", serde_json::to_string(&key_ref)?)?;
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
        writeln!(out, "  rejected: {bad:?}\n            -> {err}")?;
    }

    // ---------------------------------------------------------------------
    section(
        out,
        "2. A key version's lifecycle, decided by one pure function",
    )?;
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
            Ok(()) => writeln!(out, "  {transition:?} -> {:?}", meta.state())?,
            Err(e) => writeln!(out, "  {transition:?} refused: {e}")?,
        }
    }
    for op in Operation::ALL {
        let refusal = meta
            .check(op)
            .err()
            .ok_or("a destroyed version allowed an operation")?;
        writeln!(out, "  {op} on a destroyed version: {refusal}")?;
    }

    // ---------------------------------------------------------------------
    section(out, "3. Create tenant keys")?;
    // In a service, the host's authorization layer creates scopes after it
    // has checked the caller; nothing turns a reference into one.
    let acme = TenantScope::authorized_by_host("acme".parse()?);
    let recordings: KeyName = "tenants/acme/keys/ssh-session-recording".parse()?;
    let exports: KeyName = "tenants/acme/keys/audit-export".parse()?;
    for name in [&recordings, &exports] {
        let meta = ring.create_key(&acme, name)?;
        writeln!(
            out,
            "  created {} ({:?}, primary: {})",
            meta.key_ref(),
            meta.state(),
            meta.is_primary()
        )?;
    }

    // ---------------------------------------------------------------------
    section(out, "4. Encrypt an SSH session recording")?;
    let recording = b"$ ssh admin@db-7\r\n$ sudo systemctl restart postgresql\r\n$ exit\r\n";
    let session_id = "sess_01HZX4";
    // The session id is the context: the envelope opens only for it.
    let sealed = ring.encrypt(&acme, &recordings, recording, session_id.as_bytes())?;
    writeln!(out, "  envelope: {sealed:?}")?;
    writeln!(out, "  stored as text: {}...", &sealed.to_string()[..48])?;
    check(
        out,
        sealed.key_ref().version().get() == 1,
        "sealed under the primary, version 1",
    )?;
    let opened = ring.decrypt(&acme, &sealed, session_id.as_bytes())?;
    check(
        out,
        opened.as_bytes() == recording,
        "decrypts to the recording (in a zeroizing buffer)",
    )?;

    // ---------------------------------------------------------------------
    section(
        out,
        "5. The API record of the session carries only `encryption_key_ref`",
    )?;
    let response = SessionRecordingResponse {
        id: session_id.to_owned(),
        tenant: acme.tenant().clone(),
        started_at: Timestamp::from_unix_seconds(1_764_400_000),
        size_bytes: recording.len(),
        encryption_key_ref: sealed.key_ref().clone(),
    };
    // Through the API sink, which takes only an `ApiDto`: a response type
    // with a secret field would not have compiled.
    let json = String::from_utf8(api_json(&response)?)?;
    writeln!(out, "  {json}")?;
    check(
        out,
        !json.contains(&sealed.to_string()) && !json.contains("systemctl"),
        "no ciphertext, no plaintext and no key material in the record",
    )?;

    // ---------------------------------------------------------------------
    section(out, "6. The internal key entries, as `Debug` prints them")?;
    writeln!(out, "{ring:#?}")?;
    check(
        out,
        format!("{ring:?}").contains("KeyMaterial([REDACTED])"),
        "material prints as [REDACTED]; wrapped material only by length",
    )?;

    // ---------------------------------------------------------------------
    section(
        out,
        "7. Disable the key version: encryption and decryption refused",
    )?;
    let v1 = sealed.key_ref().clone();
    match ring.disable(&acme, &v1) {
        Err(e) => writeln!(out, "  disable {v1} while it is the primary: {e}")?,
        Ok(_) => return Err("the primary was disabled".into()),
    }
    let v2 = ring.rotate(&acme, &recordings)?;
    writeln!(out, "  rotated: {} is the primary now", v2.key_ref())?;
    let disabled = ring.disable(&acme, &v1)?;
    writeln!(
        out,
        "  disabled {} -> {:?}",
        disabled.key_ref(),
        disabled.state()
    )?;
    let refused_encrypt = ring
        .encrypt_under(&acme, &v1, recording, session_id.as_bytes())
        .err()
        .ok_or("encrypted under a disabled version")?;
    writeln!(out, "  encrypt under {v1}: {refused_encrypt}")?;
    let refused_decrypt = ring
        .decrypt(&acme, &sealed, session_id.as_bytes())
        .err()
        .ok_or("decrypted under a disabled version")?;
    writeln!(out, "  decrypt the recording: {refused_decrypt}")?;
    let refused_reencrypt = ring
        .reencrypt(&acme, &sealed, session_id.as_bytes())
        .err()
        .ok_or("re-encrypted from a disabled version")?;
    writeln!(out, "  re-encrypt the recording: {refused_reencrypt}")?;
    check(
        out,
        [&refused_encrypt, &refused_decrypt, &refused_reencrypt]
            .iter()
            .all(|e| matches!(e, Error::Refused(_))),
        "all three fail closed with the policy's refusal",
    )?;

    // ---------------------------------------------------------------------
    section(
        out,
        "8. Re-enable, rotate, re-encrypt the recording to the new version",
    )?;
    ring.enable(&acme, &v1)?;
    writeln!(out, "  enabled {v1}")?;
    let v3 = ring.rotate(&acme, &recordings)?;
    writeln!(out, "  rotated: {} is the primary now", v3.key_ref())?;
    let moved = ring.reencrypt(&acme, &sealed, session_id.as_bytes())?;
    writeln!(out, "  re-encrypted: {moved:?}")?;
    check(
        out,
        moved.key_ref() == v3.key_ref(),
        "the recording is now under the new primary",
    )?;
    // The old version can now be retired without losing the recording.
    ring.disable(&acme, &v1)?;
    let reopened = ring.decrypt(&acme, &moved, session_id.as_bytes())?;
    check(
        out,
        reopened.as_bytes() == recording,
        "with version 1 disabled again, the re-encrypted recording still opens",
    )?;
    for meta in ring.versions(&acme, &recordings)? {
        writeln!(
            out,
            "  {}: {:?}{}",
            meta.key_ref(),
            meta.state(),
            if meta.is_primary() { " (primary)" } else { "" }
        )?;
    }

    // ---------------------------------------------------------------------
    section(out, "9. A ciphertext moved to another tenant fails")?;
    let globex = TenantScope::authorized_by_host("globex".parse()?);
    let globex_recordings: KeyName = "tenants/globex/keys/ssh-session-recording".parse()?;
    ring.create_key(&globex, &globex_recordings)?;
    ring.rotate(&globex, &globex_recordings)?;
    ring.rotate(&globex, &globex_recordings)?;
    // globex now has version 3 too, so only the binding can refuse.
    let stolen = move_to_tenant(&moved, "globex")?;
    writeln!(out, "  rewritten header names: {}", stolen.key_ref())?;
    let e = ring
        .decrypt(&globex, &stolen, session_id.as_bytes())
        .err()
        .ok_or("a moved ciphertext decrypted")?;
    writeln!(out, "  globex decrypts the moved envelope: {e}")?;
    check(
        out,
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
    writeln!(out, "  globex decrypts acme's envelope: {e}")?;
    writeln!(out, "  globex uses a key that does not exist: {e_missing}")?;
    check(
        out,
        e == e_missing && e.to_string() == e_missing.to_string(),
        "another tenant's key looks exactly like a missing one",
    )?;
    let e = ring
        .decrypt(&acme, &moved, b"sess_OTHER")
        .err()
        .ok_or("opened under another context")?;
    writeln!(out, "  acme decrypts with another session's context: {e}")?;
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
