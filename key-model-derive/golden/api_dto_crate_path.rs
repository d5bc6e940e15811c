// #[derive(ApiDto)] on:
//
//     #[key_model(crate = "renamed::km")]
//     struct Page<T> { items: Vec<T> }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl<T> renamed::km::SecretFree for Page<T>
    where
        T: renamed::km::SecretFree,
    {
        #[inline]
        fn __key_model_assert_fields_secret_free() {
            let _ = (
                <Vec<
                    T,
                > as renamed::km::SecretFree>::__key_model_assert_fields_secret_free,
            );
        }
    }
    #[automatically_derived]
    unsafe impl<T> renamed::km::ApiDto for Page<T>
    where
        T: renamed::km::SecretFree,
    {}
};
