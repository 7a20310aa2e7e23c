//! Where a provider's webhook delivery carries an event's id, type, time, account and object.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SignatureScheme;

/// Where one value is found in a delivery: `{"body": "/data/object"}` or `{"header": "X-GitHub-Delivery"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldSource {
    /// A JSON pointer (RFC 6901) into the body (`/data/object`); `""` is the whole body.
    Body(String),
    /// A request header, by name (case-insensitive).
    Header(String),
}

impl FieldSource {
    /// A body pointer.
    pub fn body(pointer: &str) -> Self {
        FieldSource::Body(pointer.to_string())
    }

    /// A header name.
    pub fn header(name: &str) -> Self {
        FieldSource::Header(name.to_string())
    }
}

/// A signed URL-verification handshake the provider sends when an endpoint is registered, answered by echoing
/// its challenge (Slack's Events API: `{"type": "url_verification", "challenge": "…"}`). Declared as
/// `events.envelope.handshake`; deliveries of providers without one are never treated as handshakes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Handshake {
    /// Where the delivery says what it is (`{"body": "/type"}`).
    #[serde(rename = "type")]
    pub kind: FieldSource,
    /// The value there that marks a handshake (`url_verification`).
    pub value: String,
    /// Where the challenge to echo sits (`{"body": "/challenge"}`).
    pub challenge: FieldSource,
}

/// Where a provider's deliveries carry each field of the canonical event. Declared as `events.envelope`; when
/// absent, the envelope conventional for the webhook transport's signature scheme applies
/// ([`EventEnvelope::for_scheme`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventEnvelope {
    /// The event id, used to deduplicate deliveries (required).
    pub id: FieldSource,
    /// The upstream type, as parts joined with `.`: the first is required, later ones are appended when
    /// present (GitHub: `X-GitHub-Event` + `/action` → `issues.opened`).
    #[serde(rename = "type")]
    pub event_type: Vec<FieldSource>,
    /// Creation time in Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<FieldSource>,
    /// The connected account (tenant) the event belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<FieldSource>,
    /// Whether the event happened in live mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub livemode: Option<FieldSource>,
    /// The changed object; the whole body when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<FieldSource>,
    /// The changed object's previous values, for update events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_attributes: Option<FieldSource>,
    /// JSON pointer of the object's id, inside the object (`/id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    /// JSON pointer of the object's type name, inside the object (`/object`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    /// The URL-verification handshake the provider sends, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handshake: Option<Handshake>,
}

impl EventEnvelope {
    /// Stripe's event: `id`, `type`, `created`, `livemode`, `account` (Connect), `data.object`,
    /// `data.previous_attributes`; the object's `id` and `object` name it.
    pub fn stripe() -> Self {
        EventEnvelope {
            id: FieldSource::body("/id"),
            event_type: vec![FieldSource::body("/type")],
            created: Some(FieldSource::body("/created")),
            account: Some(FieldSource::body("/account")),
            livemode: Some(FieldSource::body("/livemode")),
            object: Some(FieldSource::body("/data/object")),
            previous_attributes: Some(FieldSource::body("/data/previous_attributes")),
            object_id: Some("/id".into()),
            object_type: Some("/object".into()),
            handshake: None,
        }
    }

    /// GitHub: id from `X-GitHub-Delivery`, type from `X-GitHub-Event` and the body's `action`, account from
    /// the GitHub App installation; the whole body is the object.
    pub fn github() -> Self {
        EventEnvelope {
            id: FieldSource::header("X-GitHub-Delivery"),
            event_type: vec![FieldSource::header("X-GitHub-Event"), FieldSource::body("/action")],
            created: None,
            account: Some(FieldSource::body("/installation/id")),
            livemode: None,
            object: None,
            previous_attributes: Some(FieldSource::body("/changes")),
            object_id: None,
            object_type: None,
            handshake: None,
        }
    }

