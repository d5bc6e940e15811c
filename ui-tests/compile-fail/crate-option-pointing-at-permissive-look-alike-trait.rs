// `crate = "..."` pointed at a module whose `SecretFree` is a look-alike
// implemented for everything (a safe trait, so no `unsafe` is written),
// next to the real `ApiDto`. The derive reaches key-model only through
// `<crate>::key_model`, the crate itself, which the module does not have:
// refused at the literal, before any impl could use the look-alike.
mod km {
    pub use key_model::ApiDto;

    pub trait SecretFree {
        fn __key_model_assert_fields_secret_free() {}
    }

    impl<T: ?Sized> SecretFree for T {}
}

#[derive(key_model::ApiDto)]
#[key_model(crate = "crate::km")]
struct KeyResponse {
    key: key_model::KeyMaterial,
}

fn main() {}
