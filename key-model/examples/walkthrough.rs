//! The validation checklist of the key model, walked through with real
//! operations. Every `ok:` line is a check that ran and held: the
//! walkthrough stops with an error the moment one fails. Other lines show
//! what the checks looked at.
//!
//! Run it with `cargo run -p key-model --features store-sqlite --example walkthrough`.
//!
//! The story is [`run`], over any key ring and any writer. `main` runs it
//! through [`run_across_restart`] on the embedded default, a
//! `SqliteKeyStore` and a `FileRootKey` in a temporary directory (removed
//! at the end): after the story it closes the ring, opens it again from the
//! files, and decrypts what it encrypted before. The leak-canary suite
//! (`tests/tests/leak_canaries/ring.rs`) compiles this same file as a module
//! and gives it a ring of canary keys and a buffer, to scan the whole
//! output for key material. `tests/tests/docs/walkthrough_checks.rs` shows that
//! each check below fails on the output it exists to catch.
#![forbid(unsafe_code)]

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use key_model::ring::{FileRootKey, SqliteKeyStore};
use key_model::sink::api_json;
use key_model::{
    ApiDto, Envelope, Error, KeyMetadata, KeyName, KeyOrigin, KeyRef, KeyRing, KeyState, Operation,
    SecretFree, TenantId, TenantScope, Timestamp, Transition,
};

/// Where a recording is in its life.
#[derive(serde::Serialize, SecretFree)]
#[serde(rename_all = "snake_case")]
pub enum RecordingStatus {
    /// Still being written.
    Recording,
    /// Finished and encrypted.
    Sealed,
    /// Deleted under the retention policy; the record stays.
    Purged,
}

/// The API record of a recorded SSH session, the one shape the README, this
/// walkthrough, the UI pass case and the reference service use
/// (`docs/vn-12.md`, The SSH session record). The ciphertext stays in
/// storage; the only key information that crosses the API is the
/// reference, in `encryption_key_ref`.
#[derive(serde::Serialize, ApiDto)]
pub struct SshSessionRecord {
    /// The session's id, also the encryption context of its recording.
    pub session_id: String,
    /// The tenant that owns the session.
    pub tenant: TenantId,
    /// Where the recording is in its life.
    pub status: RecordingStatus,
    /// When the session started (JSON: seconds since the Unix epoch).
    pub started_at: Timestamp,
    /// The recording's length in bytes.
    pub bytes: u64,
    /// Which key version encrypted the recording, never the key.
    pub encryption_key_ref: KeyRef,
}

/// The JSON fields of [`SshSessionRecord`], in order.
pub const RECORD_FIELDS: [&str; 6] = [
    "session_id",
    "tenant",
    "status",
    "started_at",
    "bytes",
    "encryption_key_ref",
];

/// What the host's authentication established about a caller (a verified
/// session or token), never what a request claims. The walkthrough has no
/// authentication layer, so it states one caller as already verified.
struct AuthenticatedCaller {
    tenant: TenantId,
    may_use_keys: bool,
}

/// The host's authorization decision: the one place a scope is made.
/// `authorized_by_host` checks nothing itself; this function is what an
/// auditor reads at each call site the audit command lists.
fn authorize(caller: &AuthenticatedCaller) -> Option<TenantScope> {
    caller
        .may_use_keys
        .then(|| TenantScope::authorized_by_host(caller.tenant.clone()))
}

/// The ring of the README: keys in a SQLite file, wrapped by a root key in
/// a file of its own.
fn open_ring(dir: &Path) -> Result<KeyRing, Box<dyn std::error::Error>> {
    Ok(KeyRing::new(
        SqliteKeyStore::open(dir.join("keys.sqlite3"))?,
        FileRootKey::open_or_create(dir.join("root.key"))?,
    ))
}

