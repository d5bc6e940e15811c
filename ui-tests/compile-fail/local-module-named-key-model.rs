// A local module named `key_model`, with a permissive `SecretFree`, does
// not capture the derive: it names `::key_model`, the dependency, which a
// module cannot shadow.
mod key_model {
    #[allow(dead_code)]
    pub trait SecretFree {
        fn __key_model_assert_fields_secret_free() {}
    }

    impl<T: ?Sized> SecretFree for T {}
}

#[derive(::key_model::ApiDto)]
struct Body {
    key: ::key_model::KeyMaterial,
}

fn main() {}
