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
    mod __fields {
        #[allow(non_camel_case_types, dead_code)]
        pub struct user;
        #[allow(non_camel_case_types, dead_code)]
        pub struct field_0;
    }
    #[automatically_derived]
    impl ::core::fmt::Display for Login {
        fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                Self::Password { user: __field_user, .. } => {
                    ::core::write!(
                        __f, "password for {__arg0}", __arg0 = &
                        ::key_model::derive_support::display_unredacted:: < String,
                        __fields::user > (__field_user)
                    )
                }
                Self::Token { 0: __field_0, .. } => {
                    ::core::write!(
                        __f, "token {__arg0}", __arg0 = &
                        ::key_model::derive_support::display_unredacted:: < String,
                        __fields::field_0 > (__field_0)
                    )
                }
                Self::Key { .. } => ::core::write!(__f, "key"),
                Self::Anonymous { .. } => ::core::write!(__f, "anonymous"),
            }
        }
    }
};
