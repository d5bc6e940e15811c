// #[derive(RedactedDebug)] on:
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
    impl<'a, T, U: Clone> ::core::fmt::Debug for Tagged<'a, T, U>
    where
        T: Copy,
        T: ::core::fmt::Debug,
    {
        #[inline]
        fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            match self {
                Self {
                    label: __field_label,
                    value: __field_value,
                    marker: __field_marker,
                    ..
                } => {
                    key_model_crate::derive_support::debug_struct(
                        __f,
                        "Tagged",
                        &["label", "value", "secret", "marker"],
                        &[
                            key_model_crate::derive_support::debug_sized_field::<
                                &'a str,
                            >(__field_label),
                            key_model_crate::derive_support::debug_sized_field::<
                                T,
                            >(__field_value),
                            &key_model_crate::derive_support::Redacted,
                            key_model_crate::derive_support::debug_field::<
                                PhantomData<U>,
                            >(&__field_marker),
                        ],
                    )
                }
            }
        }
    }
};
