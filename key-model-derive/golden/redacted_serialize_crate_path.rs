// #[derive(RedactedSerialize)] on:
//
//     #[key_model(crate = "my::km")]
//     struct Login { user: String, #[redact] password: String }

#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use my::km::key_model as key_model_crate;
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
                Self { user: __field_user, .. } => {
                    #[allow(unused_mut)]
                    let mut __state = key_model_crate::derive_support::serde::Serializer::serialize_struct(
                        __serializer,
                        "Login",
                        2,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "user",
                        __field_user,
                    )?;
                    key_model_crate::derive_support::serde::ser::SerializeStruct::serialize_field(
                        &mut __state,
                        "password",
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
