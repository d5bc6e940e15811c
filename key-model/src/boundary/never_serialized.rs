//! `Serialize` for the secrets, under a bound nothing satisfies (G1).
//!
//! `KeyMaterial` and `Plaintext` must never be serialized. Without any
//! `Serialize` impl, a field of them in a type that derives `Serialize`
//! gets serde's error, with the compiler's advice to add
//! `#[derive(serde::Serialize)]` to the secret: the wrong fix, and often
//! the first thing a user reads. With these impls the error is instead
//! about [`NeverSerialized`], which no type implements and whose message
//! says what to expose.

use serde::{Serialize, Serializer};

use crate::model::material::KeyMaterial;
use crate::ring::plaintext::Plaintext;

/// Implemented by no type, ever: the bound of the `Serialize` impls of
/// [`KeyMaterial`] and [`Plaintext`], so that serializing either fails to
/// compile with this message (G1).
///
/// ```compile_fail,E0277
/// fn to_json(key: &key_model::KeyMaterial) -> String {
///     serde_json::to_string(key).unwrap()
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Secret}` is a secret and is never serialized",
    label = "`{Secret}` cannot be serialized",
    note = "expose a reference instead (`encryption_key_ref: key_model::KeyRef`), drop the field, or keep the type internal and derive `key_model::RedactedSerialize` with the field marked `#[redact]`"
)]
pub trait NeverSerialized<Secret: ?Sized> {}

// One impl, for a type nobody can construct and that is not a secret: a
// trait with none at all has the compiler suggest "consider adding one"
// under the error. `do_not_recommend` keeps it out of the message.
#[diagnostic::do_not_recommend]
impl NeverSerialized<core::convert::Infallible> for core::convert::Infallible {}

// The bounds below name a reference under `for<'a>`: a bound that names no
// parameter at all would be refused as trivially false where it is written.

impl Serialize for KeyMaterial
where
    for<'a> &'a KeyMaterial: NeverSerialized<KeyMaterial>,
{
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        unreachable!("the bound of this impl is never satisfied")
    }
}

impl Serialize for Plaintext
where
    for<'a> &'a Plaintext: NeverSerialized<Plaintext>,
{
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        unreachable!("the bound of this impl is never satisfied")
    }
}
