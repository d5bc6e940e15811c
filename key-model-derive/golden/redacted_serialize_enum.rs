// #[derive(RedactedSerialize)] on:
//
//     #[serde(rename_all = "snake_case")]
//     enum Login {
//         #[display("password for {user}")]
//         Password { user: String, #[redact] password: String },
//         #[display("token {0}")]
//         Token(String, #[redact] String),
//         #[display("key")]
//         Key(#[redact] KeyMaterial),
//         #[display("anonymous")]
//         Anonymous,
//     }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::key_model::key_model as key_model_crate;
    #[automatically_derived]
    impl key_model_crate::derive_support::serde::Serialize for Login {
        fn serialize<S>(
            &self,
            __serializer: S,
        ) -> ::core::result::Result<S::Ok, S::Error>
        where
            S: key_model_crate::derive_support::serde::Serializer,
        {
            match self {
                Self::Password { user: __field_user, .. } => {
                    #[allow(unused_mut)]
                    let mut __state = key_model_crate::derive_support::serde::Serializer::serialize_struct_variant(
                        __serializer,
                        "Login",
                        0u32,
                        "password",
                        2,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStructVariant::serialize_field(
                        &mut __state,
                        "user",
                        __field_user,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStructVariant::serialize_field(
                        &mut __state,
                        "password",
                        &key_model_crate::derive_support::Redacted,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStructVariant::end(
                        __state,
                    )
                }
                Self::Token { 0: __field_0, .. } => {
                    #[allow(unused_mut)]
                    let mut __state = key_model_crate::derive_support::serde::Serializer::serialize_tuple_variant(
                        __serializer,
                        "Login",
                        1u32,
                        "token",
                        2,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeTupleVariant::serialize_field(
                        &mut __state,
                        __field_0,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeTupleVariant::serialize_field(
                        &mut __state,
                        &key_model_crate::derive_support::Redacted,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeTupleVariant::end(
                        __state,
                    )
                }
                Self::Key { .. } => {
                    key_model_crate::derive_support::serde::Serializer::serialize_newtype_variant(
                        __serializer,
                        "Login",
                        2u32,
                        "key",
                        &key_model_crate::derive_support::Redacted,
                    )
                }
                Self::Anonymous { .. } => {
                    key_model_crate::derive_support::serde::Serializer::serialize_unit_variant(
                        __serializer,
                        "Login",
                        3u32,
                        "anonymous",
                    )
                }
            }
        }
    }
};
