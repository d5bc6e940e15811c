// A field typed by an associated type of a concrete impl is checked as the
// type it normalizes to.
use key_model::{ApiDto, KeyMaterial};

trait Stash {
    type Inner;
}

struct Vault;

impl Stash for Vault {
    type Inner = KeyMaterial;
}

#[derive(ApiDto)]
struct Body {
    inner: <Vault as Stash>::Inner,
}

fn main() {}
