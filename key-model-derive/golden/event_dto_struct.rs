// #[derive(EventDto)] on:
//
//     struct KeyRotated(KeyRef);

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl ::key_model::SecretFree for KeyRotated {
        #[inline]
        fn __key_model_assert_fields_secret_free() {
            let _ = (
                <KeyRef as ::key_model::SecretFree>::__key_model_assert_fields_secret_free,
            );
        }
    }
    #[automatically_derived]
    unsafe impl ::key_model::EventDto for KeyRotated {}
};
