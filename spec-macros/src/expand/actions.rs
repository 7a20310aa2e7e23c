//! One descriptor type per action, and the compile-time checks that path parameters and example keys are
//! fields of their types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use super::Plan;

/// `actions::CustomerList` and its `ActionDescriptor` impl, for each action.
pub(super) fn descriptors(p: &Plan<'_>, marker: &Ident) -> TokenStream {
    let mut structs = TokenStream::new();
    let mut impls = TokenStream::new();
    for a in &p.actions {
        let (ty, id, input, output) = (&a.ty, &a.model.id, a.input, a.output);
        let doc = if a.docs.is_empty() {
            format!("Action `{id}`.")
        } else {
            format!("`{id}`: {}", a.docs.join(" "))
        };
        structs.extend(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, Default)]
            pub struct #ty;
        });
        // Implemented outside `actions` so that the declared types resolve where they were written, even
        // when a descriptor and an input type share a name.
        impls.extend(quote! {
            impl ::spec_core::ActionDescriptor for actions::#ty {
                type Integration = #marker;
                const ID: &'static str = #id;
                type Input = #input;
                type Output = #output;
            }
        });
    }
    quote! {
        /// One descriptor per declared action: id, input and output types (method and path are in the spec).
        pub mod actions {
            #structs
        }
        #impls
    }
}

/// Compile-time checks that path parameters and example keys are fields of their types.
pub(super) fn field_checks(p: &Plan<'_>) -> TokenStream {
    let mut body = TokenStream::new();
    let mut args = TokenStream::new();
    for a in &p.actions {
        let Some(span) = a.path_span else { continue };
        let params = a
            .model
            .path_params()
            .into_iter()
            .filter(|n| syn::parse_str::<Ident>(n).is_ok())
            .map(|n| Ident::new(n, span))
            .collect::<Vec<_>>();
        if params.is_empty() {
            continue;
        }
        let (arg, input) = (format_ident!("__input{}", a.index), a.input);
        args.extend(quote!(#arg: &#input,));
        for param in params {
            body.extend(quote_spanned!(span=> let _ = &#arg.#param;));
        }
    }
    for (t, arg) in [
        (p.config, format_ident!("__config")),
        (p.secrets, format_ident!("__secrets")),
    ] {
        let Some(t) = t else { continue };
        if t.example_fields.is_empty() {
            continue;
        }
        let ty = t.ty;
        args.extend(quote!(#arg: &#ty,));
        for key in &t.example_fields {
            body.extend(quote_spanned!(key.span()=> let _ = &#arg.#key;));
        }
    }
    if body.is_empty() {
        return TokenStream::new();
    }
    quote! {
        const _: () = {
            #[allow(dead_code, unused_variables, clippy::all)]
            fn __declared_fields_exist(#args) { #body }
        };
    }
}
