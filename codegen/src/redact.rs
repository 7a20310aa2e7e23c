//! Removing secret values from examples before they are published.

use serde_json::Value;

use crate::schema::resolve;

/// What a redacted value is replaced with.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// `example` with every value whose schema is `writeOnly` (a secret) replaced by [`REDACTED`].
/// `doc` is the schema document (for `$ref`s), `schema` the part describing `example`.
pub(crate) fn write_only(doc: &Value, schema: &Value, example: &Value) -> Value {
    let s = resolve(doc, schema);
    if is_write_only(doc, s) {
        return Value::String(REDACTED.into());
    }
    match example {
        Value::Object(fields) => {
            let props = s.get("properties");
            let extra = s.get("additionalProperties");
            let out = fields
                .iter()
                .map(|(k, v)| {
                    let sub = props
                        .and_then(|p| p.get(k))
                        .or(extra)
                        .or_else(|| branch_with(doc, s, |b| b.get("properties").and_then(|p| p.get(k))));
                    let v = sub.map_or_else(|| v.clone(), |sub| write_only(doc, sub, v));
                    (k.clone(), v)
                })
                .collect();
            Value::Object(out)
        }
        Value::Array(items) => {
            let item_schema = s.get("items").or_else(|| branch_with(doc, s, |b| b.get("items")));
            Value::Array(
                items
                    .iter()
                    .map(|v| item_schema.map_or_else(|| v.clone(), |i| write_only(doc, i, v)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// Whether the schema, or any branch of its `anyOf`/`oneOf`/`allOf`, is `writeOnly`.
fn is_write_only(doc: &Value, s: &Value) -> bool {
    if s.get("writeOnly").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    ["anyOf", "oneOf", "allOf"].iter().any(|k| {
        s.get(*k)
            .and_then(Value::as_array)
            .is_some_and(|bs| bs.iter().any(|b| is_write_only(doc, resolve(doc, b))))
    })
}

/// The first `anyOf`/`oneOf`/`allOf` branch for which `pick` finds something.
fn branch_with<'a>(doc: &'a Value, s: &'a Value, pick: impl Fn(&'a Value) -> Option<&'a Value>) -> Option<&'a Value> {
    ["anyOf", "oneOf", "allOf"]
        .iter()
        .filter_map(|k| s.get(*k).and_then(Value::as_array))
        .flatten()
        .find_map(|b| pick(resolve(doc, b)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn write_only_values_are_redacted_at_any_depth() {
        let doc = json!({
            "type": "object",
            "properties": {
                "key": {"type": "string", "writeOnly": true},
                "name": {"type": "string"},
                "nested": {"anyOf": [{"$ref": "#/$defs/Inner"}, {"type": "null"}]},
                "list": {"type": "array", "items": {"$ref": "#/$defs/Inner"}}
            },
            "$defs": {"Inner": {"type": "object", "properties": {"token": {"type": "string", "writeOnly": true}}}}
        });
        let example = json!({
            "key": "sk_live_123", "name": "n", "nested": {"token": "t", "other": 1},
            "list": [{"token": "a"}, {"token": "b"}]
        });
        let out = write_only(&doc, &doc, &example);
        assert_eq!(
            out,
            json!({
                "key": REDACTED, "name": "n", "nested": {"token": REDACTED, "other": 1},
                "list": [{"token": REDACTED}, {"token": REDACTED}]
            })
        );
    }
}