    /// Slack Events API (`event_callback`): `event_id`, `event.type`, `event_time`, `team_id`, `event`; the
    /// `url_verification` handshake.
    pub fn slack() -> Self {
        EventEnvelope {
            id: FieldSource::body("/event_id"),
            event_type: vec![FieldSource::body("/event/type")],
            created: Some(FieldSource::body("/event_time")),
            account: Some(FieldSource::body("/team_id")),
            livemode: None,
            object: Some(FieldSource::body("/event")),
            previous_attributes: None,
            object_id: None,
            object_type: Some("/type".into()),
            handshake: Some(Handshake {
                kind: FieldSource::body("/type"),
                value: "url_verification".into(),
                challenge: FieldSource::body("/challenge"),
            }),
        }
    }

    /// Standard Webhooks: id and time from `webhook-id` / `webhook-timestamp`, `type` and `data` from the body.
    pub fn standard_webhooks() -> Self {
        EventEnvelope {
            id: FieldSource::header("webhook-id"),
            event_type: vec![FieldSource::body("/type")],
            created: Some(FieldSource::header("webhook-timestamp")),
            account: None,
            livemode: None,
            object: Some(FieldSource::body("/data")),
            previous_attributes: None,
            object_id: Some("/id".into()),
            object_type: None,
            handshake: None,
        }
    }

    /// Reads from header `to` every field read from header `from` (names compared case-insensitively).
    pub fn rename_header(&mut self, from: &str, to: &str) {
        let rename = |source: &mut FieldSource| {
            if let FieldSource::Header(name) = source
                && name.eq_ignore_ascii_case(from)
            {
                *name = to.to_string();
            }
        };
        rename(&mut self.id);
        self.event_type.iter_mut().for_each(&rename);
        for source in [
            &mut self.created,
            &mut self.account,
            &mut self.livemode,
            &mut self.object,
            &mut self.previous_attributes,
        ]
        .into_iter()
        .flatten()
        {
            rename(source);
        }
    }

    /// The plainest envelope: the id at `/id` and the type at `/type` of the body, nothing else. What a
    /// verifier of a declared layout (no named scheme) reads when no envelope is declared.
    pub fn plain() -> Self {
        EventEnvelope {
            id: FieldSource::body("/id"),
            event_type: vec![FieldSource::body("/type")],
            created: None,
            account: None,
            livemode: None,
            object: None,
            previous_attributes: None,
            object_id: None,
            object_type: None,
            handshake: None,
        }
    }

    /// The envelope conventionally delivered with a signature scheme, or [`plain`](Self::plain) without one.
    pub fn for_optional_scheme(scheme: Option<SignatureScheme>) -> Self {
        scheme.map_or_else(Self::plain, Self::for_scheme)
    }

    /// The envelope conventionally delivered with a signature scheme.
    pub fn for_scheme(scheme: SignatureScheme) -> Self {
        match scheme {
            SignatureScheme::Stripe => Self::stripe(),
            SignatureScheme::Github => Self::github(),
            SignatureScheme::Slack => Self::slack(),
            SignatureScheme::StandardWebhooks => Self::standard_webhooks(),
        }
    }

    /// Every source with its path under `events.envelope`, for validation and code generators.
    pub fn sources(&self) -> Vec<(String, &FieldSource)> {
        let mut out = vec![("id".to_string(), &self.id)];
        out.extend(
            self.event_type
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("type[{i}]"), s)),
        );
        let optional = [
            ("created", &self.created),
            ("account", &self.account),
            ("livemode", &self.livemode),
            ("object", &self.object),
            ("previous_attributes", &self.previous_attributes),
        ];
        out.extend(
            optional
                .into_iter()
                .filter_map(|(name, s)| s.as_ref().map(|s| (name.to_string(), s))),
        );
        if let Some(h) = &self.handshake {
            out.push(("handshake.type".to_string(), &h.kind));
            out.push(("handshake.challenge".to_string(), &h.challenge));
        }
        out
    }
}
