//! The machine-readable manifest: the validated spec as JSON (`manifest/<provider>.json`).
//!
//! It is exactly the spec's serde form (so, once the `$comment` member is removed, it deserializes back
//! into an `IntegrationSpec`), with two changes that keep credentials out of a published file:
//!
//! - the secrets' example is dropped: the manifest carries the secrets' schema (fields marked
//!   `writeOnly`) and nothing else, since an example secret is a placeholder at best and a leaked
//!   credential at worst;
//! - in every other example, values whose schema is `writeOnly` are replaced by `[REDACTED]`.
//!
//! Its schemas are written with standard keywords only, as in every emitted file: non-standard integer
//! formats become `minimum`/`maximum` (see the `json_schema` emitter).

use serde_json::Value;
use spec_core::{IntegrationSpec, TypeSchema};

use crate::output::{JSON_COMMENT, json_file};
use crate::redact::write_only;
use crate::schema::standardize;
use crate::{GenError, GeneratedFile};

/// `manifest/<provider>.json`.
pub fn emit(spec: &IntegrationSpec) -> Result<Vec<GeneratedFile>, GenError> {
    let value = serde_json::to_value(published(spec))?;
    Ok(vec![json_file(
        format!("manifest/{}.json", spec.provider_id()),
        JSON_COMMENT,
        value,
    )?])
}

/// The spec as published: no secrets example, write-only values redacted in the other examples.
pub fn published(spec: &IntegrationSpec) -> IntegrationSpec {
    let mut spec = spec.clone();
    spec.secrets.example = Value::Null;
    standardize(&mut spec.secrets.schema);
    redact(&mut spec.config);
    for a in &mut spec.actions {
        redact(&mut a.input);
        redact(&mut a.output);
    }
    if let Some(ev) = &mut spec.events {
        for t in &mut ev.types {
            redact(&mut t.payload);
        }
    }
    spec
}

fn redact(ts: &mut TypeSchema) {
    standardize(&mut ts.schema);
    if !ts.example.is_null() {
        ts.example = write_only(&ts.schema, &ts.schema, &ts.example);
    }
}
