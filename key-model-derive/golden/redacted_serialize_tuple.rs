// #[derive(RedactedSerialize)] on:
//
//     #[display("{0} {2:?}")]
//     struct Credential(String, #[redact] KeyMaterial, u8);

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    #[automatically_derived]
    impl key_model_crate::derive_support::serde::Serialize for Credential {
        fn serialize<S>(
            &self,
            __serializer: S,
        ) -> ::core::result::Result<S::Ok, S::Error>
        where
            S: key_model_crate::derive_support::serde::Serializer,
        {
            match self {
                Self { 0: __field_0, 2: __field_2, .. } => {
                    #[allow(unused_mut)]
                    let mut __state = key_model_crate::derive_support::serde::Serializer::serialize_tuple_struct(
                        __serializer,
                        "Credential",
                        3,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeTupleStruct::serialize_field(
                        &mut __state,
                        __field_0,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeTupleStruct::serialize_field(
                        &mut __state,
                        &key_model_crate::derive_support::Redacted,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeTupleStruct::serialize_field(
                        &mut __state,
                        __field_2,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeTupleStruct::end(
                        __state,
                    )
                }
            }
        }
    }
};
