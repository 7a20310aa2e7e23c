//! The project's tools: one per action of each live connection, from the definitions `generated/mcp/` is
//! written from ([`codegen::mcp::tools`]), named per connection.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use spec_core::Action;

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::ConnectionRow;

/// Longest tool name (the limit every MCP client accepts).
pub const MAX_NAME_LEN: usize = 64;

/// Longest connection suffix of a tool name.
const MAX_SUFFIX_LEN: usize = 30;

/// One served tool of an action.
#[derive(Debug, Clone)]
pub struct ActionTool {
    /// The definition as `tools/list` serves it.
    pub definition: Value,
    /// The tool name.
    pub name: String,
    /// The connection it calls.
    pub connection: ConnectionRow,
    /// The action.
    pub action: &'static Action,
    /// The member wrapping a non-object output (`_meta.output_field`).
    pub output_field: Option<String>,
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
        let definitions = match codegen::mcp::tools(spec) {
            Ok(d) => d,
            Err(e) => {
                tracing::error!(provider = %row.provider, error = %e, "no MCP tools for the provider");
                continue;
            }
        };
        let oldest = first_of_provider
            .entry(row.provider.clone())
            .or_insert_with(|| row.id.clone())
            == &row.id;
        let suffix = if oldest {
            None
        } else {
            let by_name = short(&codegen::mcp::tool_name_of(&row.name));
            let clash = definitions.iter().any(|d| {
                let base = d.get("name").and_then(Value::as_str).unwrap_or_default();
                taken.contains(&suffixed(base, &by_name))
            });
            Some(if clash {
                short(&codegen::mcp::tool_name_of(&row.id))
            } else {
                by_name
            })
        };
        for (mut definition, action) in definitions.into_iter().zip(&spec.actions) {
            let base = definition
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let name = match &suffix {
                Some(s) => suffixed(&base, s),
                None => base,
            };
            if !taken.insert(name.clone()) {
                tracing::warn!(tool = %name, connection = %row.id, "MCP tool name taken; tool left out");
                continue;
            }
            definition["name"] = Value::String(name.clone());
            if suffix.is_some() {
                if let Some(title) = definition.get("title").and_then(Value::as_str) {
                    definition["title"] = Value::String(format!("{title} ({})", row.name));
                }
                if let Some(d) = definition.get("description").and_then(Value::as_str) {
                    definition["description"] = Value::String(format!("On connection `{}`: {d}", row.name));
                }
            }
            let output_field = definition
                .pointer("/_meta/output_field")
                .and_then(Value::as_str)
                .map(str::to_string);
            if let Some(meta) = definition.get_mut("_meta").and_then(Value::as_object_mut) {
                meta.insert("connection_id".into(), Value::String(row.id.clone()));
            }
            out.push(ActionTool {
                definition,
                name,
                connection: row.clone(),
                action,
                output_field,
            });
        }
    }
    Ok(out)
}

/// `base__suffix`, `base` cut so that the whole fits [`MAX_NAME_LEN`].
fn suffixed(base: &str, suffix: &str) -> String {
    let room = MAX_NAME_LEN.saturating_sub(suffix.len() + 2);
    let head: String = base.chars().take(room).collect();
    format!("{head}__{suffix}")
}

fn short(s: &str) -> String {
    s.chars().take(MAX_SUFFIX_LEN).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn suffixed_names_fit_the_limit() {
        assert_eq!(
            super::suffixed("stripe_customer_create", "eu"),
            "stripe_customer_create__eu"
        );
        let long = super::suffixed(&"a".repeat(64), &"b".repeat(30));
        assert_eq!(long.len(), super::MAX_NAME_LEN);
        assert!(long.ends_with(&format!("__{}", "b".repeat(30))));
    }
}
