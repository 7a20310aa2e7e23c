//! TypeScript types from JSON Schemas: objects as interfaces (optional properties for fields not
//! `required`), maps as `Record`, `additionalProperties` next to properties as index signatures, enums and
//! `const`s as literal unions, `anyOf`/`oneOf` as unions, `allOf` as intersections, arrays and tuples.
//! References must point into one flat namespace (`#/$defs/<Name>`, as a [`crate::schema::Pool`] with that
//! prefix produces) and become the type's name.

use serde_json::Value;

use crate::names::{js_string, ts_key};
use crate::schema::{properties, required, types};

/// Names the declarations must not take: globals the emitted types use.
pub(crate) const RESERVED: &[&str] = &[
    "Array", "Record", "Partial", "Readonly", "Promise", "Error", "Object", "String", "Number", "Boolean", "Date",
    "Map", "Set", "Symbol", "Function", "Headers", "Response",
];

/// The prefix of references the renderer understands.
pub(crate) const REF_PREFIX: &str = "#/$defs/";

/// `export interface Name { … }` or `export type Name = …;` with the schema's description as doc comment.
pub(crate) fn declaration(name: &str, schema: &Value) -> String {
    let doc = doc_comment(schema, "");
    match interface_body(schema, "") {
        Some(body) => format!("{doc}export interface {name} {body}\n"),
        None => format!("{doc}export type {name} = {};\n", expr(schema, "")),
    }
}

/// A `/** … */` comment from `description`, `deprecated` and `writeOnly`, indented; empty when none.
pub(crate) fn doc_comment(schema: &Value, indent: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    if let Some(d) = schema.get("description").and_then(Value::as_str) {
        lines.extend(d.lines().map(|l| l.trim_end().replace("*/", "*\\/")));
    }
    if schema.get("writeOnly").and_then(Value::as_bool) == Some(true) {
        lines.push("Write-only: a secret, never returned.".into());
    }
    if schema.get("deprecated").and_then(Value::as_bool) == Some(true) {
        lines.push("@deprecated".into());
    }
    comment(&lines, indent)
}

/// A `/** … */` comment of `lines`, indented; empty when there are none.
pub(crate) fn comment(lines: &[String], indent: &str) -> String {
    match lines {
        [] => String::new(),
        [one] if !one.is_empty() => format!("{indent}/** {one} */\n"),
        _ => {
            let mut out = format!("{indent}/**\n");
            for l in lines {
                if l.is_empty() {
                    out.push_str(&format!("{indent} *\n"));
                } else {
                    out.push_str(&format!("{indent} * {l}\n"));
                }
            }
            out.push_str(&format!("{indent} */\n"));
            out
        }
    }
}

/// The body of an interface when the schema is a plain object with properties.
fn interface_body(schema: &Value, indent: &str) -> Option<String> {
    let plain = matches!(types(schema).as_slice(), ["object"] | [])
        && !schema.get("properties").and_then(Value::as_object)?.is_empty()
        && ["$ref", "anyOf", "oneOf", "allOf", "enum", "const"]
            .iter()
            .all(|k| schema.get(*k).is_none());
    plain.then(|| object_literal(schema, indent))
}

/// The TypeScript type of a schema, for use at `indent` depth.
pub(crate) fn expr(schema: &Value, indent: &str) -> String {
    let o = match schema {
        Value::Bool(true) => return "unknown".into(),
        Value::Bool(false) => return "never".into(),
        Value::Object(o) => o,
        _ => return "unknown".into(),
    };
    if let Some(r) = o.get("$ref").and_then(Value::as_str) {
        return reference(r);
    }
    if let Some(c) = o.get("const") {
        return literal(c);
    }
    if let Some(values) = o.get("enum").and_then(Value::as_array) {
        return union(values.iter().map(literal).collect());
    }

    let mut base_parts = Vec::new();
    let ts = types(schema);
    let implied_object = ts.is_empty() && (o.contains_key("properties") || o.contains_key("additionalProperties"));
    for t in if implied_object { vec!["object"] } else { ts } {
        base_parts.push(match t {
            "string" => "string".to_string(),
            "integer" | "number" => "number".into(),
            "boolean" => "boolean".into(),
            "null" => "null".into(),
            "array" => array(schema, indent),
            "object" => object(schema, indent),
            _ => "unknown".into(),
        });
    }
    let mut parts = Vec::new();
    if !base_parts.is_empty() {
        parts.push(union(base_parts));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = o.get(key).and_then(Value::as_array) {
            let u = union(branches.iter().map(|b| expr(b, indent)).collect());
            let all_literal = branches
                .iter()
                .all(|b| b.get("const").is_some() || b.get("enum").is_some());
            if all_literal {
                parts.clear();
            }
            parts.push(u);
        }
    }
    if let Some(all) = o.get("allOf").and_then(Value::as_array) {
        parts.extend(all.iter().map(|b| expr(b, indent)));
    }
    match parts.len() {
        0 => "unknown".into(),
        1 => parts.swap_remove(0),
        _ => parts.iter().map(|p| wrap(p)).collect::<Vec<_>>().join(" & "),
    }
}

fn reference(r: &str) -> String {
    match r.strip_prefix(REF_PREFIX) {
        Some(name) if !name.contains('/') => name.to_string(),
        _ => "unknown".into(),
    }
}

fn literal(v: &Value) -> String {
    match v {
        Value::String(s) => js_string(s),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        _ => "unknown".into(),
    }
}

