//! The typed `Event` enum of an integration.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Ident, LitStr, Type};

use super::Plan;

/// `Event`: one variant per declared event type, typed by its payload.
pub(super) fn event_enum(p: &Plan<'_>) -> TokenStream {
    let variants: Vec<&Ident> = p.events.iter().map(|e| &e.variant).collect();
    let names: Vec<&LitStr> = p.events.iter().map(|e| &e.name).collect();
    let payloads: Vec<&Type> = p.events.iter().map(|e| e.payload).collect();
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
