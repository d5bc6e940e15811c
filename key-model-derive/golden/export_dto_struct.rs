// #[derive(ExportDto)] on:
//
//     struct SessionRow { session_id: String, bytes: u64 }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl ::key_model::SecretFree for SessionRow {
        #[inline]
        fn __key_model_assert_fields_secret_free() {
            let _ = (
                <String as ::key_model::SecretFree>::__key_model_assert_fields_secret_free,
                <u64 as ::key_model::SecretFree>::__key_model_assert_fields_secret_free,
            );
        }
    }
    #[automatically_derived]
    unsafe impl ::key_model::ExportDto for SessionRow {}
};
