// #[derive(RedactedSerialize)] on:
//
//     #[display("{label}: {value}")]
//     struct Tagged<'a, T, U: Clone> where T: Copy {
//         label: &'a str,
//         value: T,
//         #[redact]
//         secret: U,
//         marker: PhantomData<U>,
//     }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    #[automatically_derived]
    impl<'a, T, U: Clone> key_model_crate::derive_support::serde::Serialize
    for Tagged<'a, T, U>
    where
        T: Copy,
        T: key_model_crate::derive_support::SerializeUnredacted,
    {
        fn serialize<S>(
            &self,
            __serializer: S,
        ) -> ::core::result::Result<S::Ok, S::Error>
        where
            S: key_model_crate::derive_support::serde::Serializer,
        {
            match self {
                Self {
                    label: __field_label,
                    value: __field_value,
                    marker: __field_marker,
                    ..
                } => {
                    #[allow(unused_mut)]
                    let mut __state = key_model_crate::derive_support::serde::Serializer::serialize_struct(
                        __serializer,
                        "Tagged",
                        4,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "label",
                        __field_label,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "value",
                        &key_model_crate::derive_support::serialize_unredacted::<
                            T,
                        >(__field_value),
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "secret",
                        &key_model_crate::derive_support::Redacted,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "marker",
                        &key_model_crate::derive_support::serialize_unredacted::<
                            PhantomData<U>,
                        >(__field_marker),
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::end(
                        __state,
                    )
                }
            }
        }
    }
};
