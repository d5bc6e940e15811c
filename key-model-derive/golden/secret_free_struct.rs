// #[derive(SecretFree)] on:
//
//     struct Recording { bytes: u64, encryption_key_ref: KeyRef }

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
    struct SecretFreeProof(SecretFreeField<u64>, SecretFreeField<KeyRef>);
};
#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    #[automatically_derived]
    impl key_model_crate::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso
    for Recording {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl key_model_crate::SecretFree for Recording {}
};
