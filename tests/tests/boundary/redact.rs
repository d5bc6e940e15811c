//! G4: the redacting derives print and serialize exactly what std's and
//! serde's derives print for a twin type in which each redacted value is
//! replaced by `[REDACTED]`, and never format the value they hide.

// Redacted fields are, by design, never read by the derives; in real code
// the program reads them elsewhere, here nothing does.
#![allow(dead_code)]

use core::fmt;
use std::collections::BTreeMap;

use key_model::{KeyMaterial, RedactedDebug, RedactedDisplay, RedactedSerialize};
use serde::Serialize;

/// What a twin type holds where the redacting type holds a secret: its
/// `Debug` is the bare `[REDACTED]` the derives promise, its `Serialize`
/// the string `"[REDACTED]"`.
#[derive(Clone, Copy)]
struct R;

impl fmt::Debug for R {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl Serialize for R {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("[REDACTED]")
    }
}

/// A secret whose every formatting panics: if a redacted output ever
/// formatted or serialized a redacted value, the test would panic.
struct Boom;

impl fmt::Debug for Boom {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        panic!("Debug of a redacted value was called")
    }
}

impl fmt::Display for Boom {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        panic!("Display of a redacted value was called")
    }
}

impl Serialize for Boom {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        panic!("Serialize of a redacted value was called")
    }
}

/// Asserts that `actual` and `twin` print the same in `{:?}` and `{:#?}`,
/// and returns the compact form.
fn same_debug(actual: &impl fmt::Debug, twin: &impl fmt::Debug) -> String {
    assert_eq!(format!("{actual:?}"), format!("{twin:?}"));
    assert_eq!(format!("{actual:#?}"), format!("{twin:#?}"));
    format!("{actual:?}")
}

/// Asserts that `actual` and `twin` serialize to the same JSON, compact and
/// pretty, and returns the compact form.
fn same_json(actual: &impl Serialize, twin: &impl Serialize) -> String {
    let compact = serde_json::to_string(actual).unwrap();
    assert_eq!(compact, serde_json::to_string(twin).unwrap());
    assert_eq!(
        serde_json::to_string_pretty(actual).unwrap(),
        serde_json::to_string_pretty(twin).unwrap()
    );
    compact
}

/// The std and serde twins: same names, same shapes, `R` in place of each
/// redacted value and nothing in place of each skipped one.
mod twin {
    use serde::Serialize;

    use super::R;

    #[derive(Debug, Serialize)]
    pub(super) struct Login {
        pub(super) user: String,
        pub(super) password: R,
        pub(super) attempts: u32,
        pub(super) tags: Vec<&'static str>,
    }

