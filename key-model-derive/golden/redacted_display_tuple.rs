// #[derive(RedactedDisplay)] on:
//
//     #[display("{0} {2:?}")]
//     struct Credential(String, #[redact] KeyMaterial, u8);

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    mod __fields {
        #[allow(non_camel_case_types, dead_code)]
        pub struct field_0;
    }
    #[automatically_derived]
    impl ::core::fmt::Display for Credential {
        fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                Self { 0: __field_0, 2: __field_2, .. } => {
                    ::core::write!(
                        __f, "{__arg0} {__arg1:?}", __arg0 = &
                        ::key_model::derive_support::display_unredacted:: < String,
                        __fields::field_0 > (__field_0), __arg1 = * __field_2
                    )
                }
            }
        }
    }
};
