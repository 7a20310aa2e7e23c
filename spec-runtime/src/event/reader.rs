//! Reading deliveries with an integration's declared envelope.

use super::scan::{Found, Plan, ScanError};
use super::{CanonicalEvent, EventError, JsonText, TypedEvent};
use crate::webhook::Headers;
use spec_core::{EventEnvelope, FieldSource, Handshake, IntegrationSpec};

/// Where one canonical field is read from, compiled from a [`FieldSource`].
#[derive(Debug, Clone)]
enum At {
    /// A slot of the scan plan.
    Body(usize),
    /// A request header.
    Header(String),
    /// Nowhere (an absent or malformed source).
    Nowhere,
}

/// Where a source is read, for messages: ``header `svix-id` `` or ``body `/id` ``.
fn location(source: &FieldSource) -> String {
    match source {
        FieldSource::Header(name) => format!("header `{name}`"),
        FieldSource::Body(pointer) => format!("body `{pointer}`"),
    }
}

impl At {
    /// Where `source` is read: a new slot of `plan` for a body pointer, or a header.
    fn compile(plan: &mut Plan, source: &FieldSource) -> Self {
        match source {
            FieldSource::Body(pointer) => plan.add(pointer).map_or(At::Nowhere, At::Body),
            FieldSource::Header(name) => At::Header(name.clone()),
        }
    }
}

/// Turns verified deliveries into [`CanonicalEvent`]s (and typed events) with one envelope and prefix.
///
/// Built once per integration ([`EventReader::from_spec`] reads the spec's
/// [`event_envelope`](IntegrationSpec::event_envelope) and event prefix); each delivery is then read in one
/// pass over its bytes that builds no `serde_json::Value`: the envelope's pointers are located with a
/// borrowing scan, the event keeps the body text once, and the typed payload is deserialized straight from
/// the object's text.
///
/// ```
/// use spec_runtime::event::EventReader;
/// use spec_core::EventEnvelope;
///
/// let reader = EventReader::new(&EventEnvelope::stripe(), "stripe.");
/// let body = br#"{"id":"evt_1","type":"invoice.paid","data":{"object":{"id":"in_1","object":"invoice"}}}"#;
/// let no_headers: [(&str, &str); 0] = [];
/// let event = reader.canonical(body, &no_headers)?;
/// assert_eq!((event.event_type.as_str(), event.object_id.as_deref()), ("stripe.invoice.paid", Some("in_1")));
/// assert_eq!(event.data_json(), r#"{"id":"in_1","object":"invoice"}"#);
/// # Ok::<(), spec_runtime::event::EventError>(())
/// ```
#[derive(Debug, Clone)]
pub struct EventReader {
    envelope: EventEnvelope,
    prefix: String,
    plan: Plan,
    id: At,
    event_type: Vec<At>,
    created: At,
    account: At,
    livemode: At,
    object: At,
    previous_attributes: At,
    object_id: At,
    object_type: At,
    handshake: Option<HandshakeReader>,
}

/// The declared URL-verification handshake, compiled: a plan of its own, so that ordinary deliveries pay
/// nothing for it unless the envelope declares one.
#[derive(Debug, Clone)]
struct HandshakeReader {
    plan: Plan,
    kind: At,
    value: String,
    challenge: At,
}

impl HandshakeReader {
    fn new(handshake: &Handshake) -> Self {
        let mut plan = Plan::default();
        let kind = At::compile(&mut plan, &handshake.kind);
        let challenge = At::compile(&mut plan, &handshake.challenge);
        Self {
            plan,
            kind,
            value: handshake.value.clone(),
            challenge,
        }
    }
}

impl EventReader {
    /// The deepest nesting of arrays and objects accepted in a delivery (the outer object counts as one).
    /// Deeper bodies are refused with [`EventError::TooDeep`] when the scan reaches the level past it, before
    /// reading further: serde_json parses and deserializes at most 128 levels, so a deeper event would be
    /// accepted and then unreadable.
    pub const MAX_DEPTH: usize = 100;

