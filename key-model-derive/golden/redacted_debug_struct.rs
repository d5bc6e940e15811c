// #[derive(RedactedDebug)] on:
//
//     #[display("{tenant} card {card} ({count:>4})")]
//     struct Entry {
//         tenant: String,
//         #[redact]
//         key: KeyMaterial,
//         #[redact(with = last_four)]
//         card: String,
//         #[redact(skip)]
//         scratch: Vec<u8>,
//         count: u32,
//     }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    #[automatically_derived]
    impl ::core::fmt::Debug for Entry {
        #[inline]
        fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                Self {
                    tenant: __field_tenant,
                    card: __field_card,
                    count: __field_count,
                    ..
                } => {
                    key_model_crate::derive_support::debug_struct(
                        __f,
                        "Entry",
                        &["tenant", "key", "card", "count"],
                        &[
                            key_model_crate::derive_support::debug_sized_field::<
                                String,
                            >(__field_tenant),
                            &key_model_crate::derive_support::Redacted,
                            &key_model_crate::derive_support::With::<
                                String,
                            >(__field_card, last_four),
                            key_model_crate::derive_support::debug_field::<
                                u32,
                            >(&__field_count),
                        ],
                    )
                }
            }
        }
    }
};
