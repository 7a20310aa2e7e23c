//! The declaration's JSON → the spec-core model → spec-core's validator, with every error placed on the
//! token that caused it. Keys and enum values are checked against the model's schema ([`keys`]); sections and
//! list items are then deserialized one by one ([`sections`]) so that one compile reports every mistake, not
//! just the first.

mod keys;
mod sections;

use proc_macro2::Span;
use serde::de::DeserializeOwned;
use serde_json::Value;
use spec_core::{Action, EventType, IntegrationSpec};

use crate::schema::{ModelSchema, properties};
use crate::to_json::Spans;

/// An error to report at a span.
pub(crate) struct Located {
    pub span: Span,
    pub message: String,
}

/// A declaration that did not check: its errors, and the parts of the model that did build (for stub items).
pub(crate) struct Failure {
    pub errors: Vec<Located>,
    pub partial: Partial,
}

/// The actions and event types that deserialized on their own, in declaration order.
#[derive(Default)]
pub(crate) struct Partial {
    pub actions: Vec<Action>,
    pub event_types: Vec<EventType>,
}

struct Checker<'a> {
    spans: &'a Spans,
    model: &'a ModelSchema,
    errors: Vec<Located>,
    partial: Partial,
}

impl Checker<'_> {
    fn push(&mut self, path: &str, message: String) {
        let span = self.spans.value(path);
        self.errors.push(Located { span, message });
    }

    /// Deserializes `value` (at `path`) as `T`; on failure reports serde's message at the path serde stopped.
    fn de<T: DeserializeOwned>(&mut self, value: &Value, path: &str) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(v) => Some(v),
            Err(e) => {
                let inner = e.path().to_string();
                let full = match (path.is_empty(), inner.as_str()) {
                    (_, ".") => path.to_string(),
                    (true, p) => p.to_string(),
                    (false, p) if p.starts_with('[') => format!("{path}{p}"),
                    (false, p) => format!("{path}.{p}"),
                };
                let shown = if full.is_empty() {
                    String::new()
                } else {
                    format!("`{full}`: ")
                };
                self.push(&full, format!("{shown}{}", e.inner()));
                None
            }
        }
    }

    /// Checks keys, then deserializes: `T` when the keys are right.
    fn typed<T: DeserializeOwned>(&mut self, schema: &Value, value: &Value, path: &str) -> Option<T> {
        let before = self.errors.len();
        self.keys(schema, value, path);
        if self.errors.len() > before {
            return None;
        }
        self.de::<T>(value, path)
    }

    /// [`Checker::typed`], for a section whose value expansion does not need.
    fn fit<T: DeserializeOwned>(&mut self, schema: &Value, value: &Value, path: &str) {
        let _ = self.typed::<T>(schema, value, path);
    }

    /// [`Checker::de`], for a value expansion does not need.
    fn fit_de<T: DeserializeOwned>(&mut self, value: &Value, path: &str) {
        let _ = self.de::<T>(value, path);
    }

    /// A list whose items are checked one by one; the items that deserialized.
    fn each<T: DeserializeOwned>(&mut self, schema: &Value, value: &Value, path: &str) -> Vec<T> {
        let (Some(items), Some(item_schema)) = (value.as_array(), self.model.items(schema)) else {
            return self.typed::<Vec<T>>(schema, value, path).unwrap_or_default();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.typed::<T>(item_schema, item, &format!("{path}[{i}]")))
            .collect()
    }
}

/// Builds and validates the spec; returns it, or every error with its span.
pub(crate) fn check(json: &Value, spans: &Spans, model: &ModelSchema) -> Result<IntegrationSpec, Failure> {
    let mut c = Checker {
        spans,
        model,
        errors: spans
            .duplicates
            .iter()
            .map(|(span, message)| Located {
                span: *span,
                message: message.clone(),
            })
            .collect(),
        partial: Partial::default(),
    };
    let (Some(top), Some(fields)) = (json.as_object(), properties(model.root())) else {
        c.push("", "expected `{ meta: …, … }`".into());
        return Err(c.failure());
    };
    for (key, value) in top {
        match fields.get(key) {
            Some(schema) => c.section(key, schema, value),
            None => c.unknown_key("", key, fields, None),
        }
    }
    if !c.errors.is_empty() {
        return Err(c.failure());
    }
    let spec = match serde_path_to_error::deserialize::<_, IntegrationSpec>(json) {
        Ok(s) => s,
        Err(e) => {
            let span = spans.root.unwrap_or_else(Span::call_site);
            c.errors.push(Located {
                span,
                message: e.inner().to_string(),
            });
            return Err(c.failure());
        }
    };
    match spec_core::validate(&spec) {
        Ok(()) => Ok(spec),
        Err(errs) => Err(Failure {
            errors: errs
                .into_iter()
                .map(|e| Located {
                    span: spans.value(&e.path),
                    message: format!("{} ({}, at `{}`)", e.message, e.code, e.path),
                })
                .collect(),
            partial: Partial {
                event_types: spec.events.map(|e| e.types).unwrap_or_default(),
                actions: spec.actions,
            },
        }),
    }
}

impl Checker<'_> {
    fn failure(self) -> Failure {
        Failure {
            errors: self.errors,
            partial: self.partial,
        }
    }
}
