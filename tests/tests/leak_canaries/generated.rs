//! Leak canaries over generated values: key rings driven by
//! random operation sequences, boundary DTOs filled with random text, and
//! redacting structs holding canary secrets, every output channel scanned,
//! zero leaks. 10 000 cases per run in total (see `CASES_*`; the timing is
//! in `docs/leak-canaries.md`).
//!
//! Each case draws its own canary seed, so every case checks different key
//! bytes. The generated text is arbitrary Unicode: a field that echoed a
//! secret would be caught whatever surrounds it.

// Redacted fields are, by design, never read by the derives; in real code
// the program reads them elsewhere, here nothing does.
#![allow(dead_code)]

use std::collections::BTreeMap;

use crate::support::{Outputs, capture_panic, capture_tracing, hex_lower};
use key_model::ring::MemoryKeyStore;
use key_model::sink::{AuditWriter, CsvWriter, EventEnvelope, JsonLinesWriter, api_json};
use key_model::testing::{Canary, CanaryKeys};
use key_model::{
    ApiDto, AuditDto, Envelope, EventDto, ExportDto, KeyMaterial, KeyMetadata, KeyName, KeyRef,
    KeyVersion, RedactedDebug, RedactedDisplay, RedactedSerialize, SecretFree, TenantId,
    TenantScope, Timestamp,
};
use proptest::prelude::*;
use secrecy::{SecretBox, SecretString};
use serde::Serialize;

/// Cases per run: 1 000 key rings (each up to 24 operations, every output
/// scanned, tracing and a panic included), 4 500 sets of DTOs through every
/// sink, 4 500 redacting structs: 10 000 in total. A ring case costs about
/// five times a DTO case, hence the split.
const CASES_RING: u32 = 1_000;
const CASES_DTO: u32 = 4_500;
const CASES_REDACTED: u32 = 4_500;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Shrinking a leak to its smallest input is worth the time; the
        // default of 4 096 shrink iterations is plenty.
        ..ProptestConfig::default()
    }
}

/// A valid slug: a DNS label (no `-` at either end, no `--` in positions
/// 3 and 4).
fn slug() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,19}[a-z0-9])?"
        .prop_filter("`--` in positions 3 and 4 is reserved for IDNA", |s| {
            s.get(2..4) != Some("--")
        })
}

fn tenant() -> impl Strategy<Value = TenantId> {
    slug().prop_map(|s| s.parse().expect("valid tenant"))
}

fn key_ref() -> impl Strategy<Value = KeyRef> {
    (slug(), slug(), 1..=u32::MAX).prop_map(|(t, p, v)| {
        format!("tenants/{t}/keys/{p}/versions/{v}")
            .parse()
            .expect("valid key ref")
    })
}

// ---- key rings ---------------------------------------------------------------

/// One operation on the ring. Indexes pick among the keys, versions and
/// envelopes that exist (modulo their count); `foreign` runs it under
/// another tenant's scope.
#[derive(Debug, Clone)]
enum Op {
    Encrypt {
        key: usize,
        plaintext: Vec<u8>,
        context: Vec<u8>,
        foreign: bool,
    },
    Rotate {
        key: usize,
        foreign: bool,
    },
    Lifecycle {
        key: usize,
        version: u32,
        step: u8,
    },
    Decrypt {
        envelope: usize,
        context: Option<Vec<u8>>,
        foreign: bool,
    },
    Reencrypt {
        envelope: usize,
    },
    Tamper {
        envelope: usize,
        at: usize,
        bit: u8,
    },
    ParseText(String),
    ParseBytes(Vec<u8>),
    CreateAgain {
        key: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<usize>(), prop::collection::vec(any::<u8>(), 0..80), prop::collection::vec(any::<u8>(), 0..16), prop::bool::weighted(0.1))
            .prop_map(|(key, plaintext, context, foreign)| Op::Encrypt { key, plaintext, context, foreign }),
        2 => (any::<usize>(), prop::bool::weighted(0.1)).prop_map(|(key, foreign)| Op::Rotate { key, foreign }),
        3 => (any::<usize>(), 1..6u32, 0..7u8).prop_map(|(key, version, step)| Op::Lifecycle { key, version, step }),
        3 => (any::<usize>(), prop::option::weighted(0.8, prop::collection::vec(any::<u8>(), 0..16)), prop::bool::weighted(0.1))
            .prop_map(|(envelope, context, foreign)| Op::Decrypt { envelope, context, foreign }),
        1 => any::<usize>().prop_map(|envelope| Op::Reencrypt { envelope }),
        1 => (any::<usize>(), any::<usize>(), 0..8u8).prop_map(|(envelope, at, bit)| Op::Tamper { envelope, at, bit }),
        1 => ".{0,60}".prop_map(Op::ParseText),
        1 => prop::collection::vec(any::<u8>(), 0..80).prop_map(Op::ParseBytes),
        1 => any::<usize>().prop_map(|key| Op::CreateAgain { key }),
    ]
}

