//! The validated declaration → thin generated code that calls spec-core's runtime.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{Ident, LitStr, Type};

use crate::ir::{Decl, Node, Obj};

/// What expansion needs from the IR, gathered once.
pub(crate) struct Parts<'a> {
    pub name: &'a Ident,
    pub config: Option<&'a Type>,
    pub secrets: Option<&'a Type>,
    pub config_example: Option<&'a Obj>,
    pub secrets_example: Option<&'a Obj>,
    pub actions: Vec<ActionParts<'a>>,
    pub events: Vec<(&'a LitStr, &'a Type)>,
}

/// One declared action.
pub(crate) struct ActionParts<'a> {
    pub method: &'a Ident,
    pub paginated: bool,
    pub docs: &'a [String],
    pub id: Option<&'a LitStr>,
    pub path: Option<&'a LitStr>,
    pub input: Option<&'a Type>,
    pub output: Option<&'a Type>,
    /// The declared page item type (`item: Conversation`), for paginated actions.
    pub item: Option<&'a Type>,
}

fn entry<'a>(o: &'a Obj, key: &str) -> Option<&'a Node> {
    o.entries.iter().find(|e| e.key.name == key).map(|e| &e.value)
}

impl<'a> Parts<'a> {
    pub fn gather(d: &'a Decl) -> Self {
        let mut p = Parts {
            name: &d.name,
            config: None,
            secrets: None,
            config_example: None,
            secrets_example: None,
            actions: Vec::new(),
            events: Vec::new(),
        };
        if let Some(Node::Typed { ty, example }) = entry(&d.body, "config") {
            p.config = Some(ty);
            p.config_example = example.as_ref();
        }
        if let Some(Node::Typed { ty, example }) = entry(&d.body, "secrets") {
            p.secrets = Some(ty);
            p.secrets_example = example.as_ref();
        }
        if let Some(Node::Array { items, .. }) = entry(&d.body, "actions") {
            for item in items {
                if let Node::Tagged { tag, body } = &item.node
                    && !p.actions.iter().any(|a| a.method == tag)
                {
                    let lit = |k| match entry(body, k) {
                        Some(Node::Str(s)) => Some(s),
                        _ => None,
                    };
                    let ty = |k| match entry(body, k) {
                        Some(Node::Type(t)) => Some(&**t),
                        _ => None,
                    };
                    p.actions.push(ActionParts {
                        method: tag,
                        paginated: matches!(entry(body, "paginated"), Some(Node::Bool(b)) if b.value),
                        docs: &item.docs,
                        id: lit("id"),
                        path: lit("path"),
                        input: ty("input"),
                        output: ty("output"),
                        item: ty("item"),
                    });
                }
            }
        }
        if let Some(Node::Object(ev)) = entry(&d.body, "events")
            && let Some(Node::Array { items, .. }) = entry(ev, "types")
        {
            for item in items {
                if let Node::Event { name, payload } = &item.node
                    && !p.events.iter().any(|(n, _)| n.value() == name.value())
                {
                    p.events.push((name, payload));
                }
            }
        }
        p
    }
}

/// `customer.subscription.trial_will_end` → `CustomerSubscriptionTrialWillEnd`.
fn camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn marker(p: &Parts<'_>) -> Ident {
    Ident::new(&camel(&p.name.to_string()), p.name.span())
}

