// #[derive(EventDto)] on:
//
//     struct KeyRotated(KeyRef);

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
    struct SecretFreeProof(SecretFreeField<KeyRef>);
};
#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    unsafe impl key_model_crate::EventDto for KeyRotated {}
    #[automatically_derived]
    impl key_model_crate::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso
    for KeyRotated {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl key_model_crate::SecretFree for KeyRotated {}
};
