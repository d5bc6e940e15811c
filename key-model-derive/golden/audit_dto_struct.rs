// #[derive(AuditDto)] on:
//
//     struct Unit;

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl ::key_model::SecretFree for Unit {
        #[inline]
        fn __key_model_assert_fields_secret_free() {
            let _ = ();
        }
    }
    #[automatically_derived]
    unsafe impl ::key_model::AuditDto for Unit {}
};
