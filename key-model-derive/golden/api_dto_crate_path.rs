// #[derive(ApiDto)] on:
//
//     #[key_model(crate = "renamed::km")]
//     struct Page<T> { items: Vec<T> }

#[allow(
    dead_code,
    non_upper_case_globals,
    unused_qualifications,
    clippy::all,
    clippy::pedantic
)]
const _: () = {
    struct SecretFreeField<T: ?Sized + renamed::km::key_model::SecretFree>(
        ::core::marker::PhantomData<T>,
    );
    struct SecretFreeProof<T>(
        SecretFreeField<Vec<T>>,
        ::core::marker::PhantomData<(*const T,)>,
    )
    where
        T: renamed::km::key_model::SecretFree;
};
#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use renamed::km::key_model as key_model_crate;
    unsafe impl<T> key_model_crate::ApiDto for Page<T>
    where
        T: key_model_crate::SecretFree,
    {}
    #[automatically_derived]
    impl<
        T,
    > key_model_crate::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso
    for Page<T>
    where
        T: key_model_crate::SecretFree,
    {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl<T> key_model_crate::SecretFree for Page<T>
    where
        T: key_model_crate::SecretFree,
    {}
};