fn main() -> ExitCode {
    let dir = std::env::temp_dir().join(format!("key-model-walkthrough-{}", std::process::id()));
    let result = std::fs::create_dir_all(&dir)
        .map_err(Into::into)
        .and_then(|()| run_across_restart(&|| open_ring(&dir), &mut io::stdout().lock()));
    // The keys were the walkthrough's own: nothing to keep.
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nwalkthrough failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Fails the walkthrough with `what` and the reason unless `checked` is `Ok`.
fn check_with(
    out: &mut dyn Write,
    checked: Result<(), String>,
    what: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    match checked {
        Ok(()) => check(out, true, what),
        Err(why) => Err(format!("check failed: {what}: {why}").into()),
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

/// `t` in RFC 3339, UTC (`2025-11-29T07:06:40Z`). Local to the example
/// until `Timestamp`'s own `Display` prints RFC 3339 (issue 12).
pub fn rfc3339(t: Timestamp) -> String {
    let secs = t.unix_seconds();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (H. Hinnant's `civil_from_days`),
    // in unsigned arithmetic: the epoch is the earliest `Timestamp`.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A state as a person reads it: its stored name, and the time of a
/// scheduled destruction.
fn state_text(state: &KeyState) -> String {
    match state {
        KeyState::DestroyScheduled { at } => format!("destroy_scheduled (at {})", rfc3339(*at)),
        other => other.kind().to_string(),
    }
}

/// A transition as a person reads it.
fn transition_text(transition: Transition) -> String {
    match transition {
        Transition::Disable => "disable".into(),
        Transition::Enable => "enable".into(),
        Transition::ScheduleDestruction { at } => {
            format!("schedule destruction at {}", rfc3339(at))
        }
        Transition::Restore => "restore".into(),
        Transition::Destroy => "destroy".into(),
        Transition::MakePrimary => "make primary".into(),
        // `Transition` is non-exhaustive; a later one prints as Rust names it.
        other => format!("{other:?}"),
    }
}

/// Checks an API record's JSON: exactly the fields of [`RECORD_FIELDS`], with `key_ref` as its `encryption_key_ref`; no 16-character run of
/// the envelope's text form (the ciphertext), and none of `plaintext_lines`
/// (the decrypted recording). Returns what is wrong.
pub fn check_record(
    json: &str,
    key_ref: &KeyRef,
    envelope_text: &str,
    plaintext_lines: &[&str],
) -> Result<(), String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let object = value.as_object().ok_or("not a JSON object")?;
    // serde_json's map is sorted by key: compare the sets.
    let mut fields: Vec<&str> = object.keys().map(String::as_str).collect();
    let mut expected = RECORD_FIELDS;
    fields.sort_unstable();
    expected.sort_unstable();
    if fields != expected {
        return Err(format!("fields {fields:?}, expected {expected:?}"));
    }
    if object["encryption_key_ref"] != key_ref.to_string().as_str() {
        return Err("encryption_key_ref is not the envelope's key reference".into());
    }
    let chars: Vec<char> = envelope_text.chars().collect();
    if let Some(run) = chars
        .windows(16)
        .map(String::from_iter)
        .find(|run| json.contains(run.as_str()))
    {
        return Err(format!("holds ciphertext: {run}"));
    }
    if let Some(line) = plaintext_lines.iter().find(|l| json.contains(**l)) {
        return Err(format!("holds plaintext: {line}"));
    }
    Ok(())
}

/// Checks the key ring's `Debug` output, what a log line of the ring would
/// hold: no byte list (`[` then a digit) anywhere, and for each of the
/// `versions` key versions, its material as `KeyMaterial([REDACTED])` and
/// its wrapped copy only as `WrappedKey(N bytes)`. Returns, per version, its
/// reference and those two fragments as they appear.
pub fn check_ring_debug(
    dump: &str,
    versions: usize,
) -> Result<Vec<(String, String, String)>, String> {
    const VERSION: &str = "key_ref: KeyRef(\"";
    if let Some(at) = dump
        .as_bytes()
        .windows(2)
        .position(|w| w[0] == b'[' && w[1].is_ascii_digit())
    {
        return Err(format!("a byte list at offset {at}"));
    }
    let mut found = Vec::new();
    for part in dump.split(VERSION).skip(1) {
        let key_ref = part.split('"').next().unwrap_or_default().to_owned();
        let material = fragment(part, "material: ")
            .filter(|m| *m == "Some(KeyMaterial([REDACTED]))")
            .ok_or_else(|| format!("{key_ref}: material not redacted"))?;
        let wrapped = fragment(part, "wrapped: ")
            .filter(|w| {
                w.strip_prefix("Some(WrappedKey(")
                    .and_then(|w| w.strip_suffix(" bytes))"))
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            })
            .ok_or_else(|| format!("{key_ref}: wrapped material shown as more than a length"))?;
        found.push((key_ref, material.to_owned(), wrapped.to_owned()));
    }
    if found.len() == versions {
        Ok(found)
    } else {
        Err(format!(
            "{} versions in the dump, expected {versions}",
            found.len()
        ))
    }
}

/// The value after `label` in a one-line `Debug` output, up to the `,` or
/// `}` that closes it at its own nesting level.
fn fragment<'a>(part: &'a str, label: &str) -> Option<&'a str> {
    let rest = &part[part.find(label)? + label.len()..];
    let mut depth = 0_usize;
    for (i, c) in rest.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return Some(rest[..i].trim_end()),
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => return Some(&rest[..i]),
            _ => {}
        }
    }
    None
}

