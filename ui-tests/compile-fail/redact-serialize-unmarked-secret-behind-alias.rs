// A secret inside a container or behind a type alias is caught too: the
// check is on the type, not on its name.
use key_model::{KeyMaterial, RedactedSerialize};

type Backup = Option<KeyMaterial>;

#[derive(RedactedSerialize)]
struct Entry {
    tenant: String,
    backup: Backup,
    history: Vec<secrecy::SecretString>,
}

fn main() {}
