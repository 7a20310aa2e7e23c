//! The connection types of the `acme` integrations the webhook tests declare with `define_integration!`
//! (`custom_scheme.rs`, `declared_envelope.rs`): a region setting, an API key and a webhook signing secret.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_core::Secret;

/// Settings.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AcmeConfig {
    /// Region.
    pub region: Option<String>,
}

/// Credentials.
#[derive(Deserialize, JsonSchema)]
pub struct AcmeSecrets {
    /// API key.
    pub api_key: Secret,
    /// Webhook signing secret.
    pub webhook_secret: Secret,
}
