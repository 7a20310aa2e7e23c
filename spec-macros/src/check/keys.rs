//! Keys and enum values against the model's schema: each object key must be a property of its struct and each
//! enum value one of the enum's names. Computed here, from the schema, rather than read out of serde's errors, so
//! that every such mistake is reported (not only a section's first) with the caret on the key or value.

use serde_json::{Map, Value};

use super::Checker;
use crate::schema::properties;
pub(super) use crate::to_json::join;

/// serde's way of listing what was expected: "expected `a` or `b`", "expected one of `a`, `b`, `c`".
fn expected(names: &[&str], none: &str) -> String {
    match names {
        [] => format!("there are no {none}"),
        [one] => format!("expected `{one}`"),
        [a, b] => format!("expected `{a}` or `{b}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("expected one of {}", quoted.join(", "))
        }
    }
}

impl Checker<'_> {
    /// Checks `value` against `schema`, pushing one error per unknown key or enum value. Parts the schema leaves
    /// open (unions no single branch of fits) are left to deserialization.
    pub(super) fn keys(&mut self, schema: &Value, value: &Value, path: &str) {
        let (schema, def) = self.model.resolve(schema);
        if let (Some(names), Value::String(s)) = (def.and_then(|d| self.model.enum_names(d)), value) {
            if !names.accepts(s) {
                let list = expected(&names.declared(), "variants");
                self.push(path, format!("`{path}`: unknown variant `{s}`, {list}"));
            }
            return;
        }
        match value {
            Value::Object(map) if properties(schema).is_some() => self.object(schema, map, path, None),
            Value::Object(map) if schema.get("additionalProperties").is_some_and(Value::is_object) => {
                let each = &schema["additionalProperties"];
                for (k, v) in map {
                    self.keys(each, v, &join(path, k));
                }
            }
            Value::Array(items) if schema.get("items").is_some() => {
                for (i, item) in items.iter().enumerate() {
                    self.keys(&schema["items"], item, &format!("{path}[{i}]"));
                }
            }
            _ => {
                if let Some(branch) = self.model.branch(schema, value) {
                    self.keys(branch, value, path);
                }
            }
        }
    }

    /// The members of an object whose struct schema is `schema`; `tag` is a property the declaration does not
    /// write as a key (a tagged union's `type`), left out of the list of expected keys.
    pub(super) fn object(&mut self, schema: &Value, map: &Map<String, Value>, path: &str, tag: Option<&str>) {
        let Some(props) = properties(schema) else { return };
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        for (k, v) in map {
            let p = join(path, k);
            match props.get(k) {
                Some(s) => self.keys(s, v, &p),
                None if closed => self.unknown_key(path, k, props, tag),
                None => {}
            }
        }
    }

    /// `key` is no property of the struct at `path`, whose properties are `props`.
    pub(super) fn unknown_key(&mut self, path: &str, key: &str, props: &Map<String, Value>, tag: Option<&str>) {
        let names: Vec<&str> = props.keys().map(String::as_str).filter(|n| Some(*n) != tag).collect();
        let p = join(path, key);
        let message = if path.is_empty() {
            format!("unknown key `{key}`; expected one of {}", names.join(", "))
        } else {
            format!("`{p}`: unknown field `{key}`, {}", expected(&names, "fields"))
        };
        let span = self.spans.key(path, key).unwrap_or_else(|| self.spans.value(&p));
        self.errors.push(super::Located { span, message });
    }
}
