//! Stripe connection configuration and secrets.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_core::Secret;

/// Non-secret configuration of a Stripe connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StripeConfig {
    /// Connected account ID when using Stripe Connect (BYOK); sent as `Stripe-Account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Optional Stripe region or data residency hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Secrets of a Stripe connection. Never printed: both fields are [`Secret`]s.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StripeSecrets {
    /// Stripe secret API key (sk_live_... or sk_test_...).
    pub api_key: Secret,
    /// Signing secret for webhook verification.
    pub webhook_secret: Secret,
}