/// A union of type expressions, without duplicates; `unknown` absorbs everything.
fn union(parts: Vec<String>) -> String {
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    if out.iter().any(|p| p == "unknown") {
        return "unknown".into();
    }
    match out.len() {
        0 => "never".into(),
        1 => out.swap_remove(0),
        _ => out.iter().map(|p| wrap_intersection(p)).collect::<Vec<_>>().join(" | "),
    }
}

fn is_compound(t: &str) -> bool {
    t.contains(" | ") || t.contains(" & ")
}

fn wrap(t: &str) -> String {
    if is_compound(t) && !t.starts_with('{') {
        format!("({t})")
    } else {
        t.to_string()
    }
}

fn wrap_intersection(t: &str) -> String {
    if t.contains(" & ") && !t.starts_with('{') && !t.starts_with('(') {
        format!("({t})")
    } else {
        t.to_string()
    }
}

fn array(schema: &Value, indent: &str) -> String {
    if let Some(prefix) = schema.get("prefixItems").and_then(Value::as_array) {
        let mut members: Vec<String> = prefix.iter().map(|p| expr(p, indent)).collect();
        match schema.get("items") {
            Some(Value::Bool(false)) => {}
            Some(items) => members.push(format!("...{}[]", wrap(&expr(items, indent)))),
            None => members.push("...unknown[]".into()),
        }
        return format!("[{}]", members.join(", "));
    }
    let item = schema
        .get("items")
        .map_or_else(|| "unknown".to_string(), |i| expr(i, indent));
    if item.contains('\n') || is_compound(&item) {
        format!("Array<{item}>")
    } else {
        format!("{item}[]")
    }
}

fn object(schema: &Value, indent: &str) -> String {
    if properties(schema).is_empty() {
        let value = match schema.get("additionalProperties") {
            Some(Value::Bool(false)) => "never".to_string(),
            Some(Value::Bool(true)) | None => "unknown".to_string(),
            Some(s) => expr(s, indent),
        };
        return format!("Record<string, {value}>");
    }
    object_literal(schema, indent)
}

/// `{ key: T; other?: U; [key: string]: V }` over several lines.
fn object_literal(schema: &Value, indent: &str) -> String {
    let inner = format!("{indent}  ");
    let req = required(schema);
    let mut out = String::from("{\n");
    let mut member_types = Vec::new();
    let mut any_optional = false;
    for (name, prop) in properties(schema) {
        let optional = !req.contains(name);
        any_optional |= optional;
        let t = expr(prop, &inner);
        out.push_str(&doc_comment(prop, &inner));
        out.push_str(&format!(
            "{inner}{}{}: {t};\n",
            ts_key(name),
            if optional { "?" } else { "" }
        ));
        member_types.push(t);
    }
    let extra = match schema.get("additionalProperties") {
        None | Some(Value::Bool(false)) => None,
        Some(Value::Bool(true)) => Some("unknown".to_string()),
        Some(s) => Some(expr(s, &inner)),
    };
    let extra = extra.or_else(|| schema.get("patternProperties").map(|_| "unknown".to_string()));
    if let Some(extra) = extra {
        // Every declared property must fit the index signature.
        let mut all = vec![extra];
        all.extend(member_types);
        if any_optional {
            all.push("undefined".into());
        }
        out.push_str(&format!("{inner}[key: string]: {};\n", union(all)));
    }
    out.push_str(indent);
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn schemas_become_types() {
        assert_eq!(expr(&json!({"type": ["string", "null"]}), ""), "string | null");
        assert_eq!(expr(&json!({"enum": ["a", "b"]}), ""), "\"a\" | \"b\"");
        assert_eq!(
            expr(
                &json!({"oneOf": [{"const": "a", "type": "string"}, {"const": "b", "type": "string"}]}),
                ""
            ),
            "\"a\" | \"b\""
        );
        assert_eq!(
            expr(&json!({"type": "array", "items": {"$ref": "#/$defs/A"}}), ""),
            "A[]"
        );
        assert_eq!(
            expr(&json!({"type": "array", "items": {"type": ["string", "null"]}}), ""),
            "Array<string | null>"
        );
        assert_eq!(
            expr(
                &json!({"type": "object", "additionalProperties": {"type": "integer"}}),
                ""
            ),
            "Record<string, number>"
        );
        assert_eq!(
            expr(&json!({"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]}), ""),
            "A | null"
        );
        assert_eq!(
            expr(&json!({"allOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]}), ""),
            "A & B"
        );
        assert_eq!(expr(&json!({"$ref": "https://example.com/x"}), ""), "unknown");
        assert_eq!(
            expr(
                &json!({"type": "array", "prefixItems": [{"type": "string"}], "items": false}),
                ""
            ),
            "[string]"
        );
    }

    #[test]
    fn objects_become_interfaces_with_index_signatures() {
        let s = json!({
            "type": "object", "description": "A thing.",
            "properties": {"id": {"type": "string"}, "n": {"type": "integer", "description": "Count."}},
            "required": ["id"], "additionalProperties": {"type": "string"}
        });
        assert_eq!(
            declaration("Thing", &s),
            "/** A thing. */\nexport interface Thing {\n  id: string;\n  /** Count. */\n  n?: number;\n  \
             [key: string]: string | number | undefined;\n}\n"
        );
        assert_eq!(
            declaration("Alias", &json!({"type": "string"})),
            "export type Alias = string;\n"
        );
    }
}
