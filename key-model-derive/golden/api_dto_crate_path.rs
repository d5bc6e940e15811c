// #[derive(ApiDto)] on:
//
//     #[key_model(crate = "renamed::km")]
//     struct Page<T> { items: Vec<T> }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    #[allow(dead_code)]
    struct SecretFreeField<T: ?Sized + renamed::km::SecretFree>(
        ::core::marker::PhantomData<T>,
    );
    #[allow(dead_code, clippy::too_many_arguments)]
    fn secret_free_proof<T>(_: SecretFreeField<Vec<T>>)
    where
        T: renamed::km::SecretFree,
    {}
    unsafe impl<T> renamed::km::ApiDto for Page<T>
    where
        T: renamed::km::SecretFree,
    {}
    #[automatically_derived]
    impl<
        T,
    > renamed::km::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso
    for Page<T>
    where
        T: renamed::km::SecretFree,
    {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl<T> renamed::km::SecretFree for Page<T>
    where
        T: renamed::km::SecretFree,
    {}
};
