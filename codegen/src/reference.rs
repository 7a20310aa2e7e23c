//! The reference of the declaration format (`docs/spec-format.md`): every key `define_integration!` accepts,
//! with its value, whether it is required, its default and its meaning, and every allowed value of each
//! enumeration, read from the spec format's own JSON Schema (the shared schema named
//! [`SPEC_FORMAT`]), so that it cannot drift from what the macro accepts.

use std::fmt::Write as _;

use serde_json::Value;

use crate::output::{md_comment, text_file};
use crate::schema::{properties, required};
use crate::{GeneratedFile, NamedSchema};

/// The name of the shared schema describing the declaration format.
pub const SPEC_FORMAT: &str = "integration-spec";

/// The schema member giving a value's spelling in a declaration where it differs from its JSON spelling
/// (`hmac_sha256` for `"hmac-sha256"`).
/// Removed from every emitted schema ([`crate::standard_schema`]).
pub(crate) const DECLARED: &str = "x-declared";

/// `docs/spec-format.md`, when the shared schemas include the spec format.
pub fn emit(shared: &[NamedSchema]) -> Vec<GeneratedFile> {
    shared
        .iter()
        .filter(|s| s.name == SPEC_FORMAT)
        .map(|s| text_file("docs/spec-format.md", &md_comment(), &render(&s.schema)))
        .collect()
}

/// The reference of a schema whose root is the declaration's top level and whose `$defs` are its parts.
pub fn render(schema: &Value) -> String {
    let mut out = String::new();
    out.push_str(INTRO);
    section(&mut out, "IntegrationSpec", schema, "the top level of the declaration");
    if let Some(defs) = schema.get("$defs").and_then(Value::as_object) {
        for (name, def) in defs {
            section(&mut out, name, def, "");
        }
    }
    out
}

const INTRO: &str = "# Declaration reference\n\n\
Every key of a `define_integration!` declaration, generated from the spec format's JSON Schema \
(`json-schema/integration-spec.schema.json`). A declaration writes the same structure as the JSON \
form of a spec, in Rust tokens:\n\n\
| JSON | in the declaration |\n\
|---|---|\n\
| `{\"key\": value, …}` | `{ key: value, … }` (the top level is the braces after the integration's name) |\n\
| `[a, b]` | `[a, b]` |\n\
| `\"text\"`, `42`, `true` | `\"text\"`, `42`, `true` |\n\
| an enumeration value `\"hmac-sha256\"` | the identifier `hmac_sha256` (the *declared* spelling below) |\n\
| a tagged item `{\"type\": \"api-key\", …}` | `api_key { … }` |\n\
| a [`TypeSchema`](#typeschema) | a Rust type, optionally with an example: `StripeConfig = { account_id: \"acct_1\" }` |\n\n\
Doc comments (`///`) on the integration and on each action become its `description`. Keys not listed \
here are compile errors that name the keys expected.\n";

/// A GitHub-style anchor for a heading of one word.
fn anchor(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// The definition name a `$ref` points at.
fn ref_name(r: &str) -> &str {
    r.rsplit('/').next().unwrap_or(r)
}

/// A description on one line, safe in a table cell.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn description(schema: &Value) -> &str {
    schema.get("description").and_then(Value::as_str).unwrap_or("")
}

/// How a value is spelled in a declaration: `x-declared`, else the JSON spelling.
fn declared(branch: &Value) -> Option<String> {
    let json = branch.get("const")?;
    Some(match branch.get(DECLARED).and_then(Value::as_str) {
        Some(d) => d.to_string(),
        None => match json {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
    })
}

/// The value a property takes, linked to the definitions it names.
fn value(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = ref_name(r);
        return format!("[`{name}`](#{})", anchor(name));
    }
    if let Some(c) = schema.get("const") {
        return format!("`{c}`");
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let shown: Vec<String> = branches
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                .map(value)
                .collect();
            return shown.join(" or ");
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
        _ => Vec::new(),
    };
    let shown: Vec<String> = types
        .iter()
        .map(|t| match *t {
            "array" => match schema.get("items") {
                Some(items) => format!("[{}, …]", value(items)),
                None => "[…]".into(),
            },
            "object" => match schema.get("additionalProperties") {
                Some(each) if each.is_object() => format!("{{ name: {} }}", value(each)),
                _ => "{ … }".into(),
            },
            "integer" => {
                let min = schema.get("minimum").and_then(Value::as_i64);
                match min {
                    Some(0) => "integer ≥ 0".into(),
                    Some(m) => format!("integer ≥ {m}"),
                    None => "integer".into(),
                }
            }
            other => other.to_string(),
        })
        .collect();
    if shown.is_empty() {
        "any value".into()
    } else {
        shown.join(" or ")
    }
}

