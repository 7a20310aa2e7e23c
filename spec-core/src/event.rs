//! The provider-neutral canonical event, built from a provider's raw event and the spec's event prefix.
//!
//! Every delivery becomes a [`CanonicalEvent`], whatever its type: types the spec does not declare are kept
//! (see [`CanonicalEvent::is_declared`]). Field locations come from a declarative
//! [`Envelope`], one per provider.
//!
//! ```
//! use spec_core::event::CanonicalEvent;
//!
//! let raw = serde_json::json!({
//!     "id": "evt_1", "object": "event", "type": "invoice.paid", "created": 1700000000,
//!     "livemode": false, "account": "acct_1",
//!     "data": {"object": {"id": "in_1", "object": "invoice"}, "previous_attributes": {"status": "open"}}
//! });
//! let event = CanonicalEvent::from_stripe(raw, "stripe.")?;
//! assert_eq!(event.event_type, "stripe.invoice.paid");
//! assert_eq!(event.object_id.as_deref(), Some("in_1"));
//! # Ok::<(), spec_core::event::EventError>(())
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{Events, IntegrationSpec};
use crate::webhook::{Envelope, Headers, Source};

/// A provider event in provider-neutral form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CanonicalEvent {
    /// The provider's event id (`evt_…`); deliveries of one event share it.
    pub id: String,
    /// The prefixed type (`stripe.invoice.paid`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// The provider's own type (`invoice.paid`).
    pub upstream_type: String,
    /// The connected account the event belongs to (`acct_…`); `None` for the platform's own events.
    pub account_id: Option<String>,
    /// When the event happened, in Unix seconds.
    pub created: Option<i64>,
    /// Whether the event happened in live mode.
    pub livemode: Option<bool>,
    /// Id of the changed object (`in_…`).
    pub object_id: Option<String>,
    /// Type of the changed object (`invoice`).
    pub object_type: Option<String>,
    /// The changed object.
    pub data: Value,
    /// Previous values of the changed fields, for update events.
    pub previous_attributes: Option<Value>,
    /// The original event, as received.
    pub raw: Value,
}

/// Why a delivery's body cannot become a canonical event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// The body is not JSON.
    #[error("the event body is not valid JSON: {reason}")]
    InvalidJson {
        /// The parser's message (position and cause).
        reason: String,
    },
    /// A required field is absent or of the wrong type.
    #[error("the event has no usable `{field}`")]
    MissingField {
        /// The field (`id`, `type`).
        field: &'static str,
    },
}

impl EventError {
    /// A stable snake_case name of the error kind.
    pub fn kind(&self) -> &'static str {
        match self {
            EventError::InvalidJson { .. } => "invalid_json",
            EventError::MissingField { .. } => "missing_field",
        }
    }
}

/// The prefix of an integration's event types: its `events.prefix`, or `<provider id>.` when it declares no
/// events.
pub fn event_prefix(spec: &IntegrationSpec) -> String {
    match &spec.events {
        Some(events) => events.prefix.clone(),
        None => format!("{}.", spec.provider_id()),
    }
}

impl CanonicalEvent {
    /// A canonical event from a Stripe event.
    pub fn from_stripe(raw: Value, prefix: &str) -> Result<Self, EventError> {
        let no_headers: [(&str, &str); 0] = [];
        Self::from_envelope(&Envelope::STRIPE, raw, prefix, &no_headers)
    }

    /// A canonical event from a raw JSON body, its request headers, and the provider's envelope.
    pub fn from_body<H: Headers + ?Sized>(
        envelope: &Envelope,
        body: &[u8],
        prefix: &str,
        headers: &H,
    ) -> Result<Self, EventError> {
        let raw = serde_json::from_slice(body).map_err(|e| EventError::InvalidJson { reason: e.to_string() })?;
        Self::from_envelope(envelope, raw, prefix, headers)
    }

    /// A canonical event from a parsed event, its request headers, and the provider's envelope. Only the id
    /// and the first type part are required; other fields are `None` when absent or of another type.
    pub fn from_envelope<H: Headers + ?Sized>(
        envelope: &Envelope,
        raw: Value,
        prefix: &str,
        headers: &H,
    ) -> Result<Self, EventError> {
        let text = |s: Option<Source>| s.and_then(|s| s.find(&raw, headers)).and_then(|f| f.as_text());
        let id = text(Some(envelope.id))
            .filter(|s| !s.is_empty())
            .ok_or(EventError::MissingField { field: "id" })?;
        let mut upstream_type = String::new();
        for (i, part) in envelope.event_type.iter().enumerate() {
            match text(Some(*part)).filter(|s| !s.is_empty()) {
                Some(p) => {
                    if i > 0 {
                        upstream_type.push('.');
                    }
                    upstream_type.push_str(&p);
                }
                None if i == 0 => return Err(EventError::MissingField { field: "type" }),
                None => {}
            }
        }
        let account_id = envelope
            .account
            .and_then(|s| s.find(&raw, headers))
            .and_then(|f| f.as_id());
        let created = envelope
            .created
            .and_then(|s| s.find(&raw, headers))
            .and_then(|f| f.as_i64());
        let livemode = envelope
            .livemode
            .and_then(|s| s.find(&raw, headers))
            .and_then(|f| f.as_bool());
        let data = match envelope.object {
            Some(Source::Body(pointer)) => raw.pointer(pointer).cloned().unwrap_or(Value::Null),
            Some(Source::Header(_)) => Value::Null,
            None => raw.clone(),
        };
        let previous_attributes = match envelope.previous_attributes {
            Some(Source::Body(pointer)) => raw.pointer(pointer).filter(|v| !v.is_null()).cloned(),
            _ => None,
        };
        let in_object = |pointer: Option<&str>| {
            pointer
                .and_then(|p| data.pointer(p))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let object_id = in_object(envelope.object_id);
        let object_type = in_object(envelope.object_type);
        Ok(Self {
            event_type: format!("{prefix}{upstream_type}"),
            id,
            upstream_type,
            account_id,
            created,
            livemode,
            object_id,
            object_type,
            data,
            previous_attributes,
            raw,
        })
    }

    /// Whether the spec's events declare this event's upstream type.
    pub fn is_declared(&self, events: &Events) -> bool {
        events.types.iter().any(|t| t.event_type == self.upstream_type)
    }
}
