//! The generated builder and `Deserialize` impl; the loop over members is `spec_runtime::open::deserialize`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{DeriveInput, GenericParam, Index};

use super::parse::OpenStruct;

/// `impl Deserialize` for the struct through a `spec_runtime::open::Fields` builder of one `Option` slot per
/// modelled field and the extra map.
pub(crate) fn expand(input: &DeriveInput, s: &OpenStruct<'_>) -> TokenStream {
    let ident = &input.ident;
    let open = quote!(::spec_runtime::open);
    let serde = quote!(::spec_core::__private::serde);
    let builder = format_ident!("__{}Fields", ident);
    let params: Vec<_> = input
        .generics
        .params
        .iter()
        .filter_map(|p| match p {
            GenericParam::Type(t) => Some(&t.ident),
            _ => None,
        })
        .collect();
    let (_, ty_generics, where_clause) = input.generics.split_for_impl();
    let where_preds = where_clause.map(|w| &w.predicates);
    let bounds = quote!(#(#params: #serde::Deserialize<'de>,)* #where_preds);

    let slot_types = s.fields.iter().map(|f| {
        let ty = f.ty;
        quote!(::core::option::Option<#ty>)
    });
    let extra_ty = s.extra_ty;
    let n = s.fields.len();
    let extra_index = Index::from(n);
    let marker_index = Index::from(n + 1);
    let nones = s.fields.iter().map(|_| quote!(::core::option::Option::None));
    let names = s.fields.iter().enumerate().map(|(i, f)| {
        let name = &f.name;
        quote!(#name => ::core::option::Option::Some(#i),)
    });
    let arms = s.fields.iter().enumerate().map(|(i, f)| {
        let slot = Index::from(i);
        let name = &f.name;
        quote!(#i => #open::set(&mut self.#slot, #name, map),)
    });
    let inits = s.fields.iter().enumerate().map(|(i, f)| {
        let slot = Index::from(i);
        let field = f.ident;
        let name = &f.name;
        if f.default {
            quote!(#field: self.#slot.unwrap_or_default(),)
        } else {
            quote!(#field: #open::required(self.#slot, #name)?,)
        }
    });
    let extra = s.extra;
    let name = ident.to_string();
    quote! {
        const _: () = {
            struct #builder<#(#params),*>(
                #(#slot_types,)*
                #extra_ty,
                ::core::marker::PhantomData<fn() -> (#(#params,)*)>,
            );

            impl<#(#params),*> ::core::default::Default for #builder<#(#params),*> {
                fn default() -> Self {
                    Self(#(#nones,)* ::core::default::Default::default(), ::core::marker::PhantomData)
                }
            }

            impl<'de, #(#params),*> #open::Fields<'de> for #builder<#(#params),*> where #bounds {
                type Object = #ident #ty_generics;
                const NAME: &'static str = #name;

                fn index(name: &str) -> ::core::option::Option<usize> {
                    match name {
                        #(#names)*
                        _ => ::core::option::Option::None,
                    }
                }

                fn known<__A: #serde::de::MapAccess<'de>>(
                    &mut self,
                    index: usize,
                    map: &mut __A,
                ) -> ::core::result::Result<(), __A::Error> {
                    match index {
                        #(#arms)*
                        _ => ::core::result::Result::Ok(()),
                    }
                }

                fn unknown<__A: #serde::de::MapAccess<'de>>(
                    &mut self,
                    name: ::std::borrow::Cow<'de, str>,
                    map: &mut __A,
                ) -> ::core::result::Result<(), __A::Error> {
                    #open::keep(&mut self.#extra_index, name, map)
                }

                fn finish<__E: #serde::de::Error>(self) -> ::core::result::Result<Self::Object, __E> {
                    let _ = self.#marker_index;
                    ::core::result::Result::Ok(#ident {
                        #(#inits)*
                        #extra: self.#extra_index,
                    })
                }
            }

            impl<'de, #(#params),*> #serde::Deserialize<'de> for #ident #ty_generics where #bounds {
                fn deserialize<__D: #serde::Deserializer<'de>>(d: __D) -> ::core::result::Result<Self, __D::Error> {
                    #open::deserialize::<#builder<#(#params),*>, __D>(d)
                }
            }
        };
    }
}