/// What a ring case drives: keys (tenant, purpose), a payload canary put
/// inside every plaintext, and the operations.
#[derive(Debug, Clone)]
struct RingCase {
    seed: u64,
    keys: Vec<(String, String)>,
    ops: Vec<Op>,
}

fn ring_case() -> impl Strategy<Value = RingCase> {
    (
        any::<u64>(),
        prop::collection::vec((slug(), slug()), 1..4),
        prop::collection::vec(op(), 0..24),
    )
        .prop_map(|(seed, keys, ops)| RingCase { seed, keys, ops })
}

#[derive(Serialize, ApiDto)]
struct KeysResponse {
    tenant: TenantId,
    keys: Vec<KeyMetadata>,
}

#[derive(Serialize, EventDto)]
struct Sealed {
    encryption_key_ref: KeyRef,
    envelope: Envelope,
}

#[derive(Serialize, ExportDto)]
struct SealedRow {
    encryption_key_ref: KeyRef,
    envelope: Envelope,
    len: usize,
}

#[derive(Serialize, AuditDto)]
struct Changed {
    key: KeyRef,
    metadata: KeyMetadata,
}

/// Runs one ring case, with tracing captured, and returns every output.
#[allow(clippy::too_many_lines)] // one interpreter, one match
fn run_ring_case(case: &RingCase, canaries: &CanaryKeys, payload: &Canary) -> Outputs {
    let store = std::sync::Arc::new(key_model::testing::EditableKeyStore::new());
    let ring = key_model::testing::ring_with_canary_keys(
        std::sync::Arc::clone(&store),
        canaries.root_key(),
        canaries,
    );
    let outsider = TenantScope::authorized_by_host("zz-outsider".parse().unwrap());
    let names: Vec<(TenantScope, KeyName)> = case
        .keys
        .iter()
        .map(|(t, p)| {
            let tenant: TenantId = t.parse().unwrap();
            let name = KeyName::new(tenant.clone(), p.parse().unwrap());
            (TenantScope::authorized_by_host(tenant), name)
        })
        .collect();
    let mut out = Outputs::default();
    let mut envelopes: Vec<(Envelope, Vec<u8>)> = Vec::new();
    let mut first_error = None;
    let ((), traced) = capture_tracing(|| {
        // Span fields are repeated on every line inside the span: the
        // ring's `Debug` is logged once, as an event, at each end.
        let _case = tracing::info_span!("case", seed = case.seed).entered();
        tracing::debug!(ring = ?ring, "start");
        for (scope, name) in &names {
            match ring.create_key(scope, name) {
                Ok(meta) => {
                    tracing::info!(key = %meta.key_ref(), ?meta, "created");
                    out.debug_json("created", &meta);
                }
                Err(e) => tracing::warn!(error = %e, ?e, "create"),
            }
        }
        for op in &case.ops {
            let _op = tracing::debug_span!("op", ?op).entered();
            let result: Result<String, key_model::Error> = match op {
                Op::Encrypt {
                    key,
                    plaintext,
                    context,
                    foreign,
                } => {
                    let (scope, name) = &names[key % names.len()];
                    let scope = if *foreign { &outsider } else { scope };
                    // The payload canary inside every plaintext: the
                    // ciphertext must not show it either.
                    let mut bytes = plaintext.clone();
                    bytes.extend_from_slice(payload.bytes());
                    ring.encrypt(scope, name, &bytes, context).map(|e| {
                        out.push("envelope bytes", e.as_bytes());
                        let text = e.to_string();
                        tracing::info!(envelope = %text, debug = ?e, "sealed");
                        envelopes.push((e, context.clone()));
                        text
                    })
                }
                Op::Rotate { key, foreign } => {
                    let (scope, name) = &names[key % names.len()];
                    let scope = if *foreign { &outsider } else { scope };
                    ring.rotate(scope, name).map(|m| format!("{m:?}"))
                }
                Op::Lifecycle { key, version, step } => {
                    let (scope, name) = &names[key % names.len()];
                    let r = name.at_version(KeyVersion::new(*version).unwrap());
                    let at = Timestamp::from_unix_seconds(1_900_000_000);
                    let json = |m: KeyMetadata| serde_json::to_string(&m).unwrap();
                    match step {
                        0 => ring.disable(scope, &r).map(json),
                        1 => ring.enable(scope, &r).map(json),
                        2 => ring.schedule_destruction(scope, &r, at).map(json),
                        3 => ring.restore(scope, &r).map(json),
                        4 => ring.destroy(scope, &r).map(json),
                        5 => ring.set_primary(scope, &r).map(json),
                        _ => ring.encrypt_under(scope, &r, b"x", b"").map(|e| {
                            let text = format!("{e} {e:?}");
                            envelopes.push((e, Vec::new()));
                            text
                        }),
                    }
                }
                Op::Decrypt {
                    envelope,
                    context,
                    foreign,
                } => {
                    if envelopes.is_empty() {
                        continue;
                    }
                    let (e, sealed_with) = &envelopes[envelope % envelopes.len()];
                    let context = context.as_ref().unwrap_or(sealed_with);
                    let scope = if *foreign {
                        outsider.clone()
                    } else {
                        TenantScope::authorized_by_host(e.key_ref().tenant().clone())
                    };
                    ring.decrypt(&scope, e, context).map(|p| format!("{p:?}"))
                }
                Op::Reencrypt { envelope } => {
                    if envelopes.is_empty() {
                        continue;
                    }
                    let (e, context) = envelopes[envelope % envelopes.len()].clone();
                    let scope = TenantScope::authorized_by_host(e.key_ref().tenant().clone());
                    ring.reencrypt(&scope, &e, &context).map(|moved| {
                        let text = format!("{moved} {moved:?}");
                        envelopes.push((moved, context));
                        text
                    })
                }
                Op::Tamper { envelope, at, bit } => {
                    if envelopes.is_empty() {
                        continue;
                    }
                    let (e, context) = &envelopes[envelope % envelopes.len()];
                    let mut bytes = e.as_bytes().to_vec();
                    let i = at % bytes.len();
                    bytes[i] ^= 1 << bit;
                    match Envelope::from_bytes(&bytes) {
                        Ok(t) => {
                            let scope =
                                TenantScope::authorized_by_host(t.key_ref().tenant().clone());
                            ring.decrypt(&scope, &t, context).map(|p| format!("{p:?}"))
                        }
                        Err(e) => Err(e.into()),
                    }
                }
                Op::ParseText(text) => text
                    .parse::<Envelope>()
                    .map(|e| format!("{e:?}"))
                    .map_err(Into::into),
                Op::ParseBytes(bytes) => Envelope::from_bytes(bytes)
                    .map(|e| format!("{e:?}"))
                    .map_err(Into::into),
                Op::CreateAgain { key } => {
                    let (scope, name) = &names[key % names.len()];
                    ring.create_key(scope, name).map(|m| format!("{m:?}"))
                }
            };
            match result {
                Ok(text) => {
                    tracing::debug!(%text, "ok");
                    out.push("result", text);
                }
                Err(e) => {
                    tracing::warn!(error = %e, debug = ?e, "failed");
                    out.debug_display("error", &e);
                    first_error.get_or_insert(e);
                }
            }
        }
        tracing::debug!(ring = ?ring, store = ?store, "end");
    });
    out.push("tracing", traced);
    out.debug("KeyRing", &ring);
    // A failed operation, unwrapped: its panic message.
    if let Some(e) = first_error {
        let message = capture_panic(|| std::hint::black_box(Err::<(), _>(e)).unwrap())
            .expect("unwrapping an error panics");
        out.push("panic", message);
    }
    // The store: records and wrapped material.
    for (scope, name) in &names {
        if let Some((record, _)) = store.record(name).unwrap() {
            out.debug_json("StoredKey", &record);
            for v in record.versions() {
                if let Some(w) = v.wrapped() {
                    out.push("wrapped", w.as_bytes());
                }
            }
        }
        let keys = ring.list(scope).unwrap();
        out.push(
            "api",
            api_json(&KeysResponse {
                tenant: scope.tenant().clone(),
                keys: keys.clone(),
            })
            .unwrap(),
        );
        let mut audit = AuditWriter::new(Vec::new());
        for meta in keys {
            audit
                .write(
                    scope.tenant(),
                    Timestamp::from_unix_seconds(1_764_000_000),
                    &Changed {
                        key: meta.key_ref().clone(),
                        metadata: meta,
                    },
                )
                .unwrap();
        }
        out.push("audit", audit.into_inner().unwrap());
    }
    // Envelopes through the event and export sinks.
    let mut lines = JsonLinesWriter::new(Vec::new());
    let mut csv = CsvWriter::new(Vec::new());
    for (e, _) in &envelopes {
        out.push(
            "event",
            key_model::sink::event_json(
                e.key_ref().tenant(),
                "data.sealed",
                &Sealed {
                    encryption_key_ref: e.key_ref().clone(),
                    envelope: e.clone(),
                },
            )
            .unwrap(),
        );
        let row = SealedRow {
            encryption_key_ref: e.key_ref().clone(),
            envelope: e.clone(),
            len: e.plaintext_len(),
        };
        lines.write(&row).unwrap();
        csv.write(&row).unwrap();
    }
    out.push("JSON Lines", lines.into_inner().unwrap());
    out.push("CSV", csv.into_inner().unwrap());
    out
}

