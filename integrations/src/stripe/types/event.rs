//! The envelope of webhook events (`object: "event"`).

use schemars::JsonSchema;
use serde::Serialize;
use spec_macros::DeserializeOpen;

use super::common::{Extra, HasId};

/// A Stripe event as delivered to a webhook endpoint; `T` is the type of `data.object`.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct EventEnvelope<T = serde_json::Value> {
    /// Unique identifier for the object (`evt_…`).
    pub id: String,
    /// Always `event`.
    pub object: String,
    /// The connected account that originated the event (Connect webhooks only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The API version `data.object` is rendered with.
    pub api_version: Option<String>,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// The object the event is about.
    pub data: EventData<T>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Number of webhooks not yet successfully delivered.
    pub pending_webhooks: i64,
    /// The API request that caused the event, if any.
    pub request: Option<EventRequest>,
    /// Description of the event (`invoice.paid`, `customer.created` …).
    pub r#type: String,
    /// Fields not modeled here (`context` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T> HasId for EventEnvelope<T> {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The object of an event.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
#[schemars(rename = "EventData{T}")]
pub struct EventData<T> {
    /// The object as it is after the change.
    pub object: T,
    /// For `*.updated` events, the previous values of the fields that changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_attributes: Option<serde_json::Map<String, serde_json::Value>>,
    /// Fields not modeled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The API request behind an event.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct EventRequest {
    /// ID of the request; `null` for automatic events (subscription renewals …).
    pub id: Option<String>,
    /// The idempotency key of the request, if one was sent.
    pub idempotency_key: Option<String>,
    /// Fields not modeled here.
    #[serde(flatten)]
    pub extra: Extra,
}
