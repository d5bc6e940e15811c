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
    #[allow(dead_code)]
    struct SecretFreeField<T: ?Sized + ::key_model::SecretFree>(
        ::core::marker::PhantomData<T>,
    );
    #[allow(dead_code, clippy::too_many_arguments)]
    fn secret_free_proof<'a, T: Clone, const N: usize>(
        _: SecretFreeField<Vec<T>>,
        _: SecretFreeField<&'a str>,
    )
    where
        T: Default,
        T: ::key_model::SecretFree,
    {}
    unsafe impl<'a, T: Clone, const N: usize> ::key_model::EventDto for Page<'a, T, N>
    where
        T: Default,
        T: ::key_model::SecretFree,
    {}
    unsafe impl<'a, T: Clone, const N: usize> ::key_model::AuditDto for Page<'a, T, N>
    where
        T: Default,
        T: ::key_model::SecretFree,
    {}
    unsafe impl<'a, T: Clone, const N: usize> ::key_model::ExportDto for Page<'a, T, N>
    where
        T: Default,
        T: ::key_model::SecretFree,
    {}
    #[automatically_derived]
    impl<
        'a,
        T: Clone,
        const N: usize,
    > ::key_model::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso
    for Page<'a, T, N>
    where
        T: Default,
        T: ::key_model::SecretFree,
    {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl<'a, T: Clone, const N: usize> ::key_model::SecretFree for Page<'a, T, N>
    where
        T: Default,
        T: ::key_model::SecretFree,
    {}
};
