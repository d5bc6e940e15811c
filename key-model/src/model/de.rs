//! Deserialization that never quotes its input (G8).
//!
//! serde's own errors quote what they reject: `invalid type: string "..."`,
//! ``unknown variant `...` ``, ``unknown field `...` ``, ``invalid value:
//! integer `...` ``. They are made by the format (`serde_json` checks a
//! string's type before our visitor sees it), by serde's impls for std
//! types and by its derive, so no visitor can stop them. Instead every
//! key-model `Deserialize` runs inside [`guard`]: an error that leaves it is
//! either one key-model made itself with fixed text ([`own`], or an inner
//! guard's), or it is replaced by the guard's fixed message, which names the
//! type and the rule.
//!
//! Which errors are our own is tracked per thread: `own` and every guard
//! that fails set a flag, every guard clears it on entry and on success.
//! An error propagates at once (serde's derives and formats never swallow
//! one and go on), so a set flag at a guard's exit means the error in hand
//! is the one that set it. The cost is that a format's useful message about
//! one of our values (a syntax error inside it, say) becomes the guard's;
//! the position a format adds to an error inside a document stays.

use core::cell::Cell;
use core::fmt;

use serde::de::{Deserializer, Error};

std::thread_local! {
    /// Whether the error being returned was made by key-model.
    static OWN: Cell<bool> = const { Cell::new(false) };
}

/// Runs `deserialize` on `deserializer`; an error it returns that key-model
/// did not make becomes `E::custom(message)`. `message` says what was
/// expected, never what was found.
pub(crate) fn guard<'de, D, T>(
    deserializer: D,
    message: &'static str,
    deserialize: impl FnOnce(D) -> Result<T, D::Error>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    OWN.set(false);
    let result = deserialize(deserializer);
    let own = OWN.get();
    match result {
        Ok(value) => {
            OWN.set(false);
            Ok(value)
        }
        Err(e) => {
            // Whichever way, what leaves here is safe to pass on.
            OWN.set(true);
            Err(if own { e } else { D::Error::custom(message) })
        }
    }
}

/// An error with fixed text (or a key-model error's `Display`, which never
/// quotes the input either), marked as key-model's own so that [`guard`]
/// passes it on.
pub(crate) fn own<E: Error>(message: impl fmt::Display) -> E {
    OWN.set(true);
    E::custom(message)
}

/// `deserialize_with` for a field that serde's own impl would reject with a
/// quoting message: deserializes `T` under a guard whose message names the
/// field (a [`Present`], so that the field can also be missing). Each use is a small function naming the field, since
/// `deserialize_with` takes a path, not arguments.
pub(crate) fn field<'de, D, T>(
    deserializer: D,
    message: &'static str,
) -> Result<Present<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    guard(deserializer, message, T::deserialize).map(|value| Present(Some(value)))
}

/// A struct field that must be present, read with `#[serde(default)]` so
/// that a missing field is ours to report: serde's derive reports it by
/// running the field's own `Deserialize` on nothing, which under a guard
/// would give that type's message ("invalid timestamp") for a missing
/// field. The wire format is `T`'s: `Present` adds no tag, so binary formats
/// read what they read before.
pub(crate) struct Present<T>(Option<T>);

impl<T> Default for Present<T> {
    fn default() -> Self {
        Present(None)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Present<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(|value| Present(Some(value)))
    }
}

impl<T> Present<T> {
    /// The value, if it was there.
    pub(crate) fn into_inner(self) -> Option<T> {
        self.0
    }

    /// The value, or a key-model error with `message` (which names the
    /// missing field) if it was missing.
    pub(crate) fn get<E: Error>(self, message: &'static str) -> Result<T, E> {
        self.0.ok_or_else(|| own(message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Secretive;

    impl<'de> serde::Deserialize<'de> for Secretive {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            guard(d, "a secretive thing", |d| {
                let s = <&str>::deserialize(d)?;
                if s == "ok" {
                    Ok(Secretive)
                } else {
                    Err(own("not ok"))
                }
            })
        }
    }

    #[test]
    fn own_errors_pass_and_others_are_replaced() {
        let err = |s: &str| {
            serde_json::from_str::<Secretive>(s)
                .unwrap_err()
                .to_string()
        };
        assert!(serde_json::from_str::<Secretive>(r#""ok""#).is_ok());
        assert_eq!(err(r#""nope""#), "not ok");
        assert_eq!(err("123456789"), "a secretive thing");
        // A failed guard leaves the flag set for the one above it, and the
        // next guard starts clean.
        assert!(OWN.get());
        assert_eq!(err("[1]"), "a secretive thing");
    }

    #[test]
    fn an_inner_guard_error_passes_through_an_outer_guard() {
        #[derive(Debug, serde::Deserialize)]
        struct Outer {
            #[allow(dead_code)] // only loaded
            inner: Secretive,
            #[allow(dead_code)]
            n: u8,
        }
        let outer = |s: &str| {
            guard(
                &mut serde_json::Deserializer::from_str(s),
                "an outer thing",
                <Outer as serde::Deserialize>::deserialize,
            )
            .unwrap_err()
            .to_string()
        };
        assert!(outer(r#"{"inner":"nope","n":1}"#).starts_with("not ok"));
        assert!(outer(r#"{"inner":"ok","n":"123456789"}"#).starts_with("an outer thing"));
    }
}
