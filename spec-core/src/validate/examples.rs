use super::{Cx, ErrorCode};
use crate::model::{IntegrationSpec, TypeSchema};

/// Why a value does not satisfy a JSON Schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SchemaViolation {
    /// JSON pointer of the offending part of the value (`/account_id`), empty for the root.
    pub instance_path: String,
    /// What is wrong, naming the field.
    pub message: String,
}

/// Checks `value` against a draft 2020-12 JSON Schema and returns every violation.
///
/// Requires the `schema-check` feature; without it only an unparseable schema is reported.
pub fn check_against_schema(schema: &serde_json::Value, value: &serde_json::Value) -> Result<(), Vec<SchemaViolation>> {
    imp::check(schema, value)
}

#[cfg(feature = "schema-check")]
mod imp {
    use super::SchemaViolation;

    pub(super) fn check(schema: &serde_json::Value, value: &serde_json::Value) -> Result<(), Vec<SchemaViolation>> {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V2020_12);
        let url = "urn:spec-core:schema";
        let compiled = match compiler.add_resource(url, schema.clone()) {
            Ok(()) => compiler.compile(url, &mut schemas),
            Err(e) => Err(e),
        };
        let index = match compiled {
            Ok(i) => i,
            Err(e) => {
                return Err(vec![SchemaViolation {
                    instance_path: String::new(),
                    message: format!("the schema itself is invalid: {e}"),
                }]);
            }
        };
        match schemas.validate(value, index) {
            Ok(()) => Ok(()),
            Err(e) => {
                let mut out = Vec::new();
                flatten(&e, &mut out);
                Err(out)
            }
        }
    }

    fn flatten(e: &boon::ValidationError<'_, '_>, out: &mut Vec<SchemaViolation>) {
        if e.causes.is_empty() {
            let path = e.instance_location.to_string();
            let at = if path.is_empty() {
                "the value".to_string()
            } else {
                format!("`{path}`")
            };
            out.push(SchemaViolation {
                instance_path: path,
                message: format!("{at}: {}", e.kind),
            });
        }
        for c in &e.causes {
            flatten(c, out);
        }
    }
}

#[cfg(not(feature = "schema-check"))]
mod imp {
    use super::SchemaViolation;

    pub(super) fn check(_schema: &serde_json::Value, _value: &serde_json::Value) -> Result<(), Vec<SchemaViolation>> {
        Ok(())
    }
}

fn one(ts: &TypeSchema, path: &str, cx: &mut Cx) {
    if ts.schema.is_null() || ts.example.is_null() {
        return;
    }
    if let Err(violations) = check_against_schema(&ts.schema, &ts.example) {
        for v in violations {
            cx.err(
                ErrorCode::ExampleInvalid,
                format!("{path}.example"),
                format!(
                    "the example does not satisfy the schema of `{}`: {}",
                    ts.type_name, v.message
                ),
            );
        }
    }
}

pub(super) fn check(spec: &IntegrationSpec, cx: &mut Cx) {
    one(&spec.config, "config", cx);
    one(&spec.secrets, "secrets", cx);
    for (i, a) in spec.actions.iter().enumerate() {
        one(&a.input, &format!("actions[{i}].input"), cx);
        one(&a.output, &format!("actions[{i}].output"), cx);
    }
    if let Some(ev) = &spec.events {
        for (i, t) in ev.types.iter().enumerate() {
            one(&t.payload, &format!("events.types[{i}].payload"), cx);
        }
    }
}