    /// A reader of deliveries carrying their fields where `envelope` says, prefixing event types with
    /// `prefix` (`stripe.`).
    pub fn new(envelope: &EventEnvelope, prefix: impl Into<String>) -> Self {
        let mut plan = Plan::default();
        let mut at = |source: Option<&FieldSource>| source.map_or(At::Nowhere, |s| At::compile(&mut plan, s));
        let id = at(Some(&envelope.id));
        let event_type = envelope.event_type.iter().map(|s| at(Some(s))).collect();
        let created = at(envelope.created.as_ref());
        let account = at(envelope.account.as_ref());
        let livemode = at(envelope.livemode.as_ref());
        let previous_attributes = at(envelope.previous_attributes.as_ref());
        // The object is the whole body when the envelope names none; its id and type are inside it.
        let object_pointer = match &envelope.object {
            Some(FieldSource::Body(pointer)) => Some(pointer.as_str()),
            Some(FieldSource::Header(_)) => None,
            None => Some(""),
        };
        let mut inside = |pointer: &Option<String>| match (object_pointer, pointer) {
            (Some(object), Some(p)) => at(Some(&FieldSource::Body(format!("{object}{p}")))),
            _ => At::Nowhere,
        };
        let object_id = inside(&envelope.object_id);
        let object_type = inside(&envelope.object_type);
        let object = match object_pointer {
            Some(p) => at(Some(&FieldSource::Body(p.to_string()))),
            None => At::Nowhere,
        };
        Self {
            handshake: envelope.handshake.as_ref().map(HandshakeReader::new),
            envelope: envelope.clone(),
            prefix: prefix.into(),
            plan,
            id,
            event_type,
            created,
            account,
            livemode,
            object,
            previous_attributes,
            object_id,
            object_type,
        }
    }

    /// A reader for the spec's deliveries: its [`event_envelope`](IntegrationSpec::event_envelope) and
    /// [`event_prefix`](spec_core::IntegrationSpec::event_prefix); `None` when the spec declares neither an envelope nor a webhook signature scheme.
    pub fn from_spec(spec: &IntegrationSpec) -> Option<Self> {
        spec.event_envelope().map(|e| Self::new(&e, spec.event_prefix()))
    }

    /// The envelope read.
    pub fn envelope(&self) -> &EventEnvelope {
        &self.envelope
    }

    /// The prefix of canonical event types.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The challenge to echo when the delivery is the envelope's declared URL-verification handshake (Slack's
    /// `{"type": "url_verification", "challenge": "…"}`); `None` for any other delivery, and always when the
    /// envelope declares no handshake.
    ///
    /// ```
    /// use spec_runtime::event::EventReader;
    /// use spec_core::EventEnvelope;
    ///
    /// let body = br#"{"token": "t", "challenge": "3eZbrw1a", "type": "url_verification"}"#;
    /// let no_headers: [(&str, &str); 0] = [];
    /// let slack = EventReader::new(&EventEnvelope::slack(), "slack.");
    /// assert_eq!(slack.handshake(body, &no_headers).as_deref(), Some("3eZbrw1a"));
    /// let stripe = EventReader::new(&EventEnvelope::stripe(), "stripe.");
    /// assert_eq!(stripe.handshake(body, &no_headers), None);
    /// ```
    pub fn handshake<H: Headers + ?Sized>(&self, body: &[u8], headers: &H) -> Option<String> {
        let h = self.handshake.as_ref()?;
        let text = std::str::from_utf8(body).ok()?;
        let found = h.plan.scan(text, Self::MAX_DEPTH).ok()?;
        let kind = lookup(&h.kind, &found, headers).and_then(|v| v.as_text())?;
        if kind != h.value {
            return None;
        }
        lookup(&h.challenge, &found, headers).and_then(|v| v.as_text())
    }

