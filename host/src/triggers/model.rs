//! The target kinds and the statuses of triggers and deliveries.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a trigger's events go, tagged by `kind`: an HTTP endpoint or an action of a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Target {
    /// The canonical event POSTed as JSON to `url`, signed with Standard Webhooks (`webhook-id`,
    /// `webhook-timestamp`, `webhook-signature: v1,<base64>`) under the trigger's `whsec_…` secret.
    Http {
        /// An `http://` or `https://` URL.
        url: String,
    },
    /// An action called on a connection of the project through the actions API, with `params` rendered from the
    /// event (a string `"{{ event.data.customer }}"` takes the expression's value). The delivery's `webhook-id` is the
    /// call's idempotency key, so a retried delivery never repeats the write; a high-impact action waits for
    /// approval like any other call.
    Action {
        /// Id of a connection of the project.
        connection: String,
        /// The action (`stripe.customer.update`).
        action: String,
        /// The params, strings templated over `event`.
        #[serde(default)]
        #[schema(value_type = Value)]
        params: serde_json::Value,
    },
}

impl Target {
    /// Checks the target; the error names the field and what to do.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        match self {
            Self::Http { url } => {
                let parsed = url::Url::parse(url).map_err(|e| {
                    (
                        "target.url",
                        format!("target.url is not a URL ({e}); give an absolute http(s) URL"),
                    )
                })?;
                if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
                    return Err((
                        "target.url",
                        "target.url must be an http:// or https:// URL with a host".into(),
                    ));
                }
                Ok(())
            }
            Self::Action {
                connection,
                action,
                params,
            } => {
                if connection.trim().is_empty() {
                    return Err((
                        "target.connection",
                        "target.connection: give the id of a connection of the project".into(),
                    ));
                }
                if action.trim().is_empty() {
                    return Err((
                        "target.action",
                        "target.action: give an action id such as `stripe.customer.update`".into(),
                    ));
                }
                super::params::check(params).map_err(|e| ("target.params", e.to_string()))
            }
        }
    }

    /// Whether deliveries to the target are signed with a secret of the trigger.
    pub fn signed(&self) -> bool {
        matches!(self, Self::Http { .. })
    }
}

/// Whether a trigger fans events out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TriggerStatus {
    /// New events get deliveries.
    Enabled,
    /// New events get none (its endpoint failed for too long, see `disabled_reason`); re-enable with `PATCH`.
    Disabled,
}

impl TriggerStatus {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enabled => "enabled",
            Self::Disabled => "disabled",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Self {
        if s == "enabled" { Self::Enabled } else { Self::Disabled }
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not attempted yet (or re-queued by a retry or a replay).
    Pending,
    /// Acknowledged by the target (a 2xx answer).
    Delivered,
    /// The last attempt failed; another one is scheduled at `next_attempt_at`.
    Failed,
    /// Every attempt of the schedule failed (or the trigger went away): no more attempts unless retried.
    Dead,
}

impl DeliveryStatus {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Dead => "dead",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Self {
        match s {
            "pending" => Self::Pending,
            "delivered" => Self::Delivered,
            "failed" => Self::Failed,
            _ => Self::Dead,
        }
    }
}
