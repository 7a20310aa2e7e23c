use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::meta::spelled_enum;
use super::{EventEnvelope, TypeSchema};

/// An operation callable on the provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Stable id, `<provider>.<object>.<verb>` (`stripe.customer.list`).
    pub id: String,
    /// Rust method name on the generated client (`customer_list`).
    pub method_name: String,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path relative to the base URL; `{name}` segments are fields of the input.
    pub path: String,
    /// Input type and schema.
    pub input: TypeSchema,
    /// Output type and schema.
    pub output: TypeSchema,
    /// Whether the action changes provider state.
    #[serde(default)]
    pub mutates: bool,
    /// Whether repeating the call has no further effect (defaults to `!mutates` or an idempotency key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotent: Option<bool>,
    /// Whether callers should confirm with a human first (refunds, invoices).
    #[serde(default)]
    pub high_impact: bool,
    /// Whether the action destroys or overwrites provider state rather than only adding to it, where the
    /// method and path do not tell (a `POST /chat.delete`); omitted, it is derived
    /// ([`Action::is_destructive`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destructive: Option<bool>,
    /// Whether the action returns a paged list.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paginated: bool,
    /// Response field holding this action's page items, when it differs from the REST transport's
    /// `pagination.items_field` (Slack's `conversations.list` → `channels`); only for paginated actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_field: Option<String>,
    /// The Rust type of one page item, for a paginated action whose output is not a `List<T>`-like generic
    /// (Slack's `conversations.list` → `Conversation`): auto-paging streams yield it instead of untyped JSON.
    /// Only the type's name is kept here; its schema is the output's, at the items field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<TypeSchema>,
    /// Provider permissions the action needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
    /// What the action does.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl Action {
    /// Names of the `{param}` segments of the path, in order.
    pub fn path_params(&self) -> Vec<&str> {
        path_params(&self.path)
    }

    /// Whether a retry of this action is safe without an idempotency key.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent.unwrap_or(!self.mutates)
    }
}

/// Names of the `{param}` segments of a path template. Unbalanced braces yield no name.
pub fn path_params(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

spelled_enum! {
    /// HTTP methods.
    HttpMethod {
        /// GET.
        Get = "GET",
        /// POST.
        Post = "POST",
        /// PUT.
        Put = "PUT",
        /// PATCH.
        Patch = "PATCH",
        /// DELETE.
        Delete = "DELETE",
    }
}

/// Events the provider delivers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Events {
    /// Prefix applied to upstream event types (`stripe.`).
    pub prefix: String,
    /// Declared event types.
    pub types: Vec<EventType>,
    /// Where deliveries carry the event id, type, time, account and object; defaults to the envelope of the
    /// webhook transport's signature scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope: Option<EventEnvelope>,
}

/// One event type and its payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventType {
    /// Upstream type (`customer.created`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// Payload (the changed object) type and schema.
    pub payload: TypeSchema,
    /// What the event means.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}
