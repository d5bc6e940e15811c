// #[derive(ApiDto)] on:
//
//     enum Change {
//         Added { key: KeyRef },
//         #[cfg(feature = "b")]
//         Moved(String, #[cfg(unix)] Vec<u16>),
//         Cleared,
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
    struct SecretFreeProof(
        SecretFreeField<KeyRef>,
        #[cfg(feature = "b")]
        SecretFreeField<String>,
        #[cfg(feature = "b")]
        #[cfg(unix)]
        SecretFreeField<Vec<u16>>,
    );
};
#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    unsafe impl key_model_crate::ApiDto for Change {}
    #[automatically_derived]
    impl key_model_crate::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso
    for Change {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl key_model_crate::SecretFree for Change {}
};
