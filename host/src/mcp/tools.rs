//! The project's tools: one per action of each live connection, from the definitions `generated/mcp/` is
//! written from ([`codegen::mcp::tools`]), named per connection.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use sha2::{Digest as _, Sha256};
use spec_core::{Action, IntegrationSpec};

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::ConnectionRow;

/// Longest tool name (the limit every MCP client accepts).
pub const MAX_NAME_LEN: usize = 64;

/// The generated definitions of each served provider, built once per host.
#[derive(Debug, Default)]
pub struct ToolCache(Mutex<BTreeMap<String, Arc<Vec<Value>>>>);

impl ToolCache {
    /// The definitions of `spec`'s actions ([`codegen::mcp::tools`]), built on first use.
    pub fn definitions(&self, spec: &IntegrationSpec) -> Result<Arc<Vec<Value>>, codegen::GenError> {
        let key = spec.provider_id().to_string();
        if let Some(d) = self.0.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(d);
        }
        let built = Arc::new(codegen::mcp::tools(spec)?);
        if let Ok(mut m) = self.0.lock() {
            m.insert(key, built.clone());
        }
        Ok(built)
    }
}

/// One served tool of an action.
#[derive(Debug, Clone)]
pub struct ActionTool {
    /// The tool name.
    pub name: String,
    /// The connection it calls.
    pub connection: ConnectionRow,
    /// The action.
    pub action: &'static Action,
    /// The member wrapping a non-object output (`_meta.output_field`).
    pub output_field: Option<String>,
    /// Whether the name carries a connection suffix (the connection is not the provider's oldest).
    suffixed: bool,
    /// The provider's generated definitions and the index of this action's.
    definitions: Arc<Vec<Value>>,
    index: usize,
}

impl ActionTool {
    /// The definition as `tools/list` serves it: the generated one under the served name, `_meta.connection_id`
    /// added, and for a suffixed name the connection named in its title and description.
    pub fn definition(&self) -> Value {
        let mut definition = self.definitions.get(self.index).cloned().unwrap_or(Value::Null);
        definition["name"] = Value::String(self.name.clone());
        if self.suffixed {
            let conn = &self.connection.name;
            if let Some(title) = definition.get("title").and_then(Value::as_str) {
                definition["title"] = Value::String(format!("{title} ({conn})"));
            }
            if let Some(d) = definition.get("description").and_then(Value::as_str) {
                definition["description"] = Value::String(format!("On connection `{conn}`: {d}"));
            }
        }
        if let Some(meta) = definition.get_mut("_meta").and_then(Value::as_object_mut) {
            meta.insert("connection_id".into(), Value::String(self.connection.id.clone()));
        }
        definition
    }
}

/// The tools of the project's live connections, oldest connection first, each in declaration order.
pub async fn project_tools(state: &AppState, project_id: &str) -> Result<Vec<ActionTool>, ApiError> {
    let connections = state.store.connections(project_id).await?;
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut first_of_provider: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::new();
    for row in connections {
        let Some(spec) = state.providers.get(&row.provider).map(|p| p.spec) else {
            continue;
        };
        let definitions = match state.mcp_tools.definitions(spec) {
            Ok(d) => d,
            Err(e) => {
                tracing::error!(provider = %row.provider, error = %e, "no MCP tools for the provider");
                continue;
            }
        };
        let base_name = |d: &Value| d.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        let oldest = first_of_provider
            .entry(row.provider.clone())
            .or_insert_with(|| row.id.clone())
            == &row.id;
        let suffix = if oldest {
            None
        } else {
            let by_name = codegen::mcp::tool_name_of(&row.name);
            let clash = definitions
                .iter()
                .any(|d| taken.contains(&suffixed(&base_name(d), &by_name)));
            Some(if clash {
                codegen::mcp::tool_name_of(&row.id)
            } else {
                by_name
            })
        };
        for (index, (definition, action)) in definitions.iter().zip(&spec.actions).enumerate() {
            let base = base_name(definition);
            let name = match &suffix {
                Some(s) => suffixed(&base, s),
                None => base,
            };
            if !taken.insert(name.clone()) {
                tracing::warn!(tool = %name, connection = %row.id, "MCP tool name taken; tool left out");
                continue;
            }
            let output_field = definition
                .pointer("/_meta/output_field")
                .and_then(Value::as_str)
                .map(str::to_string);
            out.push(ActionTool {
                name,
                connection: row.clone(),
                action,
                output_field,
                suffixed: suffix.is_some(),
                definitions: definitions.clone(),
                index,
            });
        }
    }
    Ok(out)
}

/// `base__suffix`; longer than [`MAX_NAME_LEN`], its head and `_` and the first 8 hex digits of the SHA-256 of
/// the whole, so that names cut to the limit stay apart.
fn suffixed(base: &str, suffix: &str) -> String {
    let full = format!("{base}__{suffix}");
    if full.len() <= MAX_NAME_LEN {
        return full;
    }
    let digest = crate::actions::params::hex(&Sha256::digest(full.as_bytes()));
    let head: String = full.chars().take(MAX_NAME_LEN - 9).collect();
    format!("{head}_{}", digest.get(..8).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn suffixed_names_fit_the_limit_and_stay_apart() {
        assert_eq!(
            super::suffixed("stripe_customer_create", "eu"),
            "stripe_customer_create__eu"
        );
        let id = "conn_cdcc2bac651243b988b135896c1426a3";
        let a = super::suffixed("stripe_payment_intent_confirm", id);
        let b = super::suffixed("stripe_payment_intent_create", id);
        assert_eq!((a.len(), b.len()), (super::MAX_NAME_LEN, super::MAX_NAME_LEN));
        assert_ne!(a, b);
        assert!(a.starts_with("stripe_payment_intent_confirm__conn_"), "{a}");
        assert_eq!(a, super::suffixed("stripe_payment_intent_confirm", id), "stable");
    }
}
