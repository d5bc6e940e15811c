// #[derive(RedactedDisplay)] on:
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
    impl ::core::fmt::Display for Login {
        fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                Self::Password { user: __field_user, .. } => {
                    ::core::fmt::Formatter::write_fmt(
                        __f,
                        ::core::format_args!(
                            "password for {__arg0}", __arg0 = &
                            key_model_crate::derive_support::display_unredacted:: <
                            String > (__field_user)
                        ),
                    )
                }
                Self::Token { 0: __field_0, .. } => {
                    ::core::fmt::Formatter::write_fmt(
                        __f,
                        ::core::format_args!(
                            "token {__arg0}", __arg0 = &
                            key_model_crate::derive_support::display_unredacted:: <
                            String > (__field_0)
                        ),
                    )
                }
                Self::Key { .. } => {
                    ::core::fmt::Formatter::write_fmt(__f, ::core::format_args!("key"))
                }
                Self::Anonymous { .. } => {
                    ::core::fmt::Formatter::write_fmt(
                        __f,
                        ::core::format_args!("anonymous"),
                    )
                }
            }
        }
    }
};
