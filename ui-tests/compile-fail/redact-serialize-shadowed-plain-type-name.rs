// RedactedSerialize passes fields of primitive, `String` and `str` types
// (and `Option`s, `Vec`s and references of them) to serde as they are. A
// secret behind one of those names still does not compile (rustc's message).
use key_model::RedactedSerialize;

#[allow(non_camel_case_types)]
type String = key_model::KeyMaterial;

#[derive(RedactedSerialize)]
struct Login {
    user: u64,
    password: Option<String>,
}

fn main() {}
