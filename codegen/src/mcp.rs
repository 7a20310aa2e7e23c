//! MCP tool definitions (`mcp/<provider>.json`): `{ "tools": [...] }` as a `tools/list` result holds them.
//!
//! One tool per action, in declaration order: `name` is the action id with every character outside
//! `[A-Za-z0-9_-]` turned into `_` (`stripe.customer.list` → `stripe_customer_list`, the name pattern every
//! MCP client accepts), `title`, `description`, `inputSchema` (the input's JSON Schema, always an object),
//! `outputSchema`, and `annotations` read from the model: `readOnlyHint` ([`Action::is_read_only`]),
//! `destructiveHint` ([`Action::is_destructive`]: deletes and overwriting updates, not creates),
//! `idempotentHint` ([`Action::is_idempotent`]) and `openWorldHint` (the provider is an external system).
//! `_meta.action_id` maps the tool back to its action.
//!
//! MCP requires both schemas to have an object root. An input that is not an object is wrapped as
//! `{ "value": <input> }` (a `null` input becomes `{}`). An output that is not an object (GitHub's issue
//! list is an array) is described as `{ "value": <output> }`, and `_meta.output_field` is `"value"`: the
//! server answering `tools/call` must then return `structuredContent: { "value": <the action's result> }`
//! (and the same JSON as text content), and a host reading the result takes it from that field. A `null`
//! output has no `outputSchema`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use spec_core::{Action, IntegrationSpec};

use crate::names::{humanize_action, tool_name};
use crate::output::{JSON_COMMENT, json_file};
use crate::schema::{standardized, types};
use crate::{GenError, GeneratedFile};

/// `mcp/<provider>.json`.
pub fn emit(spec: &IntegrationSpec) -> Result<Vec<GeneratedFile>, GenError> {
    Ok(vec![json_file(
        format!("mcp/{}.json", spec.provider_id()),
        JSON_COMMENT,
        json!({ "tools": tools(spec)? }),
    )?])
}

/// The MCP tool definitions of `spec`'s actions, in declaration order: what `mcp/<provider>.json` holds and
/// what an MCP server serves for a connection of the provider. Two actions whose tool names collide are an
/// error.
pub fn tools(spec: &IntegrationSpec) -> Result<Vec<Value>, GenError> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut tools = Vec::new();
    for a in &spec.actions {
        let name = tool_name(&a.id);
        if let Some(first) = seen.insert(name.clone(), &a.id) {
            return Err(GenError::DuplicateToolName {
                key: spec.meta.key.clone(),
                tool: name,
                first: first.to_string(),
                second: a.id.clone(),
            });
        }
        tools.push(tool(spec, a, name));
    }
    Ok(tools)
}

/// The MCP tool name of an action id, or of any other text: characters outside `[A-Za-z0-9_-]` become `_`,
/// at most 64 characters are kept.
pub fn tool_name_of(text: &str) -> String {
    tool_name(text)
}

fn tool(spec: &IntegrationSpec, a: &Action, name: String) -> Value {
    let title = format!("{}: {}", spec.meta.title, humanize_action(&a.id));
    let mut description = if a.description.is_empty() {
        format!("{} ({} {}).", humanize_action(&a.id), a.method, a.path)
    } else {
        format!("{} ({} {}).", a.description.trim_end_matches('.'), a.method, a.path)
    };
    if a.high_impact {
        description.push_str(" High impact: confirm with the user before calling.");
    }
    if !a.permissions.is_empty() {
        description.push_str(&format!(" Needs the permissions: {}.", a.permissions.join(", ")));
    }
    let mut t = Map::new();
    t.insert("name".into(), name.into());
    t.insert("title".into(), title.clone().into());
    t.insert("description".into(), description.into());
    t.insert("inputSchema".into(), object_schema(&a.input.schema));
    let mut meta = json!({ "action_id": a.id });
    if is_object_schema(&a.output.schema) {
        t.insert("outputSchema".into(), clean(&a.output.schema));
    } else if types(&a.output.schema) != ["null"] && !a.output.schema.is_null() {
        t.insert("outputSchema".into(), wrapped(&a.output.schema));
        meta["output_field"] = WRAP_FIELD.into();
    }
    t.insert(
        "annotations".into(),
        json!({
            "title": title,
            "readOnlyHint": a.is_read_only(),
            "destructiveHint": a.is_destructive(),
            "idempotentHint": a.is_idempotent(),
            "openWorldHint": true
        }),
    );
    t.insert("_meta".into(), meta);
    Value::Object(t)
}

fn is_object_schema(schema: &Value) -> bool {
    types(schema) == ["object"] || (types(schema).is_empty() && schema.get("properties").is_some())
}

/// The schema without `$schema` (the tool's schema is embedded, not a document of its own), with standard
/// keywords only ([`standardized`]).
fn clean(schema: &Value) -> Value {
    let mut s = standardized(schema);
    if let Some(o) = s.as_object_mut() {
        o.remove("$schema");
    }
    s
}

/// MCP requires `inputSchema` to be an object schema: a `null` input (no arguments) becomes an empty
/// object, any other non-object input is wrapped as `{ value }`.
fn object_schema(schema: &Value) -> Value {
    if types(schema) == ["null"] {
        return json!({ "type": "object", "properties": {} });
    }
    if is_object_schema(schema) {
        let mut s = clean(schema);
        if let Some(o) = s.as_object_mut() {
            o.insert("type".into(), "object".into());
        }
        return s;
    }
    wrapped(schema)
}

/// The member holding a non-object input or output inside its object wrapper.
const WRAP_FIELD: &str = "value";

/// `{ "value": schema }` as an object schema, the schema's `$defs` moved to the root (its `$ref`s,
/// `#/$defs/…`, keep pointing at them; a `$ref` to the root itself, `#`, is not expected in an array or
/// scalar root).
fn wrapped(schema: &Value) -> Value {
    let mut inner = clean(schema);
    let defs = inner.as_object_mut().and_then(|o| o.remove("$defs"));
    let mut wrapped = json!({ "type": "object", "properties": { WRAP_FIELD: inner }, "required": [WRAP_FIELD] });
    if let Some(d) = defs {
        wrapped["$defs"] = d;
    }
    wrapped
}
