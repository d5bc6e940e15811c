// #[derive(RedactedDebug)] on:
//
//     struct Login { #[redact(hide)] password: String }

::core::compile_error! {
    "unknown redact option; expected `skip` or `with = path`"
}
#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    #[automatically_derived]
    impl ::core::fmt::Debug for Login {
        fn fmt(&self, _: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::core::unreachable!()
        }
    }
};