    #[derive(Debug, Serialize)]
    pub(super) struct Pair(pub(super) u8, pub(super) R, pub(super) &'static str);

    #[derive(Debug, Serialize)]
    pub(super) struct Newtype(pub(super) R);

    #[derive(Debug, Serialize)]
    pub(super) struct Plain(pub(super) i64);

    #[derive(Debug)]
    pub(super) struct Tail<T: ?Sized> {
        pub(super) secret: R,
        pub(super) rest: T,
    }

    #[derive(Debug, Serialize)]
    pub(super) struct Unit;

    #[derive(Debug, Serialize)]
    pub(super) struct Empty {}

    #[derive(Debug, Serialize)]
    pub(super) struct EmptyTuple();

    #[derive(Debug, Serialize)]
    pub(super) struct Skipping {
        pub(super) kept: u8,
    }

    #[derive(Debug, Serialize)]
    pub(super) struct SkippingTuple(pub(super) u8, pub(super) bool);

    #[derive(Debug, Serialize)]
    pub(super) enum Event {
        Started,
        Token(R),
        Keyed(u32, R),
        Login { user: String, password: R },
        Pair(u8, u8),
        Nothing {},
    }

    #[derive(Debug, Serialize)]
    pub(super) struct Generic<'a, T, U>
    where
        T: Clone,
    {
        pub(super) shown: Option<T>,
        pub(super) hidden: R,
        pub(super) name: &'a str,
        pub(super) nested: Vec<Option<T>>,
        pub(super) marker: core::marker::PhantomData<U>,
    }

    #[derive(Debug, Serialize)]
    pub(super) struct Card {
        pub(super) holder: &'static str,
        pub(super) number: &'static str,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase", rename = "Renamed")]
    pub(super) struct Renamed {
        pub(super) user_name: &'static str,
        pub(super) api_token: R,
        #[serde(rename = "ID")]
        pub(super) id: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(super) maybe: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(super) maybe_secret: Option<R>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case", rename_all_fields = "SCREAMING_SNAKE_CASE")]
    pub(super) enum Command {
        DoThing,
        SetKey {
            key_id: u8,
            key_bytes: R,
        },
        #[serde(rename_all = "PascalCase")]
        Rotate {
            old_key: R,
            new_version: u32,
        },
        #[serde(rename = "sync")]
        SyncNow(u8),
        #[serde(skip)]
        Internal,
    }

    #[derive(Debug, Serialize)]
    pub(super) struct Raw {
        pub(super) r#type: u8,
        pub(super) r#match: R,
    }
}

#[derive(RedactedDebug, RedactedSerialize)]
struct Login {
    user: String,
    #[redact]
    password: Boom,
    attempts: u32,
    tags: Vec<&'static str>,
}

#[test]
fn named_struct_matches_std_and_serde() {
    let login = Login {
        user: "ada".into(),
        password: Boom,
        attempts: 3,
        tags: vec!["a", "b"],
    };
    let twin = twin::Login {
        user: "ada".into(),
        password: R,
        attempts: 3,
        tags: vec!["a", "b"],
    };
    assert_eq!(
        same_debug(&login, &twin),
        r#"Login { user: "ada", password: [REDACTED], attempts: 3, tags: ["a", "b"] }"#
    );
    assert_eq!(
        format!("{login:#?}"),
        "Login {\n    user: \"ada\",\n    password: [REDACTED],\n    attempts: 3,\n    tags: [\n        \"a\",\n        \"b\",\n    ],\n}"
    );
    assert_eq!(
        same_json(&login, &twin),
        r#"{"user":"ada","password":"[REDACTED]","attempts":3,"tags":["a","b"]}"#
    );
}

#[derive(RedactedDebug, RedactedSerialize)]
struct Pair(u8, #[redact] Boom, &'static str);

#[derive(RedactedDebug, RedactedSerialize)]
struct Newtype(#[redact] Boom);

#[derive(RedactedDebug, RedactedSerialize)]
struct Plain(i64);

#[derive(RedactedDebug, RedactedSerialize)]
struct Unit;

#[derive(RedactedDebug, RedactedSerialize)]
struct Empty {}

#[derive(RedactedDebug, RedactedSerialize)]
struct EmptyTuple();

#[test]
fn tuple_newtype_unit_and_empty_structs_match() {
    assert_eq!(
        same_debug(&Pair(7, Boom, "x"), &twin::Pair(7, R, "x")),
        r#"Pair(7, [REDACTED], "x")"#
    );
    assert_eq!(
        same_json(&Pair(7, Boom, "x"), &twin::Pair(7, R, "x")),
        r#"[7,"[REDACTED]","x"]"#
    );
    assert_eq!(
        same_debug(&Newtype(Boom), &twin::Newtype(R)),
        "Newtype([REDACTED])"
    );
    assert_eq!(
        same_json(&Newtype(Boom), &twin::Newtype(R)),
        r#""[REDACTED]""#
    );
    assert_eq!(same_debug(&Plain(-4), &twin::Plain(-4)), "Plain(-4)");
    assert_eq!(same_json(&Plain(-4), &twin::Plain(-4)), "-4");
    assert_eq!(same_debug(&Unit, &twin::Unit), "Unit");
    assert_eq!(same_json(&Unit, &twin::Unit), "null");
    assert_eq!(same_debug(&Empty {}, &twin::Empty {}), "Empty");
    assert_eq!(same_json(&Empty {}, &twin::Empty {}), "{}");
    assert_eq!(same_debug(&EmptyTuple(), &twin::EmptyTuple()), "EmptyTuple");
    assert_eq!(same_json(&EmptyTuple(), &twin::EmptyTuple()), "[]");
}

#[derive(RedactedDebug, RedactedSerialize)]
struct Skipping {
    kept: u8,
    #[redact(skip)]
    dropped: Boom,
}

#[derive(RedactedDebug, RedactedSerialize)]
struct SkippingTuple(u8, #[redact(skip)] Boom, bool);

#[test]
fn skipped_fields_are_left_out() {
    let value = Skipping {
        kept: 1,
        dropped: Boom,
    };
    let twin = twin::Skipping { kept: 1 };
    assert_eq!(same_debug(&value, &twin), "Skipping { kept: 1 }");
    assert_eq!(same_json(&value, &twin), r#"{"kept":1}"#);
    let value = SkippingTuple(1, Boom, true);
    let twin = twin::SkippingTuple(1, true);
    assert_eq!(same_debug(&value, &twin), "SkippingTuple(1, true)");
    assert_eq!(same_json(&value, &twin), "[1,true]");
}

#[derive(RedactedDebug, RedactedSerialize)]
enum Event {
    Started,
    Token(#[redact] Boom),
    Keyed(u32, #[redact] Boom),
    Login {
        user: String,
        #[redact]
        password: Boom,
    },
    Pair(u8, u8),
    Nothing {},
}

#[test]
fn enums_match_every_variant_kind() {
    let cases = [
        (
            Event::Started,
            twin::Event::Started,
            "Started",
            r#""Started""#,
        ),
        (
            Event::Token(Boom),
            twin::Event::Token(R),
            "Token([REDACTED])",
            r#"{"Token":"[REDACTED]"}"#,
        ),
        (
            Event::Keyed(9, Boom),
            twin::Event::Keyed(9, R),
            "Keyed(9, [REDACTED])",
            r#"{"Keyed":[9,"[REDACTED]"]}"#,
        ),
        (
            Event::Login {
                user: "ada".into(),
                password: Boom,
            },
            twin::Event::Login {
                user: "ada".into(),
                password: R,
            },
            r#"Login { user: "ada", password: [REDACTED] }"#,
            r#"{"Login":{"user":"ada","password":"[REDACTED]"}}"#,
        ),
        (
            Event::Pair(1, 2),
            twin::Event::Pair(1, 2),
            "Pair(1, 2)",
            r#"{"Pair":[1,2]}"#,
        ),
        (
            Event::Nothing {},
            twin::Event::Nothing {},
            "Nothing",
            r#"{"Nothing":{}}"#,
        ),
    ];
    for (value, twin, debug, json) in cases {
        assert_eq!(same_debug(&value, &twin), debug);
        assert_eq!(same_json(&value, &twin), json);
    }
}

/// `T` appears in fields written as is and gets a bound; `U` appears only
/// inside `PhantomData` and `S` only in a redacted field, so neither needs
/// `Debug` or `Serialize`.
#[derive(RedactedDebug, RedactedSerialize)]
struct Generic<'a, T, U, S>
where
    T: Clone,
{
    shown: Option<T>,
    #[redact]
    hidden: S,
    name: &'a str,
    nested: Vec<Option<T>>,
    marker: core::marker::PhantomData<U>,
}

/// Implements neither `Debug` nor `Serialize`.
struct Opaque;

#[derive(Debug, Serialize)]
struct NotSecret(u8);

#[test]
fn generics_bound_only_what_is_written() {
    fn implemented<T: fmt::Debug + Serialize>() {}
    implemented::<Generic<'static, u8, Opaque, Opaque>>();

    let value: Generic<'_, u8, NotSecret, Opaque> = Generic {
        shown: Some(1),
        hidden: Opaque,
        name: "n",
        nested: vec![None, Some(2)],
        marker: core::marker::PhantomData,
    };
    let twin: twin::Generic<'_, u8, NotSecret> = twin::Generic {
        shown: Some(1),
        hidden: R,
        name: "n",
        nested: vec![None, Some(2)],
        marker: core::marker::PhantomData,
    };
    assert_eq!(
        same_debug(&value, &twin),
        r#"Generic { shown: Some(1), hidden: [REDACTED], name: "n", nested: [None, Some(2)], marker: PhantomData<boundary::redact::NotSecret> }"#
    );
    assert_eq!(
        same_json(&value, &twin),
        r#"{"shown":1,"hidden":"[REDACTED]","name":"n","nested":[null,2],"marker":null}"#
    );
}

/// A struct's last field may be unsized: the derive passes it behind a
/// reference, as std's does (the other fields go as the bindings they are).
#[derive(RedactedDebug)]
struct Tail<T: ?Sized> {
    #[redact]
    secret: u8,
    rest: T,
}

#[test]
fn an_unsized_last_field_is_formatted() {
    let value: &Tail<[u8]> = &Tail {
        secret: 7,
        rest: [1, 2, 3],
    };
    let twin: &twin::Tail<[u8]> = &twin::Tail {
        secret: R,
        rest: [1, 2, 3],
    };
    assert_eq!(format!("{value:?}"), format!("{twin:?}"));
    assert_eq!(format!("{value:#?}"), format!("{twin:#?}"));
    assert_eq!(
        format!("{value:?}"),
        "Tail { secret: [REDACTED], rest: [1, 2, 3] }"
    );
}

/// A `with` function: shows the last four digits, never formats the rest.
fn last_four(number: &&'static str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let digits = number.len();
    f.write_str("**** ")?;
    f.write_str(&number[digits.saturating_sub(4)..])
}

#[derive(RedactedDebug, RedactedSerialize, RedactedDisplay)]
#[display("card of {holder} ending {number}")]
struct Card {
    holder: &'static str,
    #[redact(with = last_four)]
    number: &'static str,
}

/// What `with` produces is the function's text, unquoted in `Debug` (the
/// function decides), and a JSON string under `Serialize`.
#[test]
fn with_function_writes_the_field() {
    let card = Card {
        holder: "ada",
        number: "4111111111111111",
    };
    let twin = twin::Card {
        holder: "ada",
        number: "**** 1111",
    };
    assert_eq!(
        format!("{card:?}"),
        r#"Card { holder: "ada", number: **** 1111 }"#
    );
    assert_eq!(
        format!("{card:#?}"),
        "Card {\n    holder: \"ada\",\n    number: **** 1111,\n}"
    );
    assert_eq!(
        same_json(&card, &twin),
        r#"{"holder":"ada","number":"**** 1111"}"#
    );
    assert_eq!(card.to_string(), "card of ada ending **** 1111");
}

#[derive(RedactedSerialize)]
#[serde(rename_all = "camelCase", rename = "Renamed")]
struct Renamed {
    user_name: &'static str,
    #[redact]
    api_token: Boom,
    #[serde(rename = "ID")]
    id: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    maybe: Option<u8>,
    #[redact]
    #[serde(skip_serializing_if = "Option::is_none")]
    maybe_secret: Option<Boom>,
}

#[test]
fn serde_renames_and_conditional_skips_are_honoured() {
    let value = Renamed {
        user_name: "ada",
        api_token: Boom,
        id: 4,
        maybe: None,
        maybe_secret: Some(Boom),
    };
    let twin = twin::Renamed {
        user_name: "ada",
        api_token: R,
        id: 4,
        maybe: None,
        maybe_secret: Some(R),
    };
    assert_eq!(
        same_json(&value, &twin),
        r#"{"userName":"ada","apiToken":"[REDACTED]","ID":4,"maybeSecret":"[REDACTED]"}"#
    );
    let value = Renamed {
        maybe: Some(1),
        maybe_secret: None,
        ..value
    };
    let twin = twin::Renamed {
        maybe: Some(1),
        maybe_secret: None,
        ..twin
    };
    assert_eq!(
        same_json(&value, &twin),
        r#"{"userName":"ada","apiToken":"[REDACTED]","ID":4,"maybe":1}"#
    );
}

#[derive(RedactedSerialize)]
#[serde(rename_all = "kebab-case", rename_all_fields = "SCREAMING_SNAKE_CASE")]
enum Command {
    DoThing,
    SetKey {
        key_id: u8,
        #[redact]
        key_bytes: Boom,
    },
    #[serde(rename_all = "PascalCase")]
    Rotate {
        #[redact]
        old_key: Boom,
        new_version: u32,
    },
    #[serde(rename = "sync")]
    SyncNow(u8),
    #[serde(skip)]
    Internal,
}

#[test]
fn serde_enum_renames_and_skipped_variants_are_honoured() {
    let cases = [
        (Command::DoThing, twin::Command::DoThing, r#""do-thing""#),
        (
            Command::SetKey {
                key_id: 1,
                key_bytes: Boom,
            },
            twin::Command::SetKey {
                key_id: 1,
                key_bytes: R,
            },
            r#"{"set-key":{"KEY_ID":1,"KEY_BYTES":"[REDACTED]"}}"#,
        ),
        (
            Command::Rotate {
                old_key: Boom,
                new_version: 2,
            },
            twin::Command::Rotate {
                old_key: R,
                new_version: 2,
            },
            r#"{"rotate":{"OldKey":"[REDACTED]","NewVersion":2}}"#,
        ),
        (
            Command::SyncNow(3),
            twin::Command::SyncNow(3),
            r#"{"sync":3}"#,
        ),
    ];
    for (value, twin, json) in cases {
        assert_eq!(same_json(&value, &twin), json);
    }
    // serde's derive refuses a skipped variant at run time; so does this one,
    // with serde's message.
    let err = serde_json::to_string(&Command::Internal).unwrap_err();
    let twin_err = serde_json::to_string(&twin::Command::Internal).unwrap_err();
    assert_eq!(err.to_string(), twin_err.to_string());
    assert_eq!(
        err.to_string(),
        "the enum variant Command::Internal cannot be serialized"
    );
}

#[derive(RedactedDebug, RedactedSerialize)]
struct Raw {
    r#type: u8,
    #[redact]
    r#match: Boom,
}

#[test]
fn raw_identifiers_print_without_prefix() {
    let value = Raw {
        r#type: 1,
        r#match: Boom,
    };
    let twin = twin::Raw {
        r#type: 1,
        r#match: R,
    };
    assert_eq!(
        same_debug(&value, &twin),
        "Raw { type: 1, match: [REDACTED] }"
    );
    assert_eq!(
        same_json(&value, &twin),
        r#"{"type":1,"match":"[REDACTED]"}"#
    );
}

#[derive(RedactedDisplay)]
#[display("session {id} under {key_ref}")]
struct Session {
    id: u64,
    key_ref: &'static str,
    #[redact]
    #[allow(dead_code)]
    token: Boom,
}

#[derive(RedactedDisplay)]
#[display("[{0:>4}|{1:<5}|{0:04}|{2:?}|{1:^7.2}|{:#x}|{:>6}|{:?}|{0:b}|{0:o}]")]
struct Specs(u32, &'static str, Option<u8>);

#[derive(RedactedDisplay)]
#[display("{value:>width$.prec$} {value:e} {{literal}}")]
struct Counts {
    value: f64,
    width: usize,
    prec: usize,
}

#[derive(RedactedDisplay)]
#[display("{:.*}!")]
struct Star(usize, f64, #[redact] Boom);

#[derive(RedactedDisplay)]
#[display("[{0:>1$}] [{0:^1$.2}] [{1:0>1$}]")]
struct PositionalCounts(f32, usize);

#[derive(RedactedDisplay)]
#[display("{0:p}")]
struct Pointer<'a>(&'a u8);

#[derive(RedactedDisplay)]
#[display("just text")]
struct Text {
    #[redact]
    #[allow(dead_code)]
    secret: Boom,
}

#[derive(RedactedDisplay)]
enum Status {
    #[display("idle")]
    Idle,
    #[display("busy with {0} ({1:?})")]
    Busy(u8, &'static str, #[redact] Boom),
    #[display("failed: {reason}")]
    Failed {
        reason: String,
        #[redact]
        #[allow(dead_code)]
        key: KeyMaterial,
    },
}

#[test]
fn display_follows_std_format() {
    let session = Session {
        id: 42,
        key_ref: "tenants/acme/keys/k/versions/1",
        token: Boom,
    };
    assert_eq!(
        session.to_string(),
        "session 42 under tenants/acme/keys/k/versions/1"
    );
    // The twin is std's `format!` with the same string and the fields as
    // positional arguments.
    assert_eq!(
        Specs(10, "abc", Some(3)).to_string(),
        format!(
            "[{0:>4}|{1:<5}|{0:04}|{2:?}|{1:^7.2}|{:#x}|{:>6}|{:?}|{0:b}|{0:o}]",
            10,
            "abc",
            Some(3),
        )
    );
    assert_eq!(
        Specs(10, "abc", Some(3)).to_string(),
        "[  10|abc  |0010|Some(3)|  ab   |0xa|   abc|Some(3)|1010|12]"
    );
    assert_eq!(
        Counts {
            value: 1.23456,
            width: 8,
            prec: 2
        }
        .to_string(),
        "    1.23 1.23456e0 {literal}"
    );
    assert_eq!(Star(3, 2.0, Boom).to_string(), format!("{:.*}!", 3, 2.0));
    assert_eq!(Star(3, 2.0, Boom).to_string(), "2.000!");
    assert_eq!(
        PositionalCounts(1.5, 8).to_string(),
        format!("[{0:>1$}] [{0:^1$.2}] [{1:0>1$}]", 1.5f32, 8usize)
    );
    assert_eq!(
        PositionalCounts(1.5, 8).to_string(),
        "[     1.5] [  1.50  ] [00000008]"
    );
    let target = 5u8;
    assert_eq!(Pointer(&target).to_string(), format!("{:p}", &target));
    assert_eq!(Text { secret: Boom }.to_string(), "just text");
    assert_eq!(Status::Idle.to_string(), "idle");
    assert_eq!(
        Status::Busy(2, "x", Boom).to_string(),
        r#"busy with 2 ("x")"#
    );
    assert_eq!(
        Status::Failed {
            reason: "disabled".into(),
            key: KeyMaterial::generate().unwrap(),
        }
        .to_string(),
        "failed: disabled"
    );
}

/// The secret types of key-model and secrecy are redacted without ever
/// exposing their bytes; an `Option` or an alias of one is redacted whole,
/// as any other type is (nothing is detected by name).
type MaybeKey = Option<KeyMaterial>;

#[derive(RedactedDebug, RedactedSerialize)]
struct Entry {
    tenant: &'static str,
    #[redact]
    key: KeyMaterial,
    #[redact]
    backup: MaybeKey,
    #[redact]
    token: secrecy::SecretString,
    #[redact]
    bytes: secrecy::SecretSlice<u8>,
}

#[test]
fn secret_types_are_redacted() {
    let entry = Entry {
        tenant: "acme",
        key: KeyMaterial::generate().unwrap(),
        backup: None,
        token: "hunter2".into(),
        bytes: vec![1, 2, 3].into(),
    };
    assert_eq!(
        format!("{entry:?}"),
        r#"Entry { tenant: "acme", key: [REDACTED], backup: [REDACTED], token: [REDACTED], bytes: [REDACTED] }"#
    );
    assert_eq!(
        serde_json::to_string(&entry).unwrap(),
        r#"{"tenant":"acme","key":"[REDACTED]","backup":"[REDACTED]","token":"[REDACTED]","bytes":"[REDACTED]"}"#
    );
}

/// A map of redacting values still redacts each one.
#[test]
fn redacting_values_compose_in_containers() {
    let mut map = BTreeMap::new();
    map.insert("n", Pair(1, Boom, "x"));
    assert_eq!(format!("{map:?}"), r#"{"n": Pair(1, [REDACTED], "x")}"#);
    assert_eq!(
        serde_json::to_string(&map).unwrap(),
        r#"{"n":[1,"[REDACTED]","x"]}"#
    );
}

/// The example of `docs/guarantees.md` (G4), exactly as written there.
#[test]
fn documented_example() {
    use key_model::KeyRef;

    #[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
    #[display("session {id} under {encryption_key_ref}")]
    struct Session {
        id: u64,
        encryption_key_ref: KeyRef,
        #[redact]
        key: KeyMaterial,
        #[redact(skip)]
        scratch: Vec<u8>,
    }

    let session = Session {
        id: 7,
        encryption_key_ref: "tenants/acme/keys/audit-export/versions/1".parse().unwrap(),
        key: KeyMaterial::generate().unwrap(),
        scratch: vec![1, 2, 3],
    };
    assert_eq!(
        format!("{session:?}"),
        r#"Session { id: 7, encryption_key_ref: KeyRef("tenants/acme/keys/audit-export/versions/1"), key: [REDACTED] }"#
    );
    assert_eq!(
        session.to_string(),
        "session 7 under tenants/acme/keys/audit-export/versions/1"
    );
    assert_eq!(
        serde_json::to_string(&session).unwrap(),
        r#"{"id":7,"encryption_key_ref":"tenants/acme/keys/audit-export/versions/1","key":"[REDACTED]"}"#
    );
}

/// As with serde, a skipped variant's fields need no `Serialize`.
#[derive(RedactedSerialize)]
enum Job<T> {
    Done(u8),
    #[serde(skip)]
    Running(T),
}

#[test]
fn skipped_variants_need_no_bound() {
    fn serializable<T: Serialize>(_: &T) {}
    let job: Job<Opaque> = Job::Done(1);
    serializable(&job);
    assert_eq!(serde_json::to_string(&job).unwrap(), r#"{"Done":1}"#);
    let err = serde_json::to_string(&Job::Running(Opaque)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the enum variant Job::Running cannot be serialized"
    );
}

/// With real key material of known bytes in every redacted position, none
/// of the three outputs contains it, in any encoding the leak detector
/// knows (`key_model::testing`).
#[test]
fn canary_key_material_never_leaks() {
    use key_model::testing::Canary;

    #[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
    enum Slot {
        #[display("slot {tenant}")]
        Named {
            tenant: &'static str,
            #[redact]
            key: KeyMaterial,
        },
        #[display("pair {0}")]
        Pair(u8, #[redact] KeyMaterial),
        #[display("hidden")]
        Hidden(#[redact(skip)] KeyMaterial, u8),
    }

    let canaries: Vec<Canary> = (0..3).map(Canary::new).collect();
    let slots = [
        Slot::Named {
            tenant: "acme",
            key: canaries[0].key_material(),
        },
        Slot::Pair(1, canaries[1].key_material()),
        Slot::Hidden(canaries[2].key_material(), 2),
    ];
    let mut outputs = Vec::new();
    for slot in &slots {
        outputs.push(format!("{slot:?}"));
        outputs.push(format!("{slot:#?}"));
        outputs.push(slot.to_string());
        outputs.push(serde_json::to_string(slot).unwrap());
        outputs.push(serde_json::to_string_pretty(slot).unwrap());
    }
    for output in &outputs {
        key_model::testing::assert_no_leak(&canaries, output);
    }
    // The detector is not blind: the bytes as `Debug` prints them are found.
    let leaked = format!("{:?}", canaries[0].bytes());
    assert!(canaries[0].find_leak(leaked).is_some());
}

/// A type declared inside a `macro_rules!` body: its field types and the
/// `with` path carry the macro's hygiene, and the derives still compile
/// (generated code spanned at them once could not see its own locals).
macro_rules! declare_in_macro {
    ($name:ident, $newtype:ident) => {
        #[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
        #[display("{tenant} v{version} card {card}")]
        struct $name {
            tenant: &'static str,
            version: u32,
            #[redact(with = last_four)]
            card: &'static str,
            #[redact]
            key: Boom,
        }

        #[derive(RedactedSerialize)]
        struct $newtype(u32);
    };
}

declare_in_macro!(FromMacro, NewtypeFromMacro);

#[test]
fn types_declared_in_a_macro_derive() {
    let value = FromMacro {
        tenant: "acme",
        version: 3,
        card: "4111111111111111",
        key: Boom,
    };
    assert_eq!(
        format!("{value:?}"),
        r#"FromMacro { tenant: "acme", version: 3, card: **** 1111, key: [REDACTED] }"#
    );
    assert_eq!(value.to_string(), "acme v3 card **** 1111");
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        r#"{"tenant":"acme","version":3,"card":"**** 1111","key":"[REDACTED]"}"#
    );
    assert_eq!(serde_json::to_string(&NewtypeFromMacro(7)).unwrap(), "7");
}
