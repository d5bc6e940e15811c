//! Writes the impls of a boundary derive.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};

use crate::dummy;
use crate::options::Krate;
use crate::span::respan;

use super::Kind;
use super::ast::Input;

/// The impls of `#[derive(<kind>)]` on a valid `input`: `unsafe impl
/// SecretFree`, the `unsafe impl` of `kind` and of each kind in `also`, and
/// the proof that every field is secret-free.
pub(crate) fn impls(input: &Input<'_>, kind: Kind, also: &[Kind], krate: &Krate) -> TokenStream {
    let import = &krate.import;
    let full = &krate.full;
    let mut fresh = krate.fresh.clone();
    let seen = fresh.seen;
    let krate = &krate.path;
    let ident = &input.original.ident;
    let generics = with_bounds(&input.original.generics, krate);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let proof_generics = with_bounds(&input.original.generics, full);
    let (proof_generics, _, proof_where) = proof_generics.split_for_impl();

    // The proof is a struct nobody builds: one field per field of the
    // input, of type `SecretFreeField<FieldType>`, a struct declared here
    // whose parameter must be `SecretFree`. Item signatures are checked
    // before any function body, so when the type also derives `Serialize`,
    // this error about the field comes before serde's about the same field
    // (whose advice, to make a secret serializable, is the wrong one). A
    // struct has no body for rustc to check, build and borrow-check, which
    // the free function of before had (docs/performance.md); a method of
    // a trait neither, but a trait object in a field type is then
    // reported twice, the second time with advice to write `Self`. Each
    // field is spanned at the field's type and built from its own
    // tokens, so the error is at the field (and through a type alias or a
    // macro, at what the user wrote). The bound names the trait through
    // the same path as the impl: were `crate = "..."` pointed at a
    // look-alike module, the check could not be made toothless while the
    // impl stayed real. The impl itself has no field bounds, so a field of
    // type `Vec<Self>` is proven by the impl being written.
    let field_struct = fresh.ident("SecretFreeField", Span::call_site());
    let self_ty = quote!(#ident #ty_generics);
    let field_struct_name = field_struct.to_string();
    let mut macro_call = false;
    let fields: Vec<_> = input
        .fields
        .iter()
        .filter_map(|field| {
            // A type from a `macro_rules!` fragment (`$ty`) comes in an
            // invisible group spanned in the macro's body; the type inside
            // is what the user wrote, and where the error must point.
            let mut ty = field.ty;
            while let syn::Type::Group(group) = ty {
                ty = &group.elem;
            }
            // The type's tokens are made once and walked once: each walk
            // crosses the compiler's bridge token by token, and the walks
            // were most of the derive's time per field (docs/performance.md).
            let tokens = ty.to_token_stream();
            let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
            let marks = if seen.underscore || seen.self_ty || seen.bang {
                Marks::of(trees.iter().cloned())
            } else {
                // None of what the walk looks for is in the input.
                Marks::default()
            };
            // A field whose type has `_` is already an error at the field.
            if marks.placeholder {
                return None;
            }
            macro_call |= marks.macro_call;
            // `ty.span()`: the first token's span, joined to the last's
            // where the compiler can.
            let (first, last) = (trees.first()?.span(), trees.last()?);
            let span = first.join(last.span()).unwrap_or(first);
            let end = match last {
                TokenTree::Group(group) => group.span_close(),
                other => other.span(),
            };
            let ty = if marks.self_ty {
                replace_self(tokens, &self_ty)
            } else {
                tokens
            };
            // The type from the field type's first token to its last, so
            // that the error's span is the field's type and nothing more
            // (stable `Span` cannot join two spans itself).
            let field_struct = syn::Ident::new(&field_struct_name, span);
            let close = quote_spanned!(end=> >);
            Some((
                &field.cfgs,
                span,
                quote_spanned!(span=> #field_struct<#ty #close),
            ))
        })
        .collect();
    // The proof is a struct with one field per field, or, when a field's
    // type calls a macro, a function with one parameter per field: a
    // macro's arguments are left as written (see `replace_self`), and a
    // `Self` from a macro would name the proof struct, the one generated
    // name a message would then show, where in a free function it is an
    // error that names nothing of ours (E0411).
    let proof = if macro_call {
        let proof = fresh.ident("secret_free_proof", Span::call_site());
        let params = fields
            .iter()
            .map(|(cfgs, span, ty)| quote_spanned!(*span=> #(#cfgs)* _: #ty));
        quote!(fn #proof #proof_generics (#(#params),*) #proof_where {})
    } else {
        let proof = fresh.ident("SecretFreeProof", Span::call_site());
        let fields = fields.iter().map(|(cfgs, _, ty)| quote!(#(#cfgs)* #ty));
        let phantom = phantom(&input.original.generics);
        quote!(struct #proof #proof_generics (#(#fields,)* #phantom) #proof_where;)
    };
    // In a block of its own, without the import: every name in a field's
    // type must mean there what it means at the field, and the import is
    // the one name a field type from a macro could reach (`Krate::full`).
    // What else the block declares is the field struct and the proof,
    // neither of them secret-free.
    let proof = quote! {
        // One lint attribute, no `#[doc(hidden)]` (the block has nothing
        // to document): the proof, never built or called, is allowed dead,
        // and the field struct it uses is then in use; `clippy::all`
        // covers a function's many parameters. Each attribute costs rustc
        // about as much as the field struct (docs/performance.md).
        #[allow(dead_code, non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
        const _: () = {
            struct #field_struct<T: ?Sized + #full::SecretFree>(::core::marker::PhantomData<T>);
            #proof
        };
    };

    // The `unsafe` tokens are this macro's own, not the user's: a crate
    // that forbids `unsafe_code` can derive, and cannot write the impl.
    //
    // `do_not_recommend` on the `SecretFree` impl keeps the compiler from
    // answering a field's error with "`SecretFree` is implemented for
    // <this DTO>", and keeps user types out of other errors' lists.
    let secret_free = quote! {
        #[diagnostic::do_not_recommend]
        unsafe impl #impl_generics #krate::SecretFree for #ident #ty_generics #where_clause {}
    };
    let kinds = core::iter::once(kind)
        .chain(also.iter().copied())
        .filter(|kind| *kind != Kind::SecretFree)
        .map(|kind| {
            let name = syn::Ident::new(kind.name(), Span::call_site());
            // Spanned at the type's name: an impl the compiler sees as
            // written by a derive gets, under an error of a generic DTO's
            // parameter, "consider manually implementing `ApiDto` to avoid
            // undesired bounds", an invitation to a hand-written `unsafe
            // impl`, where the bound is the very requirement.
            // The where clause keeps its spans: `T: SecretFree` at the
            // user's `T`, the requirement the message then points at.
            // `unsafe` keeps the derive's span: at the user's, a crate that
            // forbids `unsafe_code` could not derive.
            // Written as one `unsafe impl`, so that the audit (G9) finds it
            // in this macro's body.
            let header = quote!(unsafe impl #impl_generics #krate::#name for #ident #ty_generics);
            let mut tokens = header.into_iter();
            let header: TokenStream = tokens
                .next()
                .into_iter()
                .chain(respan(tokens.collect(), ident.span()))
                .collect();
            let body = respan(quote!({}), ident.span());
            quote!(#header #where_clause #body)
        });
    let one_kind = quote! {
        impl #impl_generics #krate::derive_support::DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso
            for #ident #ty_generics #where_clause {}
    };
    // The kinds' impls are not marked `#[automatically_derived]` either:
    // with it the compiler also adds "consider manually implementing".
    let kinds: TokenStream = kinds.collect();
    let impls = dummy::wrap(&quote!(#import #kinds), [one_kind, secret_free]);
    quote!(#proof #impls)
}

/// `tokens` with every `Self` replaced by the type it stands for: in the
/// proof, `Self` would name the proof struct (or, in the proof function,
/// nothing).
///
/// A macro's arguments are left as written: a macro may match `Self` as a
/// token (`(Self) => { KeyMaterial }; ($t:tt) => { u8 }`), and the proof
/// would check another type than the field has. A macro that expands to
/// `Self` is then an error in the proof function (E0411), never a skipped
/// check.
fn replace_self(tokens: TokenStream, self_ty: &TokenStream) -> TokenStream {
    let mut after_bang = false;
    tokens
        .into_iter()
        .flat_map(|tt| {
            let macro_arguments = after_bang;
            after_bang = matches!(&tt, TokenTree::Punct(punct) if punct.as_char() == '!');
            if macro_arguments && matches!(tt, TokenTree::Group(_)) {
                return vec![tt];
            }
            replace_self_token(tt, self_ty)
        })
        .collect()
}

/// One token of [`replace_self`]: `Self` replaced, a group rewritten.
fn replace_self_token(tt: TokenTree, self_ty: &TokenStream) -> Vec<TokenTree> {
    match tt {
        TokenTree::Ident(ident) if ident == "Self" => {
            // Spanned at the user's `Self`, so an error points there.
            let span = ident.span();
            self_ty
                .clone()
                .into_iter()
                .map(|mut tt| {
                    tt.set_span(span);
                    tt
                })
                .collect::<Vec<_>>()
        }
        TokenTree::Group(group) => {
            let mut new =
                proc_macro2::Group::new(group.delimiter(), replace_self(group.stream(), self_ty));
            new.set_span(group.span());
            vec![TokenTree::Group(new)]
        }
        other => vec![other],
    }
}

/// What a field type's tokens hold outside a macro's arguments, found in
/// one walk: a `_` (see [`crate::fresh::has_placeholder`], whose rule this is)
/// and a `Self` (see [`replace_self`], which leaves the type as written
/// when there is none).
#[derive(Default)]
struct Marks {
    placeholder: bool,
    self_ty: bool,
    /// A `!`: a macro call (or the never type), whose arguments are left
    /// as written.
    macro_call: bool,
}

impl Marks {
    fn of(trees: impl Iterator<Item = TokenTree>) -> Marks {
        let mut marks = Marks::default();
        marks.walk(trees);
        marks
    }

    fn walk(&mut self, trees: impl Iterator<Item = TokenTree>) {
        let mut after_bang = false;
        for tt in trees {
            let macro_arguments = after_bang;
            after_bang = matches!(&tt, TokenTree::Punct(punct) if punct.as_char() == '!');
            self.macro_call |= after_bang;
            match tt {
                TokenTree::Ident(ident) => {
                    // One string per identifier: comparing an `Ident` to a
                    // `str` makes one each time.
                    let name = ident.to_string();
                    self.placeholder |= name == "_";
                    self.self_ty |= name == "Self";
                }
                TokenTree::Punct(punct) => self.placeholder |= punct.as_char() == '_',
                TokenTree::Group(_) if macro_arguments => {}
                TokenTree::Group(group) => self.walk(group.stream().into_iter()),
                TokenTree::Literal(_) => {}
            }
        }
    }
}

/// A field that uses every lifetime and type parameter of `generics`,
/// which a struct must (E0392), whether or not the fields do; nothing when
/// there are none. `*const T` is sized for any `T`.
fn phantom(generics: &syn::Generics) -> TokenStream {
    let lifetimes: Vec<_> = generics.lifetimes().map(|param| &param.lifetime).collect();
    let types: Vec<_> = generics.type_params().map(|param| &param.ident).collect();
    if lifetimes.is_empty() && types.is_empty() {
        return TokenStream::new();
    }
    quote!(::core::marker::PhantomData<(#(&#lifetimes (),)* #(*const #types,)*)>)
}

/// The input's generics, with `T: SecretFree` for every type parameter `T`:
/// `Page<T>` is secret-free only for a secret-free `T`, so `Page<KeyMaterial>`
/// fails where it is used.
fn with_bounds(generics: &syn::Generics, krate: &syn::Path) -> syn::Generics {
    let mut generics = generics.clone();
    let params: Vec<syn::Ident> = generics.type_params().map(|p| p.ident.clone()).collect();
    let where_clause = generics.make_where_clause();
    for param in params {
        // At the user's parameter: a predicate spanned in the derive's
        // expansion has the compiler say "type parameter would need to
        // implement `ApiDto`" and "consider manually implementing
        // `ApiDto`", an invitation to a hand-written `unsafe impl`; the
        // requirement is the parameter's, and it is shown there.
        let predicate = respan(quote!(#param: #krate::SecretFree), param.span());
        where_clause.predicates.push(syn::parse_quote!(#predicate));
    }
    generics
}
