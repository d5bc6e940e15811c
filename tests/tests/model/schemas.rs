//! The schema integrations (features `schemars` and `utoipa`): a document
//! rendered with every model type, checked against the strict parser.
//! Every example parses; every input the identifier table rejects fails
//! the pattern; pattern and parser agree on generated inputs; no schema
//! names a secret type.

use key_model::{
    ErrorCode, KeyMetadata, KeyName, KeyOrigin, KeyPurpose, KeyRef, KeyState, KeyVersion, TenantId,
    Timestamp,
};
use proptest::prelude::*;
use regex::Regex;
use serde_json::Value;

use crate::identifiers::REJECTED_KEY_REFS;

/// A response a service might document: every type that has a schema.
#[derive(serde::Serialize, schemars::JsonSchema, utoipa::ToSchema)]
#[allow(dead_code)]
struct Everything {
    tenant: TenantId,
    purpose: KeyPurpose,
    version: KeyVersion,
    name: KeyName,
    key_ref: KeyRef,
    state: KeyState,
    origin: KeyOrigin,
    created_at: Timestamp,
    metadata: KeyMetadata,
    code: ErrorCode,
}

/// The schemas of the model's types, by name, from a document.
fn schemas(doc: &Value, defs: &str) -> serde_json::Map<String, Value> {
    let mut node = doc;
    for part in defs.split('/') {
        node = &node[part];
    }
    node.as_object()
        .expect("the document has definitions")
        .clone()
}

fn schemars_doc() -> Value {
    serde_json::to_value(schemars::schema_for!(Everything)).unwrap()
}

fn utoipa_doc() -> Value {
    use utoipa::OpenApi;
    #[derive(OpenApi)]
    #[openapi(components(schemas(Everything)))]
    struct Api;
    serde_json::to_value(Api::openapi()).unwrap()
}

/// Each document and where its named schemas are.
fn documents() -> Vec<(&'static str, Value, &'static str)> {
    vec![
        ("schemars", schemars_doc(), "$defs"),
        ("utoipa", utoipa_doc(), "components/schemas"),
    ]
}

/// Parses `example` as `name`'s type, through serde (the strict parsers).
fn parses_as(name: &str, example: &Value) -> Result<(), String> {
    fn de<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), String> {
        serde_json::from_value::<T>(v.clone())
            .map(drop)
            .map_err(|e| e.to_string())
    }
    match name {
        "TenantId" => de::<TenantId>(example),
        "KeyPurpose" => de::<KeyPurpose>(example),
        "KeyVersion" => de::<KeyVersion>(example),
        "KeyName" => de::<KeyName>(example),
        "KeyRef" => de::<KeyRef>(example),
        "KeyState" => de::<KeyState>(example),
        "KeyOrigin" => de::<KeyOrigin>(example),
        "KeyMetadata" => de::<KeyMetadata>(example),
        "Timestamp" => de::<Timestamp>(example),
        // Only serialized: an example must be one of the codes.
        "ErrorCode" => ErrorCode::ALL
            .iter()
            .any(|c| example.as_str() == Some(c.as_str()))
            .then_some(())
            .ok_or_else(|| "not a code".to_owned()),
        other => Err(format!("unexpected schema {other}")),
    }
}

/// Every example a schema gives: OpenAPI's `example` and JSON Schema's
/// `examples`.
fn examples(schema: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = schema.get("example").cloned().into_iter().collect();
    if let Some(list) = schema.get("examples").and_then(Value::as_array) {
        out.extend(list.iter().cloned());
    }
    out
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get("$ref") {
                out.push(r.clone());
            }
            o.values().for_each(|v| collect_refs(v, out));
        }
        _ => {}
    }
}

fn pattern(schemas: &serde_json::Map<String, Value>, name: &str) -> Regex {
    let text = schemas[name]["pattern"]
        .as_str()
        .unwrap_or_else(|| panic!("{name} has a pattern"));
    assert!(
        text.starts_with('^') && text.ends_with('$'),
        "{name}: {text}"
    );
    Regex::new(text).unwrap()
}

