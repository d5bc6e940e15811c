// A `Cow` over a secret-free type whose `ToOwned::Owned` is a secret: the
// owned side of the `Cow` is checked too.
use std::borrow::{Borrow, Cow};

use key_model::{ApiDto, SecretFree};
use secrecy::SecretString;

#[derive(SecretFree)]
struct Name(String);

impl Borrow<Name> for SecretString {
    fn borrow(&self) -> &Name {
        unimplemented!()
    }
}

impl ToOwned for Name {
    type Owned = SecretString;

    fn to_owned(&self) -> SecretString {
        SecretString::from(self.0.clone())
    }
}

#[derive(ApiDto)]
struct Body<'a> {
    name: Cow<'a, Name>,
}

fn main() {}
