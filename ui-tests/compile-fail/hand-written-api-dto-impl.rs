// Claiming the API kind by hand instead of deriving it: the kind traits are
// `unsafe`, so a safe impl is rejected (E0200).

use key_model::{ApiDto, KeyRef, SecretFree};

#[derive(SecretFree)]
struct KeyResponse {
    key: KeyRef,
}

impl ApiDto for KeyResponse {}

fn main() {}
