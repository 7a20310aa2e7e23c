//! `#[derive(ConnectionSecrets)]` and `#[derive(ConnectionConfig)]`: a connection's secrets and config types
//! say, with `#[connection(…)]` on their fields, which field holds the credential for each auth method and
//! which names the account requests act for. The traits are `spec_runtime::client::{ConnectionSecrets,
//! ConnectionConfig}`.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Field, Fields, Ident, Type};

/// A marker a secrets field may carry, with the auth method it serves.
struct Marker {
    /// The word in `#[connection(…)]`.
    word: &'static str,
    /// The `spec_core::AuthKind` variant.
    kind: &'static str,
    /// The `spec_runtime::client::Credential` constructor taking the field's secret.
    constructor: &'static str,
}

/// The markers of a secrets field; `basic_password` is the password half of `basic`.
const MARKERS: &[Marker] = &[
    Marker {
        word: "api_key",
        kind: "ApiKey",
        constructor: "api_key",
    },
    Marker {
        word: "header",
        kind: "Header",
        constructor: "api_key",
    },
    Marker {
        word: "bearer",
        kind: "Bearer",
        constructor: "bearer",
    },
    Marker {
        word: "oauth2",
        kind: "OAuth2",
        constructor: "oauth_access_token",
    },
    Marker {
        word: "basic",
        kind: "Basic",
        constructor: "basic",
    },
];

const BASIC_PASSWORD: &str = "basic_password";
const WEBHOOK_SECRET: &str = "webhook_secret";
const ACCOUNT: &str = "account";

fn allowed_secrets() -> String {
    let mut words: Vec<String> = MARKERS.iter().map(|m| format!("`{}`", m.word)).collect();
    words.push(format!("`{BASIC_PASSWORD}`"));
    words.push(format!("`{WEBHOOK_SECRET}`"));
    words.join(", ")
}

/// The named fields of a struct, or an error naming the derive.
fn named_fields<'a>(input: &'a DeriveInput, derive: &str) -> syn::Result<Vec<&'a Field>> {
    match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => Ok(named.named.iter().collect()),
            Fields::Unit => Ok(Vec::new()),
            other => Err(syn::Error::new(other.span(), format!("{derive} needs named fields"))),
        },
        _ => Err(syn::Error::new(
            input.ident.span(),
            format!("{derive} derives for structs only"),
        )),
    }
}

/// The words of every `#[connection(…)]` attribute of a field, with their spans.
fn words(field: &Field) -> syn::Result<Vec<(String, Span)>> {
    let mut out = Vec::new();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("connection")) {
        attr.parse_nested_meta(|meta| {
            let ident = meta
                .path
                .get_ident()
                .ok_or_else(|| meta.error("expected a single word"))?;
            out.push((ident.to_string(), ident.span()));
            Ok(())
        })?;
    }
    Ok(out)
}

