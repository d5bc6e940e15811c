// #[derive(RedactedSerialize)] on:
//
//     #[key_model(crate = "my::km")]
//     struct Token(#[redact(skip)] String);

::core::compile_error! {
    "RedactedSerialize cannot skip the only field of a newtype: use `#[redact]` to write \"[REDACTED]\" instead"
}
#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use my::km::key_model as key_model_crate;
    #[automatically_derived]
    impl key_model_crate::derive_support::serde::Serialize for Token {
        fn serialize<S>(&self, _: S) -> ::core::result::Result<S::Ok, S::Error>
        where
            S: key_model_crate::derive_support::serde::Serializer,
        {
            ::core::unreachable!()
        }
    }
};
