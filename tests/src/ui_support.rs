//! Types the macro ui cases (`tests/ui/**`) declare integrations with.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_core::Secret;

/// Connection configuration of the demo integration.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DemoConfig {
    /// Connected account.
    pub account_id: Option<String>,
    /// Region hint.
    pub region: Option<String>,
}

/// Secrets of the demo integration.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct DemoSecrets {
    /// API key.
    pub api_key: Secret,
}

/// Input of a get-by-id action.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GetParams {
    /// The object id (a path parameter).
    pub customer: String,
}

/// Input of a list action.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ListParams {
    /// Page size.
    pub limit: Option<u32>,
}

/// An object.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Item {
    /// Object id.
    pub id: String,
}
