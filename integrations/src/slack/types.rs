//! Slack Web API and Events API types: configuration, secrets, action inputs/outputs and event payloads.
//! Every output keeps the fields it does not model in `extra`: nothing the API returns is dropped.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use spec_core::Secret;
use spec_macros::{ConnectionConfig, ConnectionSecrets, DeserializeOpen};
use spec_runtime::open::Extra;

/// Non-secret configuration of a Slack connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, ConnectionConfig)]
#[serde(deny_unknown_fields)]
pub struct SlackConfig {
    /// Workspace (team) id the app is installed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// Default channel for messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_channel: Option<String>,
}

/// Secrets of a Slack connection.
#[derive(Debug, Clone, Deserialize, JsonSchema, ConnectionSecrets)]
#[serde(deny_unknown_fields)]
pub struct SlackSecrets {
    /// Bot user OAuth token (`xoxb-…`).
    #[connection(bearer, oauth2)]
    pub bot_token: Secret,
    /// Signing secret of the Slack app.
    #[connection(webhook_secret)]
    pub signing_secret: Secret,
}

/// `chat.postMessage` arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChatPostMessageParams {
    /// Channel, private group or IM channel id.
    pub channel: String,
    /// Message text (fallback text when blocks are given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Block Kit blocks, each a block object (`{"type": "section", ...}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<serde_json::Map<String, Value>>>")]
    pub blocks: Option<Vec<Value>>,
    /// Parent message timestamp, to reply in a thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_ts: Option<String>,
    /// Whether to unfurl links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfurl_links: Option<bool>,
}

/// `conversations.list` arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConversationsListParams {
    /// Paging cursor from `response_metadata.next_cursor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Maximum items to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Comma-separated types: public_channel, private_channel, mpim, im.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub types: Option<String>,
    /// Whether to leave out archived channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_archived: Option<bool>,
}

/// `users.list` arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UsersListParams {
    /// Paging cursor from `response_metadata.next_cursor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Maximum items to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Whether to include each user's locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_locale: Option<bool>,
    /// Workspace to list users in, for org-wide apps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}

/// `users.info` arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UsersInfoParams {
    /// User id.
    pub user: String,
}

/// `chat.postMessage` response.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct ChatPostMessageResponse {
    /// Whether the call succeeded.
    pub ok: bool,
    /// Channel the message was posted to.
    #[serde(default)]
    pub channel: Option<String>,
    /// Timestamp (id) of the message.
    #[serde(default)]
    pub ts: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `chat.delete` arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChatDeleteParams {
    /// Channel holding the message.
    pub channel: String,
    /// Timestamp (id) of the message to delete.
    pub ts: String,
}

/// `chat.delete` response.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct ChatDeleteResponse {
    /// Whether the call succeeded.
    pub ok: bool,
    /// Channel the message was deleted from.
    #[serde(default)]
    pub channel: Option<String>,
    /// Timestamp (id) of the deleted message.
    #[serde(default)]
    pub ts: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A conversation (channel, group, IM).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Conversation {
    /// Conversation id.
    pub id: String,
    /// Name, for channels.
    #[serde(default)]
    pub name: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Cursor paging metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ResponseMetadata {
    /// Cursor of the next page; empty on the last page.
    #[serde(default)]
    pub next_cursor: String,
}

/// `conversations.list` response.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct ConversationsListResponse {
    /// Whether the call succeeded.
    pub ok: bool,
    /// One page of conversations.
    #[serde(default)]
    pub channels: Vec<Conversation>,
    /// Paging cursor.
    #[serde(default)]
    pub response_metadata: Option<ResponseMetadata>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A Slack user.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct SlackUser {
    /// User id.
    pub id: String,
    /// Handle.
    #[serde(default)]
    pub name: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `users.list` response.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct UsersListResponse {
    /// Whether the call succeeded.
    pub ok: bool,
    /// One page of users.
    #[serde(default)]
    pub members: Vec<SlackUser>,
    /// When the user list was cached, in Unix seconds.
    #[serde(default)]
    pub cache_ts: Option<i64>,
    /// Paging cursor.
    #[serde(default)]
    pub response_metadata: Option<ResponseMetadata>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `users.info` response.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct UsersInfoResponse {
    /// Whether the call succeeded.
    pub ok: bool,
    /// The user.
    #[serde(default)]
    pub user: Option<SlackUser>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Events API `message` event (the inner `event` object).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct MessageEvent {
    /// Channel id.
    #[serde(default)]
    pub channel: Option<String>,
    /// Author's user id.
    #[serde(default)]
    pub user: Option<String>,
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// Message timestamp.
    pub ts: String,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Events API `app_mention` event (the inner `event` object).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct AppMentionEvent {
    /// Channel id.
    pub channel: String,
    /// Author's user id.
    pub user: String,
    /// Text, including the mention.
    pub text: String,
    /// Message timestamp.
    pub ts: String,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
