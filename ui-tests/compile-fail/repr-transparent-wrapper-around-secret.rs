// `#[repr(transparent)]` changes the layout, not the type: a wrapper around
// key material is not secret-free.
use key_model::{KeyMaterial, SecretFree};

#[derive(SecretFree)]
#[repr(transparent)]
struct Wrapped(KeyMaterial);

fn main() {}
