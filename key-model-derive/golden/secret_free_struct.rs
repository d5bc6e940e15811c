// #[derive(SecretFree)] on:
//
//     struct Recording { bytes: u64, encryption_key_ref: KeyRef }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl ::key_model::SecretFree for Recording {
        #[inline]
        fn __key_model_assert_fields_secret_free() {
            let _ = (
                <u64 as ::key_model::SecretFree>::__key_model_assert_fields_secret_free,
                <KeyRef as ::key_model::SecretFree>::__key_model_assert_fields_secret_free,
            );
        }
    }
};
