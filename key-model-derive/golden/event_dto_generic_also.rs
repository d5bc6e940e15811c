// #[derive(EventDto)] on:
//
//     #[key_model(also(AuditDto, ExportDto))]
//     struct Page<'a, T: Clone, const N: usize> where T: Default {
//         items: Vec<T>,
//         cursor: &'a str,
//     }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl<'a, T: Clone, const N: usize> ::key_model::SecretFree for Page<'a, T, N>
    where
        T: Default,
        T: ::key_model::SecretFree,
    {
        #[inline]
        fn __key_model_assert_fields_secret_free() {
            let _ = (
                <Vec<
                    T,
                > as ::key_model::SecretFree>::__key_model_assert_fields_secret_free,
                <&'a str as ::key_model::SecretFree>::__key_model_assert_fields_secret_free,
            );
        }
    }
    #[automatically_derived]
    unsafe impl<'a, T: Clone, const N: usize> ::key_model::EventDto for Page<'a, T, N>
    where
        T: Default,
        T: ::key_model::SecretFree,
    {}
    #[automatically_derived]
    unsafe impl<'a, T: Clone, const N: usize> ::key_model::AuditDto for Page<'a, T, N>
    where
        T: Default,
        T: ::key_model::SecretFree,
    {}
    #[automatically_derived]
    unsafe impl<'a, T: Clone, const N: usize> ::key_model::ExportDto for Page<'a, T, N>
    where
        T: Default,
        T: ::key_model::SecretFree,
    {}
};