proptest! {
    #![proptest_config(config(CASES_RING))]

    /// Random keys, rotations, lifecycle steps, encryptions, decryptions,
    /// tampering and garbage envelopes on a canary ring: no output of any
    /// channel shows the root key, a generated key, or the plaintext.
    #[test]
    fn generated_rings_leak_nothing(case in ring_case()) {
        let canaries = CanaryKeys::new(case.seed);
        let payload = Canary::new(!case.seed);
        let out = run_ring_case(&case, &canaries, &payload);
        prop_assert!(!canaries.issued().is_empty());
        if let Some(leak) = out.find_leak(&canaries, &[payload]) {
            prop_assert!(false, "{}", leak);
        }
    }
}

// ---- DTOs ----------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, SecretFree)]
struct Actor {
    name: String,
    roles: Vec<String>,
}

#[derive(Debug, Clone, Serialize, SecretFree)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Detail {
    None,
    Text { text: String },
    Count { n: u64 },
}

#[derive(Debug, Clone, Serialize, ApiDto)]
#[serde(rename_all = "camelCase")]
struct Response {
    id: String,
    tenant: TenantId,
    encryption_key_ref: KeyRef,
    previous: Option<KeyRef>,
    labels: BTreeMap<String, String>,
    actor: Actor,
    detail: Detail,
    size: u64,
    ok: bool,
}

