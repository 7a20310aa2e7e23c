//! IR → the spec model's JSON form, with a map from each JSON path to the span of the token that wrote it.

use std::collections::HashMap;

use proc_macro2::Span;
use quote::ToTokens;
use serde_json::{Map, Value};

use crate::ir::{Decl, Node, Obj};

/// Where each path's value (and, for object members, its key) came from.
#[derive(Default)]
pub(crate) struct Spans {
    values: HashMap<String, Span>,
    keys: HashMap<String, Span>,
    /// The whole declaration, for errors about missing top-level keys.
    pub root: Option<Span>,
    /// Keys written twice in one object: (second key's span, message).
    pub duplicates: Vec<(Span, String)>,
}

impl Spans {
    /// The best span for `path`: the value at the longest known prefix of the path.
    pub fn value(&self, path: &str) -> Span {
        let mut p = path.to_string();
        loop {
            if let Some(s) = self.values.get(&p) {
                return *s;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => return self.root.unwrap_or_else(Span::call_site),
            }
        }
    }

    /// The span of the key `field` inside the object at `path`, if written.
    pub fn key(&self, path: &str, field: &str) -> Option<Span> {
        self.keys.get(&join(path, field)).copied()
    }
}

/// `a`, `a.b`: the path of the member `field` of the object at `path`.
pub(crate) fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// A Rust type as the spec names it (`List<Customer>`), whitespace removed around punctuation.
pub(crate) fn type_name(ty: &syn::Type) -> String {
    let raw = ty.to_token_stream().to_string();
    let mut out = String::with_capacity(raw.len());
    let chars: Vec<char> = raw.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied().unwrap_or(' ');
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            let glue = ['<', '>', ':', ',', '&', '(', ')', '[', ']'];
            if glue.contains(&prev) && prev != ',' || glue.contains(&next) {
                continue;
            }
        }
        out.push(*c);
    }
    out
}

pub(crate) fn decl(d: &Decl, spans: &mut Spans) -> Value {
    spans.root = Some(d.name.span());
    let mut v = obj(&d.body, "", spans);
    if let Some(meta) = v.get_mut("meta").and_then(Value::as_object_mut)
        && !meta.contains_key("description")
        && !d.docs.is_empty()
    {
        meta.insert("description".into(), Value::String(d.docs.join(" ").trim().to_string()));
    }
    v
}

fn obj(o: &Obj, path: &str, spans: &mut Spans) -> Value {
    spans.values.insert(path.to_string(), o.span);
    let mut map = Map::new();
    for e in &o.entries {
        let key = e.key.name.clone();
        let p = join(path, &key);
        spans.keys.insert(p.clone(), e.key.span);
        let v = node(&e.value, &p, spans);
        if map.contains_key(&key) {
            spans
                .duplicates
                .push((e.key.span, format!("duplicate key `{key}`; remove one of the two")));
        }
        map.insert(key, v);
    }
    Value::Object(map)
}

fn node(n: &Node, path: &str, spans: &mut Spans) -> Value {
    spans.values.insert(path.to_string(), n.span());
    match n {
        Node::Str(s) => Value::String(s.value()),
        Node::Int(i) => i
            .base10_parse::<i64>()
            .map(Value::from)
            .or_else(|_| i.base10_parse::<u64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(i.to_string())),
        Node::Float(f) => f
            .base10_parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(f.to_string()), Value::Number),
        Node::Bool(b) => Value::Bool(b.value),
        Node::Word(w) => Value::String(w.to_string()),
        Node::Typed { ty, example } => {
            spans.values.insert(join(path, "type_name"), n.span());
            let mut m = Map::new();
            m.insert("type_name".into(), Value::String(type_name(ty)));
            if let Some(ex) = example {
                m.insert("example".into(), obj(ex, &join(path, "example"), spans));
            }
            Value::Object(m)
        }
        Node::Array { items, .. } => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let p = format!("{path}[{i}]");
                    let mut v = node(&item.node, &p, spans);
                    if let (Node::Tagged { tag, field, .. }, Some(m)) = (&item.node, v.as_object_mut()) {
                        spans.values.insert(join(&p, field), tag.span());
                        m.insert(field.clone(), Value::String(tag.to_string()));
                    }
                    if !item.docs.is_empty()
                        && item.describes
                        && let Some(m) = v.as_object_mut()
                    {
                        m.entry(crate::parse::DESCRIPTION)
                            .or_insert_with(|| Value::String(item.docs.join(" ").trim().to_string()));
                    }
                    v
                })
                .collect(),
        ),
        Node::Object(o) => obj(o, path, spans),
        Node::Tagged { tag, body, .. } => {
            let v = obj(body, path, spans);
            spans.values.insert(path.to_string(), tag.span());
            v
        }
        Node::Event { name, payload } => {
            spans.values.insert(join(path, "type"), name.span());
            spans.values.insert(join(path, "payload"), n.span());
            spans
                .values
                .insert(join(path, "payload.type_name"), syn::spanned::Spanned::span(&**payload));
            serde_json::json!({ "type": name.value(), "payload": { "type_name": type_name(payload) } })
        }
    }
}
