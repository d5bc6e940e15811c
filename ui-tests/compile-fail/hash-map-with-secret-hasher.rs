// A map's hasher is part of its type: a `BuildHasher` keyed by a secret
// makes the map not secret-free.
use std::collections::HashMap;
use std::hash::{BuildHasher, DefaultHasher};

use key_model::ApiDto;
use secrecy::SecretString;

struct Keyed(SecretString);

impl BuildHasher for Keyed {
    type Hasher = DefaultHasher;

    fn build_hasher(&self) -> DefaultHasher {
        DefaultHasher::new()
    }
}

#[derive(ApiDto)]
struct Body {
    tags: HashMap<String, String, Keyed>,
}

fn main() {}
