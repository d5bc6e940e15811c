// #[derive(RedactedSerialize)] on:
//
//     struct Page { total: u64, #[serde(skip_serializing_if = "Option::is_none")] next: Option<String>, #[redact] key: KeyMaterial }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    #[automatically_derived]
    impl key_model_crate::derive_support::serde::Serialize for Page {
        fn serialize<S>(
            &self,
            __serializer: S,
        ) -> ::core::result::Result<S::Ok, S::Error>
        where
            S: key_model_crate::derive_support::serde::Serializer,
        {
            match self {
                Self { total: __field_total, next: __field_next, .. } => {
                    #[allow(unused_mut)]
                    let mut __state = key_model_crate::derive_support::serde::Serializer::serialize_struct(
                        __serializer,
                        "Page",
                        2
                            + if key_model_crate::derive_support::skip_serializing_if(
                                Option::is_none,
                                __field_next,
                            ) {
                                0
                            } else {
                                1
                            },
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "total",
                        __field_total,
                    )?;
                    if !key_model_crate::derive_support::skip_serializing_if(
                        Option::is_none,
                        __field_next,
                    ) {
                        key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                            &mut __state,
                            "next",
                            __field_next,
                        )?;
                    } else {
                        key_model_crate::derive_support::serde::ser::SerializeStruct::skip_field(
                            &mut __state,
                            "next",
                        )?;
                    }
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "key",
                        &key_model_crate::derive_support::Redacted,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::end(
                        __state,
                    )
                }
            }
        }
    }
};
