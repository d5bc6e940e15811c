// #[derive(RedactedDisplay)] on:
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
    impl<'a, T, U: Clone> ::core::fmt::Display for Tagged<'a, T, U>
    where
        T: Copy,
        T: key_model_crate::derive_support::DisplayUnredacted,
    {
        fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                Self { label: __field_label, value: __field_value, .. } => {
                    ::core::fmt::Formatter::write_fmt(
                        __f,
                        ::core::format_args!(
                            "{__arg0}: {__arg1}", __arg0 = &
                            key_model_crate::derive_support::display_unredacted:: < & 'a
                            str > (__field_label), __arg1 = &
                            key_model_crate::derive_support::display_unredacted:: < T >
                            (__field_value)
                        ),
                    )
                }
            }
        }
    }
};
