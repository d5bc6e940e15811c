// A secret string as the element of a set.

use std::collections::HashSet;

use key_model::AuditDto;
use secrecy::SecretString;

#[derive(AuditDto)]
struct RevokedTokens {
    tokens: HashSet<SecretString>,
}

fn main() {}
