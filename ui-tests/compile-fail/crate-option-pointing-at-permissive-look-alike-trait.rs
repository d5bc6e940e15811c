// `crate = "..."` pointed at a module whose `SecretFree` is a look-alike
// implemented for everything (a safe trait, so no `unsafe` is written),
// next to the real `ApiDto`. The derive's `unsafe impl` of the look-alike
// is refused (it overlaps the blanket impl, and a safe trait takes no
// `unsafe impl`), and the real `ApiDto` still requires the real
// `SecretFree`, which the type does not have.
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
