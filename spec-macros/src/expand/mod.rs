//! The validated model, joined with the declaration's Rust tokens → thin generated code that calls spec-core
//! and spec-runtime. The model says what each action and event is; the tokens ([`Tokens`]) say how Rust spells
//! it. On error the same items are emitted as stubs, from the parts of the model that did build.

mod actions;
mod client;
mod events;

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use spec_core::case::pascal_case;
use syn::{Ident, LitStr, Type};

use crate::check::Partial;
use crate::side::{Tokens, TypeTokens};
use spec_core::{Action, EventType, IntegrationSpec};

/// What expansion reads: each model action and event type with its tokens, in declaration order.
struct Plan<'a> {
    name: &'a Ident,
    config: Option<&'a TypeTokens<'a>>,
    secrets: Option<&'a TypeTokens<'a>>,
    actions: Vec<ActionPlan<'a>>,
    events: Vec<EventPlan<'a>>,
}

/// One action: the model's facts and the declaration's tokens.
struct ActionPlan<'a> {
    /// Position in the spec's `actions`.
    index: usize,
    model: &'a Action,
    /// The client method (`customer_list`).
    method: &'a Ident,
    /// The descriptor type (`CustomerList`).
    ty: Ident,
    docs: &'a [String],
    path_span: Option<Span>,
    input: &'a Type,
    output: &'a Type,
    item: Option<&'a Type>,
}

/// One event type.
struct EventPlan<'a> {
    /// Position in the spec's `events.types`.
    index: usize,
    /// The upstream type, spanned where it was written.
    name: LitStr,
    /// The `Event` variant (`CustomerCreated`).
    variant: Ident,
    payload: &'a Type,
}

impl<'a> Plan<'a> {
    /// Joins the model's actions and event types with their tokens. Items without tokens (written as plain
    /// objects rather than as Rust types) and repeated names (only in declarations with errors) are left out.
    fn new(tokens: &'a Tokens<'a>, actions: &'a [Action], event_types: &'a [EventType]) -> Self {
        let mut plan = Plan {
            name: tokens.name,
            config: tokens.config.as_ref(),
            secrets: tokens.secrets.as_ref(),
            actions: Vec::new(),
            events: Vec::new(),
        };
        // Names already planned, to leave repeats out in one lookup each (a scan of the plan per item made
        // expansion quadratic in the number of actions and events).
        let mut methods = HashSet::new();
        let mut event_names = HashSet::new();
        for (index, model) in actions.iter().enumerate() {
            let Some(t) = tokens.action(&model.method_name) else {
                continue;
            };
            let (Some(input), Some(output)) = (t.input, t.output) else {
                continue;
            };
            if !methods.insert(model.method_name.as_str()) {
                continue;
            }
            plan.actions.push(ActionPlan {
                index,
                model,
                method: t.method,
                ty: Ident::new(&pascal_case(&model.method_name), t.method.span()),
                docs: t.docs,
                path_span: t.path_span,
                input,
                output,
                item: model.item.as_ref().and(t.item),
            });
        }
        for (index, model) in event_types.iter().enumerate() {
            let Some(t) = tokens.event(&model.event_type) else {
                continue;
            };
            if !event_names.insert(model.event_type.as_str()) {
                continue;
            }
            plan.events.push(EventPlan {
                index,
                name: LitStr::new(&model.event_type, t.name_span),
                variant: Ident::new(&pascal_case(&model.event_type), t.name_span),
                payload: t.payload,
            });
        }
        plan
    }
}

/// Fills each declared type's JSON Schema into the spec, from the Rust type.
fn schema_fills(p: &Plan<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    let schema = |t: &Type| quote!(::spec_core::__private::schema_of::<#t>());
    if let Some(t) = p.config {
        let s = schema(t.ty);
        out.extend(quote!(spec.config.schema = #s;));
    }
    if let Some(t) = p.secrets {
        let s = schema(t.ty);
        out.extend(quote!(spec.secrets.schema = #s;));
    }
    for a in &p.actions {
        let (i, si, so) = (a.index, schema(a.input), schema(a.output));
        out.extend(quote! {
            if let Some(a) = spec.actions.get_mut(#i) {
                a.input.schema = #si;
                a.output.schema = #so;
            }
        });
    }
    if !p.events.is_empty() {
        let fills = p.events.iter().map(|e| {
            let (i, s) = (e.index, schema(e.payload));
            quote!(if let Some(t) = ev.types.get_mut(#i) { t.payload.schema = #s; })
        });
        out.extend(quote! {
            if let Some(ev) = spec.events.as_mut() { #(#fills)* }
        });
    }
    out
}

fn common(p: &Plan<'_>, spec_body: TokenStream) -> TokenStream {
    let marker = Ident::new(&pascal_case(&p.name.to_string()), p.name.span());
    let provider = p.name.to_string();
    let provider_doc = format!("The `{provider}` integration: its spec and types, for generic code.");
    // A type written as a plain object (no Rust type) is untyped JSON.
    let rust_type = |t: Option<&TypeTokens<'_>>| {
        t.map_or_else(
            || quote!(::spec_core::__private::serde_json::Value),
            |t| t.ty.to_token_stream(),
        )
    };
    let (config, secrets) = (rust_type(p.config), rust_type(p.secrets));
    let events = events::event_enum(p);
    let actions = actions::descriptors(p, &marker);
    let client = client::client(p);
    let checks = actions::field_checks(p);
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
        #checks
    }
}

/// Expansion of a valid declaration: the spec, serialized from the model, and the items.
pub(crate) fn expand(spec: &IntegrationSpec, tokens: &Tokens<'_>) -> TokenStream {
    let spec_json = match serde_json::to_string(spec) {
        Ok(s) => s,
        Err(e) => return syn::Error::new(tokens.name.span(), e.to_string()).to_compile_error(),
    };
    let event_types = spec.events.as_ref().map_or(&[][..], |e| &e.types);
    let plan = Plan::new(tokens, &spec.actions, event_types);
    let fills = schema_fills(&plan);
    let json = LitStr::new(&spec_json, Span::call_site());
    let body = quote! {
        static SPEC: ::std::sync::OnceLock<::spec_core::IntegrationSpec> = ::std::sync::OnceLock::new();
        SPEC.get_or_init(|| {
            let mut spec = ::spec_core::__private::from_generated(#json);
            #fills
            spec
        })
    };
    common(&plan, body)
}

/// Expansion of a declaration with errors: the errors, plus stub items for the parts of the model that built,
/// so that code using the integration does not report a second wave of unrelated errors.
pub(crate) fn expand_with_errors(partial: &Partial, tokens: &Tokens<'_>, errors: TokenStream) -> TokenStream {
    let plan = Plan::new(tokens, &partial.actions, &partial.event_types);
    let body = quote! {
        ::std::unimplemented!("the integration declaration has errors")
    };
    let mut out = errors;
    out.extend(common(&plan, body));
    out
}