#[derive(Debug, Clone, Serialize, EventDto)]
struct Happened {
    encryption_key_ref: KeyRef,
    actor: Actor,
    detail: Detail,
}

/// Flat, for CSV.
#[derive(Debug, Clone, Serialize, ExportDto)]
struct Row {
    id: String,
    encryption_key_ref: KeyRef,
    note: Option<String>,
    size: u64,
    ratio: f64,
}

#[derive(Debug, Clone, Serialize, AuditDto)]
struct Audited {
    actor: Actor,
    key: KeyRef,
    detail: Detail,
}

#[derive(Debug, Clone)]
struct DtoCase {
    seed: u64,
    response: Response,
    event_type: String,
    rows: Vec<Row>,
}

fn actor() -> impl Strategy<Value = Actor> {
    (".{0,24}", prop::collection::vec(".{0,12}", 0..3))
        .prop_map(|(name, roles)| Actor { name, roles })
}

fn detail() -> impl Strategy<Value = Detail> {
    prop_oneof![
        Just(Detail::None),
        ".{0,40}".prop_map(|text| Detail::Text { text }),
        any::<u64>().prop_map(|n| Detail::Count { n }),
    ]
}

fn row() -> impl Strategy<Value = Row> {
    (
        ".{0,24}",
        key_ref(),
        prop::option::of(".{0,40}"),
        any::<u64>(),
        any::<f64>(),
    )
        .prop_map(|(id, encryption_key_ref, note, size, ratio)| Row {
            id,
            encryption_key_ref,
            note,
            size,
            ratio,
        })
}

