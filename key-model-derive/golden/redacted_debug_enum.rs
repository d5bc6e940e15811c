// #[derive(RedactedDebug)] on:
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
    impl ::core::fmt::Debug for Login {
        #[inline]
        fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                Self::Password { user: __field_user, .. } => {
                    key_model_crate::derive_support::debug_struct(
                        __f,
                        "Password",
                        &["user", "password"],
                        &[
                            key_model_crate::derive_support::debug_sized_field::<
                                String,
                            >(__field_user),
                            &key_model_crate::derive_support::Redacted,
                        ],
                    )
                }
                Self::Token { 0: __field_0, .. } => {
                    key_model_crate::derive_support::debug_tuple(
                        __f,
                        "Token",
                        &[
                            key_model_crate::derive_support::debug_sized_field::<
                                String,
                            >(__field_0),
                            &key_model_crate::derive_support::Redacted,
                        ],
                    )
                }
                Self::Key { .. } => {
                    key_model_crate::derive_support::debug_tuple(
                        __f,
                        "Key",
                        &[&key_model_crate::derive_support::Redacted],
                    )
                }
                Self::Anonymous { .. } => {
                    ::core::fmt::Formatter::write_str(__f, "Anonymous")
                }
            }
        }
    }
};
