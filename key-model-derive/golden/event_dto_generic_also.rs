// #[derive(EventDto)] on:
//
//     #[key_model(also(AuditDto, ExportDto))]
//     struct Page<'a, T: Clone, const N: usize> where T: Default {
//         items: Vec<T>,
//         cursor: &'a str,
//     }

#[allow(
    dead_code,
    non_upper_case_globals,
    unused_qualifications,
    clippy::all,
    clippy::pedantic
)]
const _: () = {
    struct SecretFreeField<T: ?Sized + ::key_model::key_model::SecretFree>(
        ::core::marker::PhantomData<T>,
    );
    struct SecretFreeProof<'a, T: Clone, const N: usize>(
        SecretFreeField<Vec<T>>,
        SecretFreeField<&'a str>,
        ::core::marker::PhantomData<(&'a (), *const T)>,
    )
    where
        T: Default,
        T: ::key_model::key_model::SecretFree;
};
#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    unsafe impl<'a, T: Clone, const N: usize> key_model_crate::EventDto
    for Page<'a, T, N>
    where
        T: Default,
        T: key_model_crate::SecretFree,
    {}
    unsafe impl<'a, T: Clone, const N: usize> key_model_crate::AuditDto
    for Page<'a, T, N>
    where
        T: Default,
        T: key_model_crate::SecretFree,
    {}
    unsafe impl<'a, T: Clone, const N: usize> key_model_crate::ExportDto
    for Page<'a, T, N>
    where
        T: Default,
        T: key_model_crate::SecretFree,
    {}
    #[automatically_derived]
    impl<
        'a,
        T: Clone,
        const N: usize,
    > key_model_crate::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso
    for Page<'a, T, N>
    where
        T: Default,
        T: key_model_crate::SecretFree,
    {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl<'a, T: Clone, const N: usize> key_model_crate::SecretFree
    for Page<'a, T, N>
    where
        T: Default,
        T: key_model_crate::SecretFree,
    {}
};
