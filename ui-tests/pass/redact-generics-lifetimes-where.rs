// Generics get bounds only for the fields that use them: `S` is redacted
// and `K` only appears in a `with` field, so neither needs any trait.
use core::fmt;

use key_model::{KeyMaterial, RedactedDebug, RedactedDisplay, RedactedSerialize};

fn kind<K>(_: &K, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(core::any::type_name::<K>())
}

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("{label}: {value}")]
struct Labeled<'a, T, S, K>
where
    T: Clone,
{
    label: &'a str,
    value: T,
    #[redact]
    secret: S,
    #[redact(with = kind)]
    key: K,
}

/// An associated type is bounded itself (`I::Item: Debug`), not `I`.
#[derive(RedactedDebug, RedactedSerialize)]
struct Current<I: Iterator> {
    item: I::Item,
    #[redact]
    rest: I,
}

fn main() {
    let current = Current {
        item: 1u8,
        rest: core::iter::once(2u8).map(|_| 3u8),
    };
    assert_eq!(format!("{current:?}"), "Current { item: 1, rest: [REDACTED] }");
    assert_eq!(
        serde_json::to_string(&current).unwrap(),
        r#"{"item":1,"rest":"[REDACTED]"}"#
    );

    let labeled = Labeled {
        label: "n",
        value: 3u8,
        secret: KeyMaterial::generate().unwrap(),
        key: KeyMaterial::generate().unwrap(),
    };
    assert_eq!(labeled.to_string(), "n: 3");
    assert_eq!(
        format!("{labeled:?}"),
        "Labeled { label: \"n\", value: 3, secret: [REDACTED], key: key_model::model::material::KeyMaterial }"
    );
    assert_eq!(
        serde_json::to_string(&labeled).unwrap(),
        r#"{"label":"n","value":3,"secret":"[REDACTED]","key":"key_model::model::material::KeyMaterial"}"#
    );
}
