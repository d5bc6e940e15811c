// `#[serde(serialize_with = ...)]` can write anything, but the field's type
// is still checked: a secret field does not compile, whatever serde does
// with it.
use key_model::ApiDto;
use secrecy::{ExposeSecret, SecretString};

fn expose<S: serde::Serializer>(token: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(token.expose_secret())
}

#[derive(serde::Serialize, ApiDto)]
struct Body {
    id: u64,
    #[serde(serialize_with = "expose")]
    token: SecretString,
}

fn main() {}
