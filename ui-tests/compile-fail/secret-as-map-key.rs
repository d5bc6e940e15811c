// A secret string as the key of a map.

use std::collections::BTreeMap;

use key_model::ApiDto;
use secrecy::SecretString;

#[derive(ApiDto)]
struct SessionsByToken {
    sessions: BTreeMap<SecretString, u64>,
}

fn main() {}
