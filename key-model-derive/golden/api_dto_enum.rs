// #[derive(ApiDto)] on:
//
//     enum Change {
//         Added { key: KeyRef },
//         #[cfg(feature = "b")]
//         Moved(String, #[cfg(unix)] Vec<u16>),
//         Cleared,
//     }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl ::key_model::SecretFree for Change {
        #[inline]
        fn __key_model_assert_fields_secret_free() {
            let _ = (
                <KeyRef as ::key_model::SecretFree>::__key_model_assert_fields_secret_free,
                #[cfg(feature = "b")]
                <String as ::key_model::SecretFree>::__key_model_assert_fields_secret_free,
                #[cfg(feature = "b")]
                #[cfg(unix)]
                <Vec<
                    u16,
                > as ::key_model::SecretFree>::__key_model_assert_fields_secret_free,
            );
        }
    }
    #[automatically_derived]
    unsafe impl ::key_model::ApiDto for Change {}
};
