//! Resend types: configuration, secrets (with the connection traits derived from their marked fields),
//! action inputs/outputs and webhook payloads. Every output keeps the fields it does not model in `extra`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_core::Secret;
use spec_macros::{ConnectionConfig, ConnectionSecrets, DeserializeOpen};
use spec_runtime::open::Extra;

/// Non-secret configuration of a Resend connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, ConnectionConfig)]
#[serde(deny_unknown_fields)]
pub struct ResendConfig {
    /// Sender used when a send names none (`Name <address>` on a verified domain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_from: Option<String>,
}

/// Secrets of a Resend connection.
#[derive(Debug, Clone, Deserialize, JsonSchema, ConnectionSecrets)]
#[serde(deny_unknown_fields)]
pub struct ResendSecrets {
    /// API key (`re_…`), sent as a bearer token.
    #[connection(bearer)]
    pub api_key: Secret,
    /// Signing secret of the webhook endpoint (`whsec_…`).
    #[connection(webhook_secret)]
    #[serde(default)]
    pub webhook_secret: Option<Secret>,
}

/// A tag attached to an email, returned in its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmailTag {
    /// Tag name: ASCII letters, digits, `_` and `-`.
    pub name: String,
    /// Tag value: ASCII letters, digits, `_` and `-`.
    pub value: String,
}

/// `POST /emails` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SendEmailParams {
    /// Sender, `Name <address>` on a verified domain.
    pub from: String,
    /// Recipients (at most 50).
    pub to: Vec<String>,
    /// Subject line.
    pub subject: String,
    /// HTML body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Plain-text body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Carbon-copy recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cc: Option<Vec<String>>,
    /// Blind carbon-copy recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bcc: Option<Vec<String>>,
    /// Reply-to addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<Vec<String>>,
    /// Extra email headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// Tags returned in the email's events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<EmailTag>>,
    /// When to send, in ISO 8601 or natural language (`in 1 hour`); now when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<String>,
}

/// `POST /emails` answer.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct SendEmailResponse {
    /// The email's id.
    pub id: String,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /emails/{email_id}` parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmailGetParams {
    /// The email's id.
    pub email_id: String,
}

/// `POST /emails/{email_id}/cancel` parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmailCancelParams {
    /// The scheduled email's id.
    pub email_id: String,
}

/// An email as `GET /emails/{email_id}` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Email {
    /// The email's id.
    pub id: String,
    /// Sender.
    pub from: String,
    /// Recipients.
    pub to: Vec<String>,
    /// Subject line.
    pub subject: String,
    /// When the email was created (ISO 8601).
    pub created_at: String,
    /// The latest delivery event (`delivered`, `bounced`, `scheduled`, …).
    #[serde(default)]
    pub last_event: Option<String>,
    /// When a scheduled email is sent.
    #[serde(default)]
    pub scheduled_at: Option<String>,
    /// Fields not modelled here (`html`, `text`, `cc`, `bcc`, `reply_to`, `object`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The email a cancel refers to.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct EmailRef {
    /// The email's id.
    pub id: String,
    /// Fields not modelled here (`object`).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The `data` of every `email.*` webhook event.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct EmailEventData {
    /// The email's id.
    pub email_id: String,
    /// Sender.
    pub from: String,
    /// Recipients.
    pub to: Vec<String>,
    /// Subject line.
    pub subject: String,
    /// When the email was created (ISO 8601).
    pub created_at: String,
    /// Fields not modelled here (`bounce`, `click`, `tags`, `headers`, …).
    #[serde(flatten)]
    pub extra: Extra,
}
