// An attempt to make the field checks toothless without writing `unsafe`:
// point `crate = "..."` at a module that re-exports the real traits next to
// a permissive look-alike of the derive's support items. The derive reaches
// key-model only through `<crate>::key_model`, the crate itself, which a
// look-alike module does not have: refused at the literal.
#![forbid(unsafe_code)]

use key_model::KeyMaterial;

mod lookalike {
    pub use key_model::{ApiDto, SecretFree};

    pub mod derive_support {
        pub const fn assert_secret_free<T: ?Sized>() {}
    }
}

#[derive(key_model::ApiDto)]
#[key_model(crate = "lookalike")]
struct KeyResponse {
    key: KeyMaterial,
}

fn main() {}
