//! The input and output schemas of many integrations' actions in one namespace, for documents that list
//! actions of several integrations (the host's OpenAPI document, which has one operation per action).
//!
//! Each action's schemas are lifted as the per-integration OpenAPI documents lift them ([`crate::openapi`]):
//! `$defs` become named schemas, `$ref`s point at `<prefix><name>`, identical definitions are shared and
//! different ones with one name are numbered.

use serde_json::{Map, Value};
use spec_core::IntegrationSpec;

use crate::schema::Pool;

/// Where one action's schemas went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRefs {
    /// The action id (`stripe.customer.create`).
    pub action_id: String,
    /// `$ref` of the input schema.
    pub input: String,
    /// `$ref` of the output schema.
    pub output: String,
}

/// Every action's schemas, named.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionSchemas {
    /// One entry per action, in the order of the specs and their actions.
    pub actions: Vec<ActionRefs>,
    /// The named schemas the references point at (without the prefix), sorted by name.
    pub schemas: Map<String, Value>,
}

/// The schemas of every action of `specs`, referenced as `<prefix><name>` (`#/components/schemas/`); names in
/// `reserved` (the document's own schemas) are never used.
pub fn action_schemas(specs: &[&IntegrationSpec], prefix: &str, reserved: &[&str]) -> ActionSchemas {
    let mut pool = Pool::new(prefix, reserved);
    let mut actions = Vec::new();
    for spec in specs {
        for a in &spec.actions {
            let input = pool.add(&a.input.type_name, &a.input.schema);
            let output = pool.add(&a.output.type_name, &a.output.schema);
            actions.push(ActionRefs {
                action_id: a.id.clone(),
                input: format!("{prefix}{input}"),
                output: format!("{prefix}{output}"),
            });
        }
    }
    let schemas = pool.entries().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    ActionSchemas { actions, schemas }
}
