//! The one wrapper of every derive's output.

use proc_macro2::TokenStream;
use quote::quote;

/// Wraps the generated `impls` (each marked `#[automatically_derived]`) and
/// their `helpers` in `const _: () = { ... };`: helper items (the field
/// markers of the redacting derives) stay out of the user's namespace, and
/// lints the user enables (pedantic clippy, `unused_qualifications` on our
/// fully qualified paths) do not fire on code the user did not write.
pub(crate) fn wrap(
    helpers: &TokenStream,
    impls: impl IntoIterator<Item = TokenStream>,
) -> TokenStream {
    let impls = impls.into_iter();
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
        const _: () = {
            #helpers
            #(
                #[automatically_derived]
                #impls
            )*
        };
    }
}