/// Whether a type is spelled `Option<…>`.
fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// The field's value as an `Option` of an owned clone.
fn cloned(ident: &Ident, ty: &Type) -> TokenStream {
    if is_option(ty) {
        quote!(::core::clone::Clone::clone(&self.#ident))
    } else {
        quote!(::core::option::Option::Some(::core::clone::Clone::clone(&self.#ident)))
    }
}

/// Expands `#[derive(ConnectionSecrets)]`, or the errors on the offending tokens.
pub(crate) fn derive_secrets(input: TokenStream) -> TokenStream {
    syn::parse2::<DeriveInput>(input)
        .and_then(|input| secrets(&input))
        .unwrap_or_else(|e| e.to_compile_error())
}

fn secrets(input: &DeriveInput) -> syn::Result<TokenStream> {
    let fields = named_fields(input, "ConnectionSecrets")?;
    // Per marker: the field carrying it (index into MARKERS), and the basic password field.
    let mut marked: Vec<Option<(&Field, Span)>> = vec![None; MARKERS.len()];
    let mut password: Option<(&Field, Span)> = None;
    let mut webhook: Option<(&Field, Span)> = None;
    for field in &fields {
        for (word, span) in words(field)? {
            let slot = if word == BASIC_PASSWORD {
                &mut password
            } else if word == WEBHOOK_SECRET {
                &mut webhook
            } else if let Some(i) = MARKERS.iter().position(|m| m.word == word) {
                &mut marked[i]
            } else {
                return Err(syn::Error::new(
                    span,
                    format!(
                        "unknown connection marker `{word}` on a secrets field; expected one of {}",
                        allowed_secrets()
                    ),
                ));
            };
            if let Some((first, _)) = slot {
                let first = first.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                return Err(syn::Error::new(
                    span,
                    format!("`{word}` is already the marker of field `{first}`; mark one field per auth method"),
                ));
            }
            *slot = Some((field, span));
        }
    }
    let basic = MARKERS.iter().position(|m| m.word == "basic");
    if let (Some((_, span)), Some(None)) = (password, basic.map(|i| marked[i])) {
        return Err(syn::Error::new(
            span,
            "`basic_password` needs a field marked `basic` (the user name)",
        ));
    }
    let arms = MARKERS.iter().zip(&marked).filter_map(|(m, slot)| {
        let (field, _) = (*slot)?;
        let ident = field.ident.as_ref()?;
        let kind = Ident::new(m.kind, Span::call_site());
        let constructor = Ident::new(m.constructor, Span::call_site());
        let value = cloned(ident, &field.ty);
        let body = if m.word == "basic" {
            let pw = match password.and_then(|(f, _)| f.ident.as_ref().map(|i| (i, &f.ty))) {
                Some((pw, ty)) if is_option(ty) => quote!(::core::clone::Clone::clone(&self.#pw)),
                Some((pw, _)) => quote!(::core::option::Option::Some(::core::clone::Clone::clone(&self.#pw))),
                None => quote!(::core::option::Option::None),
            };
            quote!(#value.map(|user| ::spec_runtime::client::Credential::basic(user, #pw)))
        } else {
            quote!(#value.map(::spec_runtime::client::Credential::#constructor))
        };
        Some(quote!(::spec_core::AuthKind::#kind => #body,))
    });
    let webhook = webhook
        .and_then(|(f, _)| f.ident.as_ref().map(|i| (i, &f.ty)))
        .map(|(ident, ty)| {
            let value = cloned(ident, ty);
            quote! {
                fn webhook_secret(&self) -> ::core::option::Option<::spec_core::Secret> {
                    #value
                }
            }
        });
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics ::spec_runtime::client::ConnectionSecrets for #name #ty_generics #where_clause {
            fn credential(
                &self,
                kind: ::spec_core::AuthKind,
            ) -> ::core::option::Option<::spec_runtime::client::Credential> {
                #[allow(unreachable_patterns)]
                match kind {
                    #(#arms)*
                    _ => ::core::option::Option::None,
                }
            }
            #webhook
        }
    })
}

/// Expands `#[derive(ConnectionConfig)]`, or the errors on the offending tokens.
pub(crate) fn derive_config(input: TokenStream) -> TokenStream {
    syn::parse2::<DeriveInput>(input)
        .and_then(|input| config(&input))
        .unwrap_or_else(|e| e.to_compile_error())
}

fn config(input: &DeriveInput) -> syn::Result<TokenStream> {
    let fields = named_fields(input, "ConnectionConfig")?;
    let mut account: Option<&Field> = None;
    for field in &fields {
        for (word, span) in words(field)? {
            if word != ACCOUNT {
                return Err(syn::Error::new(
                    span,
                    format!("unknown connection marker `{word}` on a config field; expected `{ACCOUNT}`"),
                ));
            }
            if let Some(first) = account {
                let first = first.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                return Err(syn::Error::new(
                    span,
                    format!("`{ACCOUNT}` is already the marker of field `{first}`; mark one field"),
                ));
            }
            account = Some(field);
        }
    }
    let body = account
        .and_then(|f| f.ident.as_ref().map(|i| (i, &f.ty)))
        .map(|(ident, ty)| {
            let value = if is_option(ty) {
                quote!(::core::option::Option::as_deref(&self.#ident))
            } else {
                quote!(::core::option::Option::Some(::core::convert::AsRef::<str>::as_ref(&self.#ident)))
            };
            quote! {
                fn account_id(&self) -> ::core::option::Option<&str> {
                    #value
                }
            }
        });
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics ::spec_runtime::client::ConnectionConfig for #name #ty_generics #where_clause {
            #body
        }
    })
}
