// #[derive(RedactedDisplay)] on:
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
    impl ::core::fmt::Display for Entry {
        fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                Self {
                    tenant: __field_tenant,
                    card: __field_card,
                    count: __field_count,
                    ..
                } => {
                    ::core::fmt::Formatter::write_fmt(
                        __f,
                        ::core::format_args!(
                            "{__arg0} card {__arg1} ({__arg2:>4})", __arg0 = &
                            key_model_crate::derive_support::display_unredacted:: <
                            String > (__field_tenant), __arg1 = &
                            key_model_crate::derive_support::With:: < String >
                            (__field_card, last_four), __arg2 = &
                            key_model_crate::derive_support::display_unredacted:: < u32 >
                            (__field_count)
                        ),
                    )
                }
            }
        }
    }
};
