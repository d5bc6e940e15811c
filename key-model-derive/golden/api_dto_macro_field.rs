// #[derive(ApiDto)] on:
//
//     struct Node { children: Vec<Self>, label: label_type!() }

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
    fn secret_free_proof(
        _: SecretFreeField<Vec<Node>>,
        _: SecretFreeField<label_type!()>,
    ) {}
};
#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    unsafe impl key_model_crate::ApiDto for Node {}
    #[automatically_derived]
    impl key_model_crate::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso
    for Node {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    unsafe impl key_model_crate::SecretFree for Node {}
};