/// The whole walkthrough on `ring` (expected empty), written to `out`,
/// ending with the line that says every check held.
pub fn run(ring: &KeyRing, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    story(ring, out)?;
    writeln!(out, "\nEvery check of the walkthrough held.")?;
    Ok(())
}

/// A ring that [`run_across_restart`] opens, and opens again.
pub type OpenRing<'a> = &'a dyn Fn() -> Result<KeyRing, Box<dyn std::error::Error>>;

/// The story on the ring `open` gives, then a restart: the ring is closed,
/// `open` gives a new one over the same store and root key, and what was
/// encrypted before decrypts.
pub fn run_across_restart(
    open: OpenRing<'_>,
    out: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let ring = open()?;
    story(&ring, out)?;
    restart(ring, open, out)?;
    writeln!(out, "\nEvery check of the walkthrough held.")?;
    Ok(())
}

fn restart(
    ring: KeyRing,
    open: OpenRing<'_>,
    out: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    section(out, "10. A restart: the keys live in the store")?;
    let acme = authorize(&AuthenticatedCaller {
        tenant: "acme".parse()?,
        may_use_keys: true,
    })
    .ok_or("the caller was not authorized")?;
    let recordings: KeyName = "tenants/acme/keys/ssh-session-recording".parse()?;
    let before = ring.versions(&acme, &recordings)?;
    let sealed = ring.encrypt(&acme, &recordings, b"$ exit", b"sess_before_restart")?;
    writeln!(
        out,
        "  sealed under {} before closing the ring",
        sealed.key_ref()
    )?;
    drop(ring);
    let ring = open()?;
    let after = ring.versions(&acme, &recordings)?;
    writeln!(out, "  reopened: {} versions of {recordings}", after.len())?;
    check(
        out,
        after == before,
        "every version, its state and the primary survived the restart",
    )?;
    let opened = ring.decrypt(&acme, &sealed, b"sess_before_restart")?;
    check(
        out,
        opened.as_bytes() == b"$ exit",
        "what was encrypted before the restart decrypts after it",
    )?;
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
    writeln!(out, "  in a log: {key_ref:?}   (its Rust debug form)")?;
    writeln!(out, "  as JSON:  {}", serde_json::to_string(&key_ref)?)?;
    let mut rejected = 0;
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
        rejected += 1;
    }
    check(
        out,
        rejected == 4 && key_ref.to_string().parse::<KeyRef>()? == key_ref,
        "the four near-misses are rejected; the canonical text round-trips",
    )?;

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
        let what = transition_text(transition);
        match meta.apply(transition) {
            Ok(()) => writeln!(out, "  {what} -> {}", state_text(meta.state()))?,
            Err(e) => writeln!(out, "  {what} refused: {e}")?,
        }
    }
    let mut refused = 0;
    for &op in Operation::ALL {
        let refusal = meta
            .check(op)
            .err()
            .ok_or("a destroyed version allowed an operation")?;
        writeln!(out, "  {op} on a destroyed version: {refusal}")?;
        refused += 1;
    }
    check(
        out,
        *meta.state() == KeyState::Destroyed && refused == Operation::ALL.len(),
        "destroyed is terminal, and it refuses every operation",
    )?;

    // ---------------------------------------------------------------------
    section(out, "3. Create tenant keys")?;
    // In a service, the host's authentication layer says who the caller is
    // and its authorization layer decides, as `authorize` does here; nothing
    // turns a reference, a name or a tenant id from a request into a scope.
    let caller = AuthenticatedCaller {
        tenant: "acme".parse()?,
        may_use_keys: true,
    };
    let acme = authorize(&caller).ok_or("the caller was not authorized")?;
    writeln!(
        out,
        "  scope for tenant {}, from the host's authorization of the caller",
        acme.tenant()
    )?;
    let recordings: KeyName = "tenants/acme/keys/ssh-session-recording".parse()?;
    let exports: KeyName = "tenants/acme/keys/audit-export".parse()?;
    let mut primaries = Vec::new();
    for name in [&recordings, &exports] {
        let meta = ring.create_key(&acme, name)?;
        writeln!(
            out,
            "  created {} ({}, primary: {})",
            meta.key_ref(),
            state_text(meta.state()),
            meta.is_primary()
        )?;
        primaries.push(meta);
    }
    check(
        out,
        primaries
            .iter()
            .all(|m| m.is_primary() && *m.state() == KeyState::Enabled),
        "each new key starts with one enabled primary version",
    )?;

    // ---------------------------------------------------------------------
    section(out, "4. Encrypt an SSH session recording")?;
    let recording = b"$ ssh admin@db-7\r\n$ sudo systemctl restart postgresql\r\n$ exit\r\n";
    let session_id = "sess_01HZX4";
    // The session id is the context: the envelope opens only for it.
    let sealed = ring.encrypt(&acme, &recordings, recording, session_id.as_bytes())?;
    writeln!(
        out,
        "  envelope: {} bytes, header names {}",
        sealed.as_bytes().len(),
        sealed.key_ref()
    )?;
    writeln!(out, "  stored as text: {}...", &sealed.to_string()[..48])?;
    check(
        out,
        sealed.key_ref() == primaries[0].key_ref(),
        "sealed under the primary version of the recordings key",
    )?;
    let opened = ring.decrypt(&acme, &sealed, session_id.as_bytes())?;
    check(
        out,
        opened.as_bytes() == recording,
        "decrypts to the recording",
    )?;

    // ---------------------------------------------------------------------
    section(
        out,
        "5. The API record of the session carries only `encryption_key_ref`",
    )?;
    let started_at = Timestamp::from_unix_seconds(1_764_400_000);
    let record = SshSessionRecord {
        session_id: session_id.to_owned(),
        tenant: acme.tenant().clone(),
        status: RecordingStatus::Sealed,
        started_at,
        bytes: u64::try_from(recording.len())?,
        encryption_key_ref: sealed.key_ref().clone(),
    };
    // Through the API sink, which takes only an `ApiDto`: a record type with
    // a field that could hold key material would not have compiled.
    let json = String::from_utf8(api_json(&record)?)?;
    writeln!(out, "  {json}")?;
    writeln!(
        out,
        "  (started_at {} is {})",
        started_at.unix_seconds(),
        rfc3339(started_at)
    )?;
    let recording_text = std::str::from_utf8(recording)?;
    let lines: Vec<&str> = recording_text.lines().map(str::trim_end).collect();
    check_with(
        out,
        check_record(&json, sealed.key_ref(), &sealed.to_string(), &lines),
        "exactly the six record fields; no ciphertext and no line of the plaintext",
    )?;
    writeln!(
        out,
        "  key material: no field can hold it, or the record type would not compile"
    )?;

    // ---------------------------------------------------------------------
    section(out, "6. The key ring in a log line: material redacted")?;
    let versions: usize = [&recordings, &exports]
        .iter()
        .map(|name| ring.versions(&acme, name).map(|v| v.len()))
        .sum::<Result<_, _>>()?;
    let dump = format!("{ring:?}");
    let parts = check_ring_debug(&dump, versions)
        .map_err(|why| format!("check failed: the ring's debug output: {why}"))?;
    writeln!(
        out,
        "  `{{ring:?}}` is {} characters; per key version it holds:",
        dump.len()
    )?;
    for (key_ref, material, wrapped) in &parts {
        writeln!(
            out,
            "  {key_ref}\n      material: {material}\n      wrapped:  {wrapped}"
        )?;
    }
    check(
        out,
        parts.len() == versions,
        "every version's material prints as [REDACTED], its wrapped copy only as a length; no byte list anywhere",
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
        "  disabled {} -> {}",
        disabled.key_ref(),
        state_text(disabled.state())
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
    writeln!(
        out,
        "  re-encrypted: the header now names {}",
        moved.key_ref()
    )?;
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
            "  {}: {}{}",
            meta.key_ref(),
            state_text(meta.state()),
            if meta.is_primary() { " (primary)" } else { "" }
        )?;
    }

    // ---------------------------------------------------------------------
    section(out, "9. A ciphertext moved to another tenant fails")?;
    let globex = authorize(&AuthenticatedCaller {
        tenant: "globex".parse()?,
        may_use_keys: true,
    })
    .ok_or("the caller was not authorized")?;
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
    check(
        out,
        e == Error::DecryptionFailed,
        "refused: the context is bound",
    )?;
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
