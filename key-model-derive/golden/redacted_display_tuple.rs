// #[derive(RedactedDisplay)] on:
//
//     #[display("{0} {2:?}")]
//     struct Credential(String, #[redact] KeyMaterial, u8);

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    #[automatically_derived]
    impl ::core::fmt::Display for Credential {
        fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                Self { 0: __field_0, 2: __field_2, .. } => {
                    ::core::fmt::Formatter::write_fmt(
                        __f,
                        ::core::format_args!(
                            "{__arg0} {__arg1:?}", __arg0 = &
                            key_model_crate::derive_support::display_unredacted:: <
                            String > (__field_0), __arg1 =
                            key_model_crate::derive_support::debug_field:: < u8 > (&
                            __field_2)
                        ),
                    )
                }
            }
        }
    }
};