/// The key table of an object schema, leaving out `skip` (a tag written as the item's name).
fn keys(out: &mut String, schema: &Value, skip: Option<&str>) {
    let props: Vec<(&str, &Value)> = properties(schema)
        .into_iter()
        .filter(|(k, _)| Some(*k) != skip && !k.starts_with('$'))
        .collect();
    if props.is_empty() {
        out.push_str("No keys.\n\n");
        return;
    }
    let req = required(schema);
    out.push_str("| key | value | required | default | meaning |\n|---|---|---|---|---|\n");
    for (key, prop) in props {
        let default = prop
            .get("default")
            .map(|d| format!("`{}`", declared_default(prop, d)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{key}` | {} | {} | {default} | {} |",
            value(prop),
            if req.contains(key) { "yes" } else { "" },
            cell(description(prop)),
        );
    }
    out.push('\n');
}

/// A default as a declaration writes it (JSON text, strings unquoted for enumeration values).
fn declared_default(prop: &Value, default: &Value) -> String {
    match default {
        Value::String(s) if prop.get("$ref").is_some() => s.replace('-', "_"),
        other => other.to_string(),
    }
}

/// The key whose `const` tags every object branch of a union, if there is one.
fn tag(branches: &[Value]) -> Option<&str> {
    let first = branches.first()?;
    let (key, _) = properties(first).into_iter().find(|(_, p)| p.get("const").is_some())?;
    branches
        .iter()
        .all(|b| properties(b).iter().any(|(k, p)| *k == key && p.get("const").is_some()))
        .then_some(key)
}

fn section(out: &mut String, name: &str, schema: &Value, role: &str) {
    let _ = writeln!(out, "\n## {name}\n");
    let text = description(schema);
    match (text.is_empty(), role.is_empty()) {
        (false, false) => {
            let _ = writeln!(out, "{text} ({role})\n");
        }
        (false, true) => {
            let _ = writeln!(out, "{text}\n");
        }
        (true, false) => {
            let _ = writeln!(out, "The {role}.\n");
        }
        (true, true) => {}
    }
    if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
        union(out, branches);
    } else if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        out.push_str("One of: ");
        let shown: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        out.push_str(&shown.join(", "));
        out.push_str("\n\n");
    } else {
        keys(out, schema, None);
    }
}

/// A union: a table of values when every branch is one, else one entry per branch.
fn union(out: &mut String, branches: &[Value]) {
    if branches.iter().all(|b| b.get("const").is_some()) {
        out.push_str("| value | JSON | meaning |\n|---|---|---|\n");
        for b in branches {
            let json = b.get("const").map(Value::to_string).unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | `{json}` | {} |",
                declared(b).unwrap_or_default(),
                cell(description(b))
            );
        }
        out.push('\n');
        return;
    }
    let tag = tag(branches);
    for b in branches {
        if let Some(v) = declared(b) {
            let _ = writeln!(out, "- `{v}`: {}", cell(description(b)));
            continue;
        }
        match tag {
            Some(tag) => {
                let props = properties(b);
                let name = props
                    .iter()
                    .find(|(k, _)| *k == tag)
                    .and_then(|(_, p)| {
                        p.get(DECLARED)
                            .or_else(|| b.get(DECLARED))
                            .or_else(|| p.get("const"))
                            .and_then(Value::as_str)
                    })
                    .unwrap_or("?");
                let _ = writeln!(out, "### `{name} {{ … }}`\n\n{}\n", cell(description(b)));
                keys(out, b, Some(tag));
            }
            None => {
                let shown = match properties(b).as_slice() {
                    [(key, prop)] => format!("`{{ {key}: {} }}`", value(prop).replace('`', "")),
                    _ => value(b),
                };
                let _ = writeln!(out, "- {shown}: {}", cell(description(b)));
            }
        }
    }
    out.push('\n');
}
