// The one escape hatch (G9): in a crate that allows unsafe code, an
// `unsafe impl SecretFree` compiles. It is the promise the derive would
// otherwise prove, and `cargo run -p key-model-audit -- .` lists it.

use key_model::{ApiDto, SecretFree};

// A type from legacy code that cannot derive (its fields are private to
// another module), vouched for by hand.
mod legacy {
    pub struct Opaque(pub(super) u64);
}

// SAFETY: `Opaque` is a counter; it holds no secret.
unsafe impl SecretFree for legacy::Opaque {}

#[derive(ApiDto)]
struct Response {
    counter: legacy::Opaque,
}

fn main() {
    fn assert_api<T: key_model::ApiDto>() {}
    assert_api::<Response>();
    let _ = Response { counter: legacy::Opaque(1) };
}