/// Compile-time checks that path parameters and example keys are fields of their types.
fn field_checks(p: &Parts<'_>) -> TokenStream {
    let mut body = TokenStream::new();
    let mut args = TokenStream::new();
    for (i, a) in p.actions.iter().enumerate() {
        let (Some(input), Some(path)) = (a.input, a.path) else {
            continue;
        };
        let arg = format_ident!("__input{}", i);
        let params = spec_core::model::path_params(&path.value())
            .into_iter()
            .filter(|n| syn::parse_str::<Ident>(n).is_ok())
            .map(|n| Ident::new(n, path.span()))
            .collect::<Vec<_>>();
        if params.is_empty() {
            continue;
        }
        args.extend(quote!(#arg: &#input,));
        for param in params {
            body.extend(quote_spanned!(path.span()=> let _ = &#arg.#param;));
        }
    }
    for (ty, ex, arg) in [
        (p.config, p.config_example, format_ident!("__config")),
        (p.secrets, p.secrets_example, format_ident!("__secrets")),
    ] {
        let (Some(ty), Some(ex)) = (ty, ex) else { continue };
        args.extend(quote!(#arg: &#ty,));
        for e in &ex.entries {
            let Some(key) = &e.key.ident else { continue };
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

fn event_enum(p: &Parts<'_>) -> TokenStream {
    let variants: Vec<Ident> = p
        .events
        .iter()
        .map(|(n, _)| Ident::new(&camel(&n.value()), n.span()))
        .collect();
    let names: Vec<&LitStr> = p.events.iter().map(|(n, _)| *n).collect();
    let payloads: Vec<&Type> = p.events.iter().map(|(_, t)| *t).collect();
    let docs: Vec<String> = names.iter().map(|n| format!("`{}`", n.value())).collect();
    quote! {
        /// A verified event of this integration, typed by its event type. Types the declaration does not
        /// list are kept whole in [`Event::Unknown`]: nothing is dropped.
        #[derive(Debug, Clone)]
        pub enum Event {
            #( #[doc = #docs] #variants(#payloads), )*
            /// An event type this declaration does not list, with its object as received.
            Unknown {
                /// Upstream event type.
                event_type: ::std::string::String,
                /// The event's object, untouched.
                object: ::spec_core::__private::serde_json::Value,
            },
        }

        impl Event {
            /// Every declared upstream event type, in declaration order.
            pub const TYPES: &'static [&'static str] = &[#(#names),*];

            /// Types the event `object` by its upstream `event_type`; unknown types become [`Event::Unknown`].
            pub fn parse(
                event_type: &str,
                object: ::spec_core::__private::serde_json::Value,
            ) -> ::std::result::Result<Self, ::spec_core::__private::serde_json::Error> {
                match event_type {
                    #( #names => ::spec_core::__private::serde_json::from_value(object).map(Event::#variants), )*
                    _ => ::std::result::Result::Ok(Event::Unknown { event_type: event_type.to_string(), object }),
                }
            }

            /// Types `object`, the JSON text of the event's object, by its upstream `event_type`, deserializing
            /// straight from the text; unknown types become [`Event::Unknown`].
            pub fn parse_json(
                event_type: &str,
                object: &str,
            ) -> ::std::result::Result<Self, ::spec_core::__private::serde_json::Error> {
                match event_type {
                    #( #names => ::spec_core::__private::serde_json::from_str(object).map(Event::#variants), )*
                    _ => ::spec_core::__private::serde_json::from_str(object)
                        .map(|object| Event::Unknown { event_type: event_type.to_string(), object }),
                }
            }

            /// The upstream event type.
            pub fn event_type(&self) -> &str {
                match self {
                    #( Event::#variants(_) => #names, )*
                    Event::Unknown { event_type, .. } => event_type,
                }
            }
        }

        impl ::spec_runtime::event::TypedEvent for Event {
            fn from_json(
                event_type: &str,
                object: &str,
            ) -> ::std::result::Result<Self, ::spec_core::__private::serde_json::Error> {
                Self::parse_json(event_type, object)
            }
        }
    }
}

fn action_descriptors(p: &Parts<'_>, marker: &Ident) -> TokenStream {
    let mut structs = TokenStream::new();
    let mut impls = TokenStream::new();
    for a in &p.actions {
        let (Some(id), Some(input), Some(output)) = (a.id, a.input, a.output) else {
            continue;
        };
        let ty = Ident::new(&camel(&a.method.to_string()), a.method.span());
        let doc = if a.docs.is_empty() {
            format!("Action `{}`.", id.value())
        } else {
            format!("`{}`: {}", id.value(), a.docs.join(" "))
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

/// The item type of a paged output without a declared `item`: `T` of `List<T>` / `Vec<T>`, else untyped JSON.
fn page_item(output: &Type) -> TokenStream {
    if let Type::Path(tp) = output
        && let Some(last) = tp.path.segments.last()
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
        && args.args.len() == 1
        && let Some(syn::GenericArgument::Type(item)) = args.args.first()
    {
        return quote!(#item);
    }
    quote!(::spec_core::__private::serde_json::Value)
}

/// The typed client: one method per action, auto-paging streams for paged actions.
fn client(p: &Parts<'_>) -> TokenStream {
    let provider = p.name.to_string();
    let mut methods = TokenStream::new();
    for a in &p.actions {
        let (Some(id), Some(input), Some(output)) = (a.id, a.input, a.output) else {
            continue;
        };
        let ty = Ident::new(&camel(&a.method.to_string()), a.method.span());
        let method = a.method;
        let doc = if a.docs.is_empty() {
            format!("Calls `{}`.", id.value())
        } else {
            a.docs.join(" ")
        };
        methods.extend(quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = "Returns a request: set an idempotency key if you like, then `.send().await` (or `.await` it)."]
            pub fn #method(&self, input: &#input) -> ::spec_runtime::client::ActionRequest<'_, #output> {
                self.rest.call::<actions::#ty>(input)
            }
        });
        if a.paginated {
            let all = format_ident!("{}_all", a.method);
            let item = a.item.map_or_else(|| page_item(output), |t| quote!(#t));
            let doc = format!(
                "Every item of `{}`, fetched page by page as the stream is read.",
                id.value()
            );
            methods.extend(quote! {
                #[doc = #doc]
                pub fn #all(
                    &self,
                    input: &#input,
                ) -> impl ::spec_runtime::__private::futures_util::Stream<
                    Item = ::std::result::Result<#item, ::spec_runtime::client::ClientError>,
                > + Send + 'static {
                    self.rest.paginate::<#item>(
                        <actions::#ty as ::spec_core::ActionDescriptor>::action(),
                        input,
                    )
                }
            });
        }
    }
    let doc = format!(
        "Typed client of the `{provider}` integration: one method per action, retries, rate limits and \
         idempotency keys handled by `spec_runtime::client::RestClient`."
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            rest: ::spec_runtime::client::RestClient,
        }

        impl Client {
            /// A client builder loaded with this integration's spec. Give it a credential (or
            /// `.connection(&secrets, &config, auth)`), optionally a base URL or API version, then build.
            pub fn builder() -> ::spec_runtime::client::ClientBuilder {
                ::spec_runtime::client::RestClient::builder(spec())
            }

            /// Wraps a built [`RestClient`](::spec_runtime::client::RestClient) of this integration.
            pub fn new(rest: ::spec_runtime::client::RestClient) -> Self {
                Self { rest }
            }

            /// The untyped client underneath, for `invoke`, `health_check` and paging by action id.
            pub fn rest(&self) -> &::spec_runtime::client::RestClient {
                &self.rest
            }

            /// Calls an action by id with JSON input validated against its schema (for workflow engines).
            pub async fn invoke(
                &self,
                action_id: &str,
                input: ::spec_core::__private::serde_json::Value,
            ) -> ::std::result::Result<::spec_core::__private::serde_json::Value, ::spec_runtime::client::ClientError> {
                self.rest.invoke(action_id, input).await
            }

            /// Runs the spec's health check.
            pub async fn health_check(
                &self,
            ) -> ::std::result::Result<::spec_runtime::client::Health, ::spec_runtime::client::ClientError> {
                self.rest.health_check().await
            }

            #methods
        }
    }
}

fn schema_fills(p: &Parts<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    let schema = |t: &Type| quote!(::spec_core::__private::schema_of::<#t>());
    if let Some(t) = p.config {
        let s = schema(t);
        out.extend(quote!(spec.config.schema = #s;));
    }
    if let Some(t) = p.secrets {
        let s = schema(t);
        out.extend(quote!(spec.secrets.schema = #s;));
    }
    for (i, a) in p.actions.iter().enumerate() {
        if let (Some(inp), Some(outp)) = (a.input, a.output) {
            let (si, so) = (schema(inp), schema(outp));
            out.extend(quote! {
                if let Some(a) = spec.actions.get_mut(#i) {
                    a.input.schema = #si;
                    a.output.schema = #so;
                }
            });
        }
    }
    if !p.events.is_empty() {
        let fills = p.events.iter().enumerate().map(|(i, (_, t))| {
            let s = schema(t);
            quote!(if let Some(t) = ev.types.get_mut(#i) { t.payload.schema = #s; })
        });
        out.extend(quote! {
            if let Some(ev) = spec.events.as_mut() { #(#fills)* }
        });
    }
    out
}

fn common(p: &Parts<'_>, spec_body: TokenStream) -> TokenStream {
    let marker = marker(p);
    let provider = p.name.to_string();
    let provider_doc = format!("The `{provider}` integration: its spec and types, for generic code.");
    let config = p
        .config
        .map_or_else(|| quote!(::spec_core::__private::serde_json::Value), |t| quote!(#t));
    let secrets = p
        .secrets
        .map_or_else(|| quote!(::spec_core::__private::serde_json::Value), |t| quote!(#t));
    let events = event_enum(p);
    let actions = action_descriptors(p, &marker);
    let client = client(p);
    quote! {
        #[doc = #provider_doc]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #marker;

        impl ::spec_core::Integration for #marker {
            const PROVIDER: &'static str = #provider;
            type Config = #config;
            type Secrets = #secrets;
            fn spec() -> &'static ::spec_core::IntegrationSpec {
                spec()
            }
        }

        /// The validated spec of this integration, with the JSON Schemas of its types.
        pub fn spec() -> &'static ::spec_core::IntegrationSpec {
            #spec_body
        }

        #actions
        #events
        #client
    }
}

/// Expansion of a valid declaration.
pub(crate) fn expand(p: &Parts<'_>, spec_json: &str) -> TokenStream {
    let fills = schema_fills(p);
    let json = LitStr::new(spec_json, Span::call_site());
    let body = quote! {
        static SPEC: ::std::sync::OnceLock<::spec_core::IntegrationSpec> = ::std::sync::OnceLock::new();
        SPEC.get_or_init(|| {
            let mut spec = ::spec_core::__private::from_generated(#json);
            #fills
            spec
        })
    };
    let mut out = common(p, body);
    out.extend(field_checks(p));
    out
}

/// Expansion of a declaration with errors: the errors, plus stub items so that code using the
/// integration does not report a second wave of unrelated errors.
pub(crate) fn expand_with_errors(p: &Parts<'_>, errors: TokenStream) -> TokenStream {
    let body = quote! {
        ::std::unimplemented!("the integration declaration has errors")
    };
    let mut out = errors;
    out.extend(common(p, body));
    out.extend(field_checks(p));
    out
}
