//! The provider-neutral canonical event, built from a provider's delivery with the spec's event envelope and
//! prefix.
//!
//! Every delivery becomes a [`CanonicalEvent`], whatever its type: types the spec does not declare are kept
//! (see [`CanonicalEvent::is_declared`]). Where each field is found comes from the spec's
//! [`EventEnvelope`] (`events.envelope`, or the one conventional for the webhook signature scheme): an
//! [`EventReader`] is built from it once and reads each delivery's bytes in one pass, without building a
//! `serde_json::Value`. The event keeps the delivery's JSON text once; [`CanonicalEvent::data_json`] is a
//! slice of it and [`CanonicalEvent::typed`] deserializes the integration's typed event from that slice.
//!
//! ```
//! use spec_runtime::event::CanonicalEvent;
//!
//! let raw = serde_json::json!({
//!     "id": "evt_1", "object": "event", "type": "invoice.paid", "created": 1700000000,
//!     "livemode": false, "account": "acct_1",
//!     "data": {"object": {"id": "in_1", "object": "invoice"}, "previous_attributes": {"status": "open"}}
//! });
//! let event = CanonicalEvent::from_stripe(raw, "stripe.")?;
//! assert_eq!(event.event_type, "stripe.invoice.paid");
//! assert_eq!(event.object_id.as_deref(), Some("in_1"));
//! assert_eq!(event.data()["object"], "invoice");
//! # Ok::<(), spec_runtime::event::EventError>(())
//! ```

mod reader;
mod repr;
mod scan;

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use crate::webhook::Headers;
use spec_core::{EventEnvelope, Events};

pub use reader::EventReader;

/// A provider event in provider-neutral form.
///
/// The event keeps the delivery's JSON text once (shared, so clones are cheap): [`raw_json`](Self::raw_json),
/// [`data_json`](Self::data_json) and [`previous_attributes_json`](Self::previous_attributes_json) are slices
/// of it, and [`raw`](Self::raw), [`data`](Self::data), [`data_as`](Self::data_as) and [`typed`](Self::typed)
/// parse them on demand. Serialized, it is an object with every field below plus `data`,
/// `previous_attributes` and `raw` as JSON values.
#[derive(Debug, Clone)]
pub struct CanonicalEvent {
    /// The provider's event id (`evt_…`); deliveries of one event share it.
    pub id: String,
    /// The prefixed type (`stripe.invoice.paid`).
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
    json: JsonText,
}

/// An integration's typed event, as `define_integration!` generates it (`stripe::Event`).
pub trait TypedEvent: Sized {
    /// Types `object`, the JSON text of the event's object, by the upstream `event_type`; types the
    /// integration does not declare are kept whole.
    fn from_json(event_type: &str, object: &str) -> Result<Self, serde_json::Error>;
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
    /// The body nests arrays and objects deeper than [`EventReader::MAX_DEPTH`]: it would be accepted but its
    /// object could not be parsed or typed.
    #[error("the event body nests deeper than {limit} levels")]
    TooDeep {
        /// The deepest nesting accepted.
        limit: usize,
    },
    /// A required field is absent or of the wrong type.
    #[error("the event has no usable `{field}`: nothing at {location}")]
    MissingField {
        /// The field (`id`, `type`).
        field: &'static str,
        /// Where the envelope looks for it: ``header `svix-id` `` or ``body `/id` ``.
        location: String,
    },
    /// The event's object does not match the payload type declared for its event type.
    #[error("the `{event_type}` event's object does not match its declared type: {reason}")]
    InvalidPayload {
        /// The upstream event type.
        event_type: String,
        /// The deserializer's message (path and cause).
        reason: String,
    },
}

impl EventError {
    /// A stable snake_case name of the error kind.
    pub fn kind(&self) -> &'static str {
        match self {
            EventError::InvalidJson { .. } => "invalid_json",
            EventError::TooDeep { .. } => "too_deep",
            EventError::MissingField { .. } => "missing_field",
            EventError::InvalidPayload { .. } => "invalid_payload",
        }
    }
}

impl CanonicalEvent {
    /// A canonical event from a parsed Stripe event.
    pub fn from_stripe(raw: Value, prefix: &str) -> Result<Self, EventError> {
        let no_headers: [(&str, &str); 0] = [];
        Self::from_envelope(&EventEnvelope::stripe(), raw, prefix, &no_headers)
    }

    /// A canonical event from a raw JSON body, its request headers, and the provider's envelope. To read many
    /// deliveries, build an [`EventReader`] once instead.
    pub fn from_body<H: Headers + ?Sized>(
        envelope: &EventEnvelope,
        body: &[u8],
        prefix: &str,
        headers: &H,
    ) -> Result<Self, EventError> {
        EventReader::new(envelope, prefix).canonical(body, headers)
    }

