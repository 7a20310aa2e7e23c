//! Declarative descriptions of where a provider's delivery carries an event's fields.
//!
//! The canonical event ([`CanonicalEvent`](crate::event::CanonicalEvent)) is built by reading the fields an
//! [`Envelope`] points at, so another provider slots in as one more constant, without touching the builder.

use serde_json::Value;

use super::headers::Headers;
use crate::model::SignatureScheme;

/// Where one value is found in a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A JSON pointer (RFC 6901) into the body (`/data/object`); `""` is the whole body.
    Body(&'static str),
    /// A request header.
    Header(&'static str),
}

/// A value found at a [`Source`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Found<'a> {
    /// A JSON value from the body.
    Json(&'a Value),
    /// A header's text.
    Text(&'a str),
}

impl Source {
    /// The value at this source; `None` when absent, JSON `null`, or a header that is not UTF-8.
    pub fn find<'a, H: Headers + ?Sized>(&self, body: &'a Value, headers: &'a H) -> Option<Found<'a>> {
        match self {
            Source::Body(pointer) => body.pointer(pointer).filter(|v| !v.is_null()).map(Found::Json),
            Source::Header(name) => headers
                .header(name)
                .and_then(|raw| std::str::from_utf8(raw).ok())
                .map(str::trim)
                .map(Found::Text),
        }
    }
}

impl Found<'_> {
    /// The value as text: a JSON string or a header.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Found::Json(Value::String(s)) => Some(s.clone()),
            Found::Json(_) => None,
            Found::Text(s) => Some((*s).to_string()),
        }
    }

    /// The value as an identifier: text, or a JSON integer written in decimal (GitHub's numeric ids).
    pub fn as_id(&self) -> Option<String> {
        match self {
            Found::Json(Value::Number(n)) if n.is_i64() || n.is_u64() => Some(n.to_string()),
            _ => self.as_text(),
        }
    }

    /// The value as an integer: a JSON integer, or decimal text.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Found::Json(Value::Number(n)) => n.as_i64(),
            Found::Json(Value::String(s)) => s.trim().parse().ok(),
            Found::Json(_) => None,
            Found::Text(s) => s.parse().ok(),
        }
    }

    /// The value as a boolean: a JSON boolean, or `true` / `false` text.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Found::Json(Value::Bool(b)) => Some(*b),
            Found::Json(Value::String(s)) => s.parse().ok(),
            Found::Text(s) => s.parse().ok(),
            Found::Json(_) => None,
        }
    }
}

/// Where a provider's deliveries carry each field of the canonical event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Envelope {
    /// The event id (required).
    pub id: Source,
    /// The upstream type, as parts joined with `.`; the first is required, later ones are appended when
    /// present (GitHub: `X-GitHub-Event` + `action` → `issues.opened`).
    pub event_type: &'static [Source],
    /// Creation time in Unix seconds.
    pub created: Option<Source>,
    /// The connected account (tenant) the event belongs to; absent for platform events.
    pub account: Option<Source>,
    /// Whether the event happened in live mode.
    pub livemode: Option<Source>,
    /// The changed object; the whole body when `None`.
    pub object: Option<Source>,
    /// The changed object's previous values, for update events.
    pub previous_attributes: Option<Source>,
    /// JSON pointer of the object's id, inside the object.
    pub object_id: Option<&'static str>,
    /// JSON pointer of the object's type name, inside the object.
    pub object_type: Option<&'static str>,
}

impl Envelope {
    /// Stripe's event: `id`, `type`, `created`, `livemode`, `account` (Connect), `data.object`,
    /// `data.previous_attributes`; the object's `id` and `object` name it.
    pub const STRIPE: Envelope = Envelope {
        id: Source::Body("/id"),
        event_type: &[Source::Body("/type")],
        created: Some(Source::Body("/created")),
        account: Some(Source::Body("/account")),
        livemode: Some(Source::Body("/livemode")),
        object: Some(Source::Body("/data/object")),
        previous_attributes: Some(Source::Body("/data/previous_attributes")),
        object_id: Some("/id"),
        object_type: Some("/object"),
    };

    /// GitHub: id from `X-GitHub-Delivery`, type from `X-GitHub-Event` and the body's `action`, account from
    /// the GitHub App installation; the whole body is the object.
    pub const GITHUB: Envelope = Envelope {
        id: Source::Header("X-GitHub-Delivery"),
        event_type: &[Source::Header("X-GitHub-Event"), Source::Body("/action")],
        created: None,
        account: Some(Source::Body("/installation/id")),
        livemode: None,
        object: None,
        previous_attributes: Some(Source::Body("/changes")),
        object_id: None,
        object_type: None,
    };

    /// Slack Events API (`event_callback`): `event_id`, `event.type`, `event_time`, `team_id`, `event`.
    pub const SLACK: Envelope = Envelope {
        id: Source::Body("/event_id"),
        event_type: &[Source::Body("/event/type")],
        created: Some(Source::Body("/event_time")),
        account: Some(Source::Body("/team_id")),
        livemode: None,
        object: Some(Source::Body("/event")),
        previous_attributes: None,
        object_id: None,
        object_type: Some("/type"),
    };

    /// Standard Webhooks: id and time from `webhook-id` / `webhook-timestamp`, `type` and `data` from the body.
    pub const STANDARD_WEBHOOKS: Envelope = Envelope {
        id: Source::Header("webhook-id"),
        event_type: &[Source::Body("/type")],
        created: Some(Source::Header("webhook-timestamp")),
        account: None,
        livemode: None,
        object: Some(Source::Body("/data")),
        previous_attributes: None,
        object_id: Some("/id"),
        object_type: None,
    };

    /// The envelope conventionally delivered with a signature scheme.
    pub fn for_scheme(scheme: SignatureScheme) -> &'static Envelope {
        match scheme {
            SignatureScheme::Stripe => &Self::STRIPE,
            SignatureScheme::Github => &Self::GITHUB,
            SignatureScheme::Slack => &Self::SLACK,
            SignatureScheme::StandardWebhooks => &Self::STANDARD_WEBHOOKS,
        }
    }
}
