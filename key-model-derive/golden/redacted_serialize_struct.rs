// #[derive(RedactedSerialize)] on:
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
    impl key_model_crate::derive_support::serde::Serialize for Entry {
        fn serialize<S>(
            &self,
            __serializer: S,
        ) -> ::core::result::Result<S::Ok, S::Error>
        where
            S: key_model_crate::derive_support::serde::Serializer,
        {
            match self {
                Self {
                    tenant: __field_tenant,
                    card: __field_card,
                    count: __field_count,
                    ..
                } => {
                    #[allow(unused_mut)]
                    let mut __state = key_model_crate::derive_support::serde::Serializer::serialize_struct(
                        __serializer,
                        "Entry",
                        4,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "tenant",
                        __field_tenant,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "key",
                        &key_model_crate::derive_support::Redacted,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "card",
                        &key_model_crate::derive_support::With::<
                            String,
                        >(__field_card, last_four),
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "count",
                        __field_count,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::end(
                        __state,
                    )
                }
            }
        }
    }
};