    /// A canonical event from a parsed event, its request headers, and the provider's envelope. Only the id
    /// and the first type part are required; other fields are `None` when absent or of another type.
    pub fn from_envelope<H: Headers + ?Sized>(
        envelope: &EventEnvelope,
        raw: Value,
        prefix: &str,
        headers: &H,
    ) -> Result<Self, EventError> {
        let body = serde_json::to_vec(&raw).map_err(|e| EventError::InvalidJson { reason: e.to_string() })?;
        Self::from_body(envelope, &body, prefix, headers)
    }

    /// Whether the spec's events declare this event's upstream type.
    pub fn is_declared(&self, events: &Events) -> bool {
        events.types.iter().any(|t| t.event_type == self.upstream_type)
    }

    /// The original event as received, as JSON text (surrounding whitespace trimmed).
    pub fn raw_json(&self) -> &str {
        self.json.raw()
    }

    /// The changed object as JSON text; `null` when the delivery carries none.
    pub fn data_json(&self) -> &str {
        self.json.data().unwrap_or("null")
    }

    /// Previous values of the changed fields as JSON text, for update events.
    pub fn previous_attributes_json(&self) -> Option<&str> {
        self.json.previous()
    }

    /// The original event, as received, parsed.
    pub fn raw(&self) -> Value {
        parse(self.raw_json())
    }

    /// The changed object, parsed (`Value::Null` when the delivery carries none).
    pub fn data(&self) -> Value {
        parse(self.data_json())
    }

    /// Previous values of the changed fields, parsed, for update events.
    pub fn previous_attributes(&self) -> Option<Value> {
        self.previous_attributes_json().map(parse)
    }

    /// The changed object deserialized as `T`, straight from its text.
    pub fn data_as<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.data_json())
    }

    /// The integration's typed event (`stripe::Event`), deserialized from the object's text by the upstream
    /// type.
    pub fn typed<E: TypedEvent>(&self) -> Result<E, EventError> {
        E::from_json(&self.upstream_type, self.data_json()).map_err(|e| EventError::InvalidPayload {
            event_type: self.upstream_type.clone(),
            reason: e.to_string(),
        })
    }
}

impl PartialEq for CanonicalEvent {
    /// Equal fields, and JSON texts that are equal or parse to equal values (whitespace aside).
    fn eq(&self, other: &Self) -> bool {
        let same = |a: &str, b: &str| a == b || parse(a) == parse(b);
        self.id == other.id
            && self.event_type == other.event_type
            && self.upstream_type == other.upstream_type
            && self.account_id == other.account_id
            && self.created == other.created
            && self.livemode == other.livemode
            && self.object_id == other.object_id
            && self.object_type == other.object_type
            && same(self.data_json(), other.data_json())
            && match (self.previous_attributes_json(), other.previous_attributes_json()) {
                (Some(a), Some(b)) => same(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
            && same(self.raw_json(), other.raw_json())
    }
}

/// Text that was validated as JSON when the event was built; `Null` only if that invariant were broken.
fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The event's JSON texts: one shared buffer holding the raw event, with the object and the previous
/// attributes as ranges of it (inside the raw event when read from a delivery, appended after it otherwise).
#[derive(Clone)]
struct JsonText {
    buf: Arc<str>,
    raw: Range<usize>,
    data: Option<Range<usize>>,
    previous: Option<Range<usize>>,
}

impl std::fmt::Debug for JsonText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonText")
            .field("raw_bytes", &self.raw.len())
            .field("data_bytes", &self.data.as_ref().map(Range::len))
            .field("previous_bytes", &self.previous.as_ref().map(Range::len))
            .finish()
    }
}

impl JsonText {
    /// A delivery's body and the object / previous attributes found in it (slices of `body`).
    fn from_body(body: &str, data: Option<&str>, previous: Option<&str>) -> Self {
        let trimmed = body.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        let raw = span(body, trimmed).unwrap_or(0..body.len());
        let data = data.and_then(|d| span(body, d));
        let previous = previous.and_then(|p| span(body, p));
        Self {
            buf: Arc::from(body),
            raw,
            data,
            previous,
        }
    }

    /// Separate texts, concatenated into one buffer.
    fn from_parts(raw: &str, data: Option<&str>, previous: Option<&str>) -> Self {
        let mut buf = String::with_capacity(raw.len() + data.map_or(0, str::len) + previous.map_or(0, str::len));
        let mut push = |s: &str| {
            let start = buf.len();
            buf.push_str(s);
            start..buf.len()
        };
        let raw = push(raw);
        let data = data.map(&mut push);
        let previous = previous.map(&mut push);
        Self {
            buf: Arc::from(buf),
            raw,
            data,
            previous,
        }
    }

    fn raw(&self) -> &str {
        self.buf.get(self.raw.clone()).unwrap_or("null")
    }

    fn data(&self) -> Option<&str> {
        self.data.clone().and_then(|r| self.buf.get(r))
    }

    fn previous(&self) -> Option<&str> {
        self.previous.clone().and_then(|r| self.buf.get(r))
    }
}

/// The byte range of `part` within `whole`, when `part` is a slice of it.
fn span(whole: &str, part: &str) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= whole.len() && whole.is_char_boundary(start) && whole.is_char_boundary(end)).then_some(start..end)
}
