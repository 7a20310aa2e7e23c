//! Per-connection configuration and secrets of the Stripe integration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_core::Secret;

/// Non-secret configuration of a Stripe connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StripeConfig {
    /// Connected account ID when using Stripe Connect (`acct_…`), sent as the `Stripe-Account` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Optional Stripe region or data residency hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Secrets of a Stripe connection. Deserialize-only: secrets are never written back out.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StripeSecrets {
    /// Stripe secret API key (`sk_live_…`, `sk_test_…`, or a restricted `rk_…` key).
    pub api_key: Secret,
    /// Signing secret for webhook verification (`whsec_…`).
    pub webhook_secret: Secret,
}

impl spec_runtime::client::ConnectionSecrets for StripeSecrets {
    /// The secret key serves the api-key method; OAuth access tokens come from the connect flow instead.
    fn credential(&self, kind: spec_core::AuthKind) -> Option<spec_runtime::client::Credential> {
        match kind {
            spec_core::AuthKind::ApiKey => Some(spec_runtime::client::Credential::api_key(self.api_key.clone())),
            _ => None,
        }
    }
}

impl spec_runtime::client::ConnectionConfig for StripeConfig {
    fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }
}
