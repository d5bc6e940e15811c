// Names the generated code once used for itself are legal user names: a
// generic parameter `__S`, a type named `__fields`, types named
// `SecretFreeField` and `S`, fields named like lowercase types (`stat`,
// `result`). Every derive compiles on them and writes what it should.

#![allow(non_camel_case_types, dead_code)]

use key_model::{ApiDto, RedactedDebug, RedactedDisplay, RedactedSerialize};

#[derive(Debug, serde::Serialize)]
struct __fields(u8);

#[derive(Debug, serde::Serialize)]
struct SecretFreeField(u8);

#[derive(Debug, serde::Serialize)]
struct S(u8);

unsafe impl key_model::SecretFree for __fields {}
unsafe impl key_model::SecretFree for SecretFreeField {}
unsafe impl key_model::SecretFree for S {}

struct stat;

#[derive(serde::Serialize, ApiDto)]
struct Dto {
    a: __fields,
    b: SecretFreeField,
    c: S,
}

// Without serde's derive, which itself names its serializer `__S`.
#[derive(ApiDto)]
struct Page<__S> {
    items: Vec<__S>,
}

fn api_dto<T: ApiDto>() {}

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("{stat} {result:?} {a:?} {b:?} {c:?}")]
struct Internal<__S: core::fmt::Display + serde::Serialize> {
    stat: __S,
    result: u32,
    a: __fields,
    b: SecretFreeField,
    c: S,
    #[redact]
    secret: String,
}

fn main() {
    let dto = Dto { a: __fields(2), b: SecretFreeField(3), c: S(4) };
    assert_eq!(key_model::sink::api_json(&dto).unwrap(), br#"{"a":2,"b":3,"c":4}"#);
    api_dto::<Page<u8>>();
    let internal = Internal {
        stat: "up",
        result: 7,
        a: __fields(2),
        b: SecretFreeField(3),
        c: S(4),
        secret: "hunter2".into(),
    };
    assert_eq!(internal.to_string(), "up 7 __fields(2) SecretFreeField(3) S(4)");
    assert_eq!(
        format!("{internal:?}"),
        r#"Internal { stat: "up", result: 7, a: __fields(2), b: SecretFreeField(3), c: S(4), secret: [REDACTED] }"#,
    );
    assert_eq!(
        serde_json::to_string(&internal).unwrap(),
        r#"{"stat":"up","result":7,"a":2,"b":3,"c":4,"secret":"[REDACTED]"}"#,
    );
}