#[test]
fn every_model_type_has_a_schema_and_every_example_parses() {
    let names = [
        "TenantId",
        "KeyPurpose",
        "KeyVersion",
        "KeyName",
        "KeyRef",
        "KeyState",
        "KeyOrigin",
        "KeyMetadata",
        "Timestamp",
        "ErrorCode",
    ];
    for (library, doc, defs) in documents() {
        let schemas = schemas(&doc, defs);
        for name in names {
            let schema = schemas
                .get(name)
                .unwrap_or_else(|| panic!("{library}: no schema {name}"));
            let examples = examples(schema);
            if name != "KeyMetadata" {
                assert!(!examples.is_empty(), "{library}: {name} has no example");
            }
            for example in examples {
                parses_as(name, &example)
                    .unwrap_or_else(|e| panic!("{library}: {name} example {example}: {e}"));
            }
        }
        // Every `$ref` names a schema the document holds.
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        assert!(!refs.is_empty(), "{library}: no $ref at all");
        for r in refs {
            let name = r.rsplit('/').next().unwrap();
            assert!(schemas.contains_key(name), "{library}: dangling {r}");
        }
        for name in ["TenantId", "KeyPurpose", "KeyName", "KeyRef"] {
            let pattern = pattern(&schemas, name);
            for example in examples(&schemas[name]) {
                assert!(
                    pattern.is_match(example.as_str().unwrap()),
                    "{library}: {name}"
                );
            }
        }
    }
}

#[test]
fn every_rejected_input_fails_the_pattern() {
    assert!(REJECTED_KEY_REFS.len() >= 25);
    for (library, doc, defs) in documents() {
        let schemas = schemas(&doc, defs);
        let key_ref = pattern(&schemas, "KeyRef");
        for &(input, ..) in REJECTED_KEY_REFS {
            assert!(
                !key_ref.is_match(input),
                "{library}: the KeyRef pattern accepts {input:?}, which the parser rejects"
            );
        }
    }
}

#[test]
fn no_schema_names_a_secret_type() {
    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            Value::Object(o) => o.iter().for_each(|(k, v)| {
                out.push(k.clone());
                strings(v, out);
            }),
            _ => {}
        }
    }
    for (library, doc, _) in documents() {
        let mut all = Vec::new();
        strings(&doc, &mut all);
        assert!(
            all.iter().any(|s| s.contains("KeyRef")),
            "{library}: scan found nothing"
        );
        for s in &all {
            for secret in [
                "KeyMaterial",
                "Plaintext",
                "Secret",
                "RootKey",
                "WrappedKey",
                "Canary",
            ] {
                assert!(!s.contains(secret), "{library}: {s:?} names {secret}");
            }
        }
    }
}

/// Strings near the grammar: slugs with the characters that matter
/// (upper case, `-`, `_`, `.`), hyphens where the DNS-label rules look
/// (first, last, positions 3 and 4), versions with leading zeros and
/// overflow.
fn near_slug() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9-]{0,66}",
        "[a-z0-9]{60,64}",
        "[a-zA-Z0-9._-]{1,8}",
        "-[a-z0-9]{0,4}",
        "[a-z0-9-]{0,6}-",
        "[a-z0-9-]{2}--[a-z0-9-]{0,4}",
        "[a-z0-9]{1,3}-{1,3}[a-z0-9]{0,3}",
    ]
}

fn near_version() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..=u64::from(u32::MAX) + 2).prop_map(|n| n.to_string()),
        "[0-9]{1,11}",
        "[+0-9a]{1,4}",
    ]
}

/// Each document's four patterns (tenant, purpose, name, reference),
/// compiled once for the property test.
static PATTERNS: std::sync::LazyLock<Vec<(&'static str, [Regex; 4])>> =
    std::sync::LazyLock::new(|| {
        documents()
            .into_iter()
            .map(|(library, doc, defs)| {
                let schemas = schemas(&doc, defs);
                let p = |name| pattern(&schemas, name);
                (
                    library,
                    [p("TenantId"), p("KeyPurpose"), p("KeyName"), p("KeyRef")],
                )
            })
            .collect()
    });

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    /// The pattern and the parser agree, both ways, on each document's
    /// patterns: what one accepts, the other does.
    #[test]
    fn patterns_are_the_parser_grammar(
        tenant in near_slug(),
        purpose in near_slug(),
        version in near_version(),
    ) {
        let name = format!("tenants/{tenant}/keys/{purpose}");
        let key_ref = format!("{name}/versions/{version}");
        for (library, [t, p, n, r]) in PATTERNS.iter() {
            prop_assert_eq!(t.is_match(&tenant), tenant.parse::<TenantId>().is_ok(), "{} {:?}", library, tenant);
            prop_assert_eq!(p.is_match(&purpose), purpose.parse::<KeyPurpose>().is_ok(), "{} {:?}", library, purpose);
            prop_assert_eq!(n.is_match(&name), name.parse::<KeyName>().is_ok(), "{} {:?}", library, name);
            prop_assert_eq!(r.is_match(&key_ref), key_ref.parse::<KeyRef>().is_ok(), "{} {:?}", library, key_ref);
        }
    }
}
