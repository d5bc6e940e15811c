// #[derive(ApiDto)] on:
//
//     struct KeyResponse { encryption_key_ref: KeyRef, enabled: bool }

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
    struct SecretFreeProof(SecretFreeField<KeyRef>, SecretFreeField<bool>);
};
#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    unsafe impl key_model_crate::ApiDto for KeyResponse {}
    #[automatically_derived]
    impl key_model_crate::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso
    for KeyResponse {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl key_model_crate::SecretFree for KeyResponse {}
};
