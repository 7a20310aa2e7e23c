//! JSON Schema documents (draft 2020-12): the shared schemas (the spec format itself, the canonical event)
//! and, per integration, its config, its secrets, each action's input and output and each event payload.
//!
//! Paths: `json-schema/<name>.schema.json` for shared schemas; `json-schema/<provider>/config.schema.json`,
//! `secrets.schema.json`, `actions/<action id>.{input,output}.schema.json` and
//! `events/<event type>.schema.json` per integration.
//!
//! Each document is self-contained (its `$defs` kept), has `$schema` set and a `title` (the Rust type's
//! name when schemars gave none). The spec's example becomes the document's `examples`, except for
//! secrets: their examples are placeholders at best and leaked credentials at worst, so they are left
//! out; secret fields keep `writeOnly: true`.
//!
//! Only standard keywords are written: the integer formats schemars derives from Rust's integer types that
//! validators do not know (`uint32`, `uint64`, `int8`, …) become `minimum`/`maximum`, so a validator in
//! strict mode (ajv with ajv-formats) accepts every document. `int32`, `int64`, `float` and `double` stay.

use serde_json::{Value, json};
use spec_core::{IntegrationSpec, TypeSchema};

use crate::output::{JSON_COMMENT, json_file};
use crate::schema::{DRAFT_2020_12, standardized};
use crate::{GenError, GeneratedFile, NamedSchema};

/// `json-schema/<name>.schema.json` for each shared schema.
pub fn emit_shared(shared: &[NamedSchema]) -> Result<Vec<GeneratedFile>, GenError> {
    shared
        .iter()
        .map(|s| {
            let mut doc = document(&s.schema, &s.name, &Value::Null);
            allow_comment(&mut doc);
            json_file(format!("json-schema/{}.schema.json", s.name), JSON_COMMENT, doc)
        })
        .collect()
}

/// The JSON Schema documents of one integration.
pub fn emit(spec: &IntegrationSpec) -> Result<Vec<GeneratedFile>, GenError> {
    let dir = format!("json-schema/{}", spec.provider_id());
    let mut files = vec![
        json_file(
            format!("{dir}/config.schema.json"),
            JSON_COMMENT,
            typed(&spec.config, true),
        )?,
        json_file(
            format!("{dir}/secrets.schema.json"),
            JSON_COMMENT,
            typed(&spec.secrets, false),
        )?,
    ];
    for a in &spec.actions {
        files.push(json_file(
            format!("{dir}/actions/{}.input.schema.json", a.id),
            JSON_COMMENT,
            typed(&a.input, true),
        )?);
        files.push(json_file(
            format!("{dir}/actions/{}.output.schema.json", a.id),
            JSON_COMMENT,
            typed(&a.output, true),
        )?);
    }
    if let Some(ev) = &spec.events {
        for t in &ev.types {
            files.push(json_file(
                format!("{dir}/events/{}.schema.json", t.event_type),
                JSON_COMMENT,
                typed(&t.payload, true),
            )?);
        }
    }
    Ok(files)
}

/// Lets a closed root object (`additionalProperties: false`) carry the do-not-edit `$comment` member every
/// generated JSON file starts with, so that generated files of that format (the manifests, against the
/// spec format's schema) validate against it.
fn allow_comment(doc: &mut Value) {
    if doc.get("additionalProperties") != Some(&Value::Bool(false)) {
        return;
    }
    if let Some(props) = doc.get_mut("properties").and_then(Value::as_object_mut) {
        props.entry(JSON_COMMENT).or_insert_with(|| {
            json!({
                "type": "string",
                "description": "A note for readers (the do-not-edit line of generated files); ignored."
            })
        });
    }
}

fn typed(ts: &TypeSchema, with_example: bool) -> Value {
    let example = if with_example { &ts.example } else { &Value::Null };
    document(&ts.schema, &ts.type_name, example)
}

/// A standalone draft 2020-12 document: `$schema` set, a title, the example (when not null) as
/// `examples`, non-standard integer formats rewritten as bounds ([`crate::schema::standardize`]).
pub(crate) fn document(schema: &Value, title: &str, example: &Value) -> Value {
    let mut doc = match standardized(schema) {
        Value::Object(o) => o,
        Value::Bool(false) => json!({ "not": {} }).as_object().cloned().unwrap_or_default(),
        _ => serde_json::Map::new(),
    };
    doc.insert("$schema".into(), DRAFT_2020_12.into());
    doc.entry("title").or_insert_with(|| title.into());
    if !example.is_null() {
        doc.entry("examples").or_insert_with(|| json!([example]));
    }
    Value::Object(doc)
}
