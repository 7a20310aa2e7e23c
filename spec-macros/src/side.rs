//! What expansion needs that the model cannot hold: the declaration's Rust tokens (type paths, method idents,
//! doc comments) and the spans compile errors point at. Gathered once from the IR, then looked up by the
//! model's own keys: an action's `method_name`, an event's type.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::{Ident, Type};

use crate::ir::{Decl, Item, Node, Obj};

/// The model fields whose tokens are gathered (a test checks each against the model's schema).
mod field {
    pub const CONFIG: &str = "config";
    pub const SECRETS: &str = "secrets";
    pub const ACTIONS: &str = "actions";
    pub const EVENTS: &str = "events";
    pub const EVENT_TYPES: &str = "types";
    pub const PATH: &str = "path";
    pub const INPUT: &str = "input";
    pub const OUTPUT: &str = "output";
    pub const ITEM: &str = "item";
}

/// The Rust side of a declaration.
pub(crate) struct Tokens<'a> {
    /// Provider name (`stripe`).
    pub name: &'a Ident,
    /// `config: StripeConfig = { … }`.
    pub config: Option<TypeTokens<'a>>,
    /// `secrets: StripeSecrets = { … }`.
    pub secrets: Option<TypeTokens<'a>>,
    actions: HashMap<String, ActionTokens<'a>>,
    events: HashMap<String, EventTokens<'a>>,
}

/// A Rust type and the keys of its example, which must be fields of the type.
pub(crate) struct TypeTokens<'a> {
    pub ty: &'a Type,
    pub example_fields: Vec<&'a Ident>,
}

/// One action's tokens: `method_name { path: "…", input: T, output: U, item: V, … }` and its doc comment.
pub(crate) struct ActionTokens<'a> {
    pub method: &'a Ident,
    pub docs: &'a [String],
    /// The path literal, where compile errors about path parameters point.
    pub path_span: Option<Span>,
    pub input: Option<&'a Type>,
    pub output: Option<&'a Type>,
    pub item: Option<&'a Type>,
}

/// One event type's tokens: `"customer.created" => Customer`.
pub(crate) struct EventTokens<'a> {
    /// The event type literal, where the `Event` variant is placed.
    pub name_span: Span,
    pub payload: &'a Type,
}

fn entry<'a>(o: &'a Obj, key: &str) -> Option<&'a Node> {
    o.entries.iter().find(|e| e.key.name == key).map(|e| &e.value)
}

fn rust_type<'a>(o: &'a Obj, key: &str) -> Option<&'a Type> {
    match entry(o, key) {
        Some(Node::Typed { ty, .. }) => Some(ty),
        _ => None,
    }
}

fn typed<'a>(o: &'a Obj, key: &str) -> Option<TypeTokens<'a>> {
    let Some(Node::Typed { ty, example }) = entry(o, key) else {
        return None;
    };
    let example_fields = example
        .iter()
        .flat_map(|ex| &ex.entries)
        .filter_map(|e| e.key.ident.as_ref())
        .collect();
    Some(TypeTokens { ty, example_fields })
}

fn items<'a>(o: &'a Obj, key: &str) -> &'a [Item] {
    match entry(o, key) {
        Some(Node::Array { items, .. }) => items,
        _ => &[],
    }
}

impl<'a> Tokens<'a> {
    /// Gathers the tokens of a parsed declaration; the first of two actions or events with one key wins.
    pub fn gather(d: &'a Decl) -> Self {
        let mut actions = HashMap::new();
        for item in items(&d.body, field::ACTIONS) {
            if let Node::Tagged { tag, body, .. } = &item.node {
                actions.entry(tag.to_string()).or_insert_with(|| ActionTokens {
                    method: tag,
                    docs: &item.docs,
                    path_span: match entry(body, field::PATH) {
                        Some(Node::Str(s)) => Some(s.span()),
                        _ => None,
                    },
                    input: rust_type(body, field::INPUT),
                    output: rust_type(body, field::OUTPUT),
                    item: rust_type(body, field::ITEM),
                });
            }
        }
        let mut events = HashMap::new();
        if let Some(Node::Object(ev)) = entry(&d.body, field::EVENTS) {
            for item in items(ev, field::EVENT_TYPES) {
                if let Node::Event { name, payload } = &item.node {
                    events.entry(name.value()).or_insert_with(|| EventTokens {
                        name_span: name.span(),
                        payload,
                    });
                }
            }
        }
        Tokens {
            name: &d.name,
            config: typed(&d.body, field::CONFIG),
            secrets: typed(&d.body, field::SECRETS),
            actions,
            events,
        }
    }

    /// The tokens of the action whose `method_name` is `method`.
    pub fn action(&self, method: &str) -> Option<&ActionTokens<'a>> {
        self.actions.get(method)
    }

    /// The tokens of the event type `event_type`.
    pub fn event(&self, event_type: &str) -> Option<&EventTokens<'a>> {
        self.events.get(event_type)
    }
}

#[cfg(test)]
mod tests {
    use super::field;
    use crate::schema::ModelSchema;

    #[test]
    fn gathered_fields_are_fields_of_the_model() {
        let m = ModelSchema::new();
        let root = m.root();
        for key in [field::CONFIG, field::SECRETS, field::ACTIONS, field::EVENTS] {
            assert!(m.property(root, key).is_some(), "{key}");
        }
        let action = m.items(m.property(root, field::ACTIONS).unwrap()).unwrap();
        for key in [field::PATH, field::INPUT, field::OUTPUT, field::ITEM] {
            assert!(m.property(action, key).is_some(), "{key}");
        }
        let events = m.object(m.property(root, field::EVENTS).unwrap()).unwrap();
        assert!(m.property(events, field::EVENT_TYPES).is_some());
    }
}