    /// The canonical event of a delivery: its body (one JSON value) and request headers. Only the id and the
    /// first type part are required; other fields are `None` when absent or of another type.
    pub fn canonical<H: Headers + ?Sized>(&self, body: &[u8], headers: &H) -> Result<CanonicalEvent, EventError> {
        let text = std::str::from_utf8(body).map_err(|e| EventError::InvalidJson { reason: e.to_string() })?;
        let found = self.plan.scan(text, Self::MAX_DEPTH).map_err(|e| match e {
            ScanError::TooDeep => EventError::TooDeep { limit: Self::MAX_DEPTH },
            ScanError::Invalid(reason) => EventError::InvalidJson { reason },
        })?;
        let get = |at: &At| lookup(at, &found, headers);
        let id = get(&self.id)
            .and_then(|f| f.as_text())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| EventError::MissingField {
                field: "id",
                location: location(&self.envelope.id),
            })?;
        let mut upstream_type = String::new();
        for (i, part) in self.event_type.iter().enumerate() {
            match get(part).and_then(|f| f.as_text()).filter(|s| !s.is_empty()) {
                Some(p) => {
                    if i > 0 {
                        upstream_type.push('.');
                    }
                    upstream_type.push_str(&p);
                }
                None if i == 0 => {
                    return Err(EventError::MissingField {
                        field: "type",
                        location: self.envelope.event_type.first().map(location).unwrap_or_default(),
                    });
                }
                None => {}
            }
        }
        let body_slot = |at: &At| match at {
            At::Body(slot) => found.get(*slot).copied().flatten(),
            _ => None,
        };
        let json = JsonText::from_body(text, body_slot(&self.object), body_slot(&self.previous_attributes));
        Ok(CanonicalEvent {
            event_type: format!("{}{upstream_type}", self.prefix),
            id,
            upstream_type,
            account_id: get(&self.account).and_then(|f| f.as_id()),
            created: get(&self.created).and_then(|f| f.as_i64()),
            livemode: get(&self.livemode).and_then(|f| f.as_bool()),
            object_id: get(&self.object_id).and_then(|f| f.as_text()),
            object_type: get(&self.object_type).and_then(|f| f.as_text()),
            json,
        })
    }

    /// The typed event and the canonical event of a delivery: the typed payload is deserialized from the
    /// object's text, by the upstream type ([`CanonicalEvent::typed`]).
    pub fn typed<E: TypedEvent, H: Headers + ?Sized>(
        &self,
        body: &[u8],
        headers: &H,
    ) -> Result<(E, CanonicalEvent), EventError> {
        let event = self.canonical(body, headers)?;
        Ok((event.typed()?, event))
    }
}

/// A value found for a canonical field.
#[derive(Debug, Clone, Copy)]
enum Value<'a> {
    /// Raw JSON text from the body (never `null`).
    Json(&'a str),
    /// A header's text, trimmed.
    Text(&'a str),
}

fn lookup<'a, H: Headers + ?Sized>(at: &At, found: &Found<'a>, headers: &'a H) -> Option<Value<'a>> {
    match at {
        At::Body(slot) => found.get(*slot).copied().flatten().map(Value::Json),
        At::Header(name) => headers
            .header(name)
            .and_then(|raw| std::str::from_utf8(raw).ok())
            .map(str::trim)
            .map(Value::Text),
        At::Nowhere => None,
    }
}

impl Value<'_> {
    /// A JSON string's contents.
    fn json_string(raw: &str) -> Option<String> {
        raw.starts_with('"').then(|| serde_json::from_str(raw).ok()).flatten()
    }

    /// The value as text: a JSON string or a header.
    fn as_text(&self) -> Option<String> {
        match self {
            Value::Json(raw) => Self::json_string(raw),
            Value::Text(s) => Some((*s).to_string()),
        }
    }

    /// The value as an identifier: text, or a JSON integer written in decimal (GitHub's numeric ids).
    fn as_id(&self) -> Option<String> {
        match self {
            Value::Json(raw) if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
                serde_json::from_str::<serde_json::Number>(raw)
                    .ok()
                    .filter(|n| n.is_i64() || n.is_u64())
                    .map(|n| n.to_string())
            }
            _ => self.as_text(),
        }
    }

    /// The value as an integer: a JSON integer, or decimal text.
    fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Json(raw) if raw.starts_with('"') => Self::json_string(raw).and_then(|s| s.trim().parse().ok()),
            Value::Json(raw) => serde_json::from_str(raw).ok(),
            Value::Text(s) => s.parse().ok(),
        }
    }

    /// The value as a boolean: a JSON boolean, or `true` / `false` text.
    fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Json("true") => Some(true),
            Value::Json("false") => Some(false),
            Value::Json(raw) => Self::json_string(raw).and_then(|s| s.parse().ok()),
            Value::Text(s) => s.parse().ok(),
        }
    }
}