fn dto_case() -> impl Strategy<Value = DtoCase> {
    let response = (
        ".{0,24}",
        tenant(),
        key_ref(),
        prop::option::of(key_ref()),
        prop::collection::btree_map(".{0,8}", ".{0,16}", 0..3),
        actor(),
        detail(),
        any::<u64>(),
        any::<bool>(),
    )
        .prop_map(
            |(id, tenant, encryption_key_ref, previous, labels, actor, detail, size, ok)| {
                Response {
                    id,
                    tenant,
                    encryption_key_ref,
                    previous,
                    labels,
                    actor,
                    detail,
                    size,
                    ok,
                }
            },
        );
    (
        any::<u64>(),
        response,
        "[a-z][a-z0-9._-]{0,30}",
        prop::collection::vec(row(), 1..4),
    )
        .prop_map(|(seed, response, event_type, rows)| DtoCase {
            seed,
            response,
            event_type,
            rows,
        })
}

proptest! {
    #![proptest_config(config(CASES_DTO))]

    /// Random DTOs of every boundary kind through every sink and `Debug`,
    /// next to a canary ring's material: nothing of it in any output.
    #[test]
    fn generated_dtos_leak_nothing(case in dto_case()) {
        let canaries = CanaryKeys::new(case.seed);
        let ring = key_model::testing::ring_with_canary_keys(MemoryKeyStore::new(), canaries.root_key(), &canaries);
        let name = case.response.encryption_key_ref.name();
        let scope = TenantScope::authorized_by_host(name.tenant().clone());
        // The material the DTOs name exists, and is a canary.
        ring.create_key(&scope, &name).unwrap();
        let mut out = Outputs::default();
        let r = &case.response;
        out.push("api", api_json(r).unwrap());
        out.debug("Response", r);
        let event = Happened {
            encryption_key_ref: r.encryption_key_ref.clone(),
            actor: r.actor.clone(),
            detail: r.detail.clone(),
        };
        let envelope = EventEnvelope::new(&r.tenant, &case.event_type, &event).unwrap();
        out.push("event", envelope.to_json().unwrap());
        out.debug("EventEnvelope", &envelope);
        let mut lines = JsonLinesWriter::new(Vec::new());
        let mut csv = CsvWriter::new(Vec::new());
        for row in &case.rows {
            lines.write(row).unwrap();
            csv.write(row).unwrap();
        }
        out.push("JSON Lines", lines.into_inner().unwrap());
        out.push("CSV", csv.into_inner().unwrap());
        let mut audit = AuditWriter::new(Vec::new());
        audit
            .write(
                &r.tenant,
                Timestamp::from_unix_seconds(1_764_000_000),
                &Audited {
                    actor: r.actor.clone(),
                    key: r.encryption_key_ref.clone(),
                    detail: r.detail.clone(),
                },
            )
            .unwrap();
        out.push("audit", audit.into_inner().unwrap());
        out.debug("KeyRing", &ring);
        if let Some(leak) = out.find_leak(&canaries, &[]) {
            prop_assert!(false, "{}", leak);
        }
    }
}

// ---- redacting structs -----------------------------------------------------------

/// A service's internal record of a session: key material, a secret in
/// secrecy's box, an API token as a `SecretString`, next to data that may
/// be printed.
#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("session {id} of {tenant} under {key_ref} ({size} bytes)")]
struct SessionSecrets {
    id: String,
    tenant: TenantId,
    key_ref: KeyRef,
    size: u64,
    labels: Vec<String>,
    #[redact]
    material: KeyMaterial,
    #[redact]
    boxed: SecretBox<[u8; 32]>,
    #[redact]
    token: SecretString,
    #[redact(skip)]
    raw: Vec<u8>,
}

