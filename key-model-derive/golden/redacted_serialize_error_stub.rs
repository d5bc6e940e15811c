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
    #[automatically_derived]
    impl my::km::derive_support::serde::Serialize for Token {
        fn serialize<__S>(&self, _: __S) -> ::core::result::Result<__S::Ok, __S::Error>
        where
            __S: my::km::derive_support::serde::Serializer,
        {
            ::core::unreachable!()
        }
    }
};
