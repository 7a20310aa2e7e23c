//! Per-connection configuration and secrets of the Stripe integration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_core::Secret;
use spec_macros::{ConnectionConfig, ConnectionSecrets};

/// Non-secret configuration of a Stripe connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, ConnectionConfig)]
#[serde(deny_unknown_fields)]
pub struct StripeConfig {
    /// Connected account ID when using Stripe Connect (`acct_…`), sent as the `Stripe-Account` header.
    #[connection(account)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Optional Stripe region or data residency hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Secrets of a Stripe connection. Deserialize-only: secrets are never written back out.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema, ConnectionSecrets)]
#[serde(deny_unknown_fields)]
pub struct StripeSecrets {
    /// Stripe secret API key (`sk_live_…`, `sk_test_…`, or a restricted `rk_…` key); OAuth access tokens
    /// come from the connect flow instead.
    #[connection(api_key)]
    pub api_key: Secret,
    /// Signing secret for webhook verification (`whsec_…`).
    #[connection(webhook_secret)]
    pub webhook_secret: Secret,
}