#[derive(RedactedDebug, RedactedSerialize)]
enum Credential {
    None,
    Key(#[redact] KeyMaterial),
    Token {
        user: String,
        #[redact]
        token: SecretString,
    },
    Pair(u32, #[redact] SecretBox<[u8; 32]>),
}

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("{0}: {1}")]
struct Labelled(String, String, #[redact] Credential);

#[derive(Debug, Clone)]
struct RedactedCase {
    seed: u64,
    id: String,
    tenant: TenantId,
    key_ref: KeyRef,
    size: u64,
    labels: Vec<String>,
    variant: u8,
    user: String,
}

fn redacted_case() -> impl Strategy<Value = RedactedCase> {
    (
        any::<u64>(),
        ".{0,32}",
        tenant(),
        key_ref(),
        any::<u64>(),
        prop::collection::vec(".{0,12}", 0..4),
        0..4u8,
        ".{0,16}",
    )
        .prop_map(
            |(seed, id, tenant, key_ref, size, labels, variant, user)| RedactedCase {
                seed,
                id,
                tenant,
                key_ref,
                size,
                labels,
                variant,
                user,
            },
        )
}

proptest! {
    #![proptest_config(config(CASES_REDACTED))]

    /// Redacting structs and enums holding canary secrets (as
    /// `KeyMaterial`, in a `SecretBox`, as a hex `SecretString`) around
    /// random data: `{:?}`, `{:#?}`, `Display` and JSON show none of them.
    #[test]
    fn generated_redacted_structs_leak_nothing(case in redacted_case()) {
        let secrets = [
            Canary::new(case.seed),
            Canary::new(case.seed ^ 1),
            Canary::new(case.seed ^ 2),
        ];
        let record = SessionSecrets {
            id: case.id.clone(),
            tenant: case.tenant.clone(),
            key_ref: case.key_ref.clone(),
            size: case.size,
            labels: case.labels.clone(),
            material: secrets[0].key_material(),
            boxed: SecretBox::new(Box::new(*secrets[1].bytes())),
            token: SecretString::from(hex_lower(secrets[2].bytes())),
            raw: case.id.as_bytes().to_vec(),
        };
        let credential = match case.variant {
            0 => Credential::None,
            1 => Credential::Key(secrets[0].key_material()),
            2 => Credential::Token {
                user: case.user.clone(),
                token: SecretString::from(hex_lower(secrets[2].bytes())),
            },
            _ => Credential::Pair(7, SecretBox::new(Box::new(*secrets[1].bytes()))),
        };
        let labelled = Labelled(case.id.clone(), case.user.clone(), credential);
        let mut out = Outputs::default();
        out.debug_display("SessionSecrets", &record);
        out.json("SessionSecrets", &record);
        out.debug_display("Labelled", &labelled);
        out.json("Labelled", &labelled);
        let ((), traced) = capture_tracing(|| {
            tracing::info!(record = ?record, shown = %record, "session");
            let _span = tracing::info_span!("labelled", value = %labelled, debug = ?labelled).entered();
            tracing::debug!("inside");
        });
        out.push("tracing", traced);
        // The redacted text names what it hides; the secrets are not in it.
        let debug = format!("{record:?}");
        prop_assert!(debug.contains("[REDACTED]"));
        for (label, output) in out.iter() {
            for canary in &secrets {
                if let Some(leak) = canary.find_leak(output) {
                    prop_assert!(false, "{}: {}", label, leak);
                }
            }
        }
    }
}

/// The generated channels would show a leak: the same outputs with a
/// deliberate leak in a random field are caught.
#[test]
fn generated_channels_would_show_a_leak() {
    let canary = Canary::new(99);
    // A DTO whose text carries the key, as hand-written code could do.
    let mut labels = BTreeMap::new();
    labels.insert("k".to_owned(), hex_lower(canary.bytes()));
    let response = Response {
        id: "s".to_owned(),
        tenant: "acme".parse().unwrap(),
        encryption_key_ref: "tenants/acme/keys/a/versions/1".parse().unwrap(),
        previous: None,
        labels,
        actor: Actor {
            name: String::new(),
            roles: Vec::new(),
        },
        detail: Detail::None,
        size: 0,
        ok: true,
    };
    assert!(canary.find_leak(api_json(&response).unwrap()).is_some());
    assert!(canary.find_leak(format!("{response:#?}")).is_some());
    // A redacting struct's unredacted field holding the key's bytes.
    let record = SessionSecrets {
        id: String::new(),
        tenant: "acme".parse().unwrap(),
        key_ref: "tenants/acme/keys/a/versions/1".parse().unwrap(),
        size: 0,
        labels: vec![hex_lower(canary.bytes())],
        material: canary.key_material(),
        boxed: SecretBox::new(Box::new([0; 32])),
        token: SecretString::from(String::new()),
        raw: Vec::new(),
    };
    assert!(canary.find_leak(format!("{record:?}")).is_some());
    assert!(
        canary
            .find_leak(serde_json::to_vec(&record).unwrap())
            .is_some()
    );
    // A ring case whose plaintext were the payload canary, logged.
    let payload = Canary::new(98);
    let ((), traced) = capture_tracing(|| tracing::info!(plaintext = ?payload.bytes(), "oops"));
    assert!(payload.find_leak(traced).is_some());
}
