// A secret string borrowed or owned through a `Cow`.

use std::borrow::Cow;

use key_model::ApiDto;
use secrecy::SecretString;

#[derive(ApiDto)]
struct LoginResponse<'a> {
    tokens: Cow<'a, [SecretString]>,
}

fn main() {}
