// #[derive(RedactedDebug)] on:
//
//     #[display("{0} {2:?}")]
//     struct Credential(String, #[redact] KeyMaterial, u8);

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    #[automatically_derived]
    impl ::core::fmt::Debug for Credential {
        #[inline]
        fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                Self { 0: __field_0, 2: __field_2, .. } => {
                    key_model_crate::derive_support::debug_tuple(
                        __f,
                        "Credential",
                        &[
                            key_model_crate::derive_support::debug_sized_field::<
                                String,
                            >(__field_0),
                            &key_model_crate::derive_support::Redacted,
                            key_model_crate::derive_support::debug_field::<
                                u8,
                            >(&__field_2),
                        ],
                    )
                }
            }
        }
    }
};
