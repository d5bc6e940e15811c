// `Box<dyn SecretFree>` cannot stand for "some secret-free value": the
// trait is not dyn compatible (its hidden check is an associated function),
// so no trait object of it exists that could be secret-free by itself.
use key_model::{ApiDto, SecretFree};

#[derive(ApiDto)]
struct Body {
    any: Box<dyn SecretFree>,
}

fn main() {}
