//! The integration spec model: plain data, serde both ways (unknown fields rejected) and a JSON Schema.
//!
//! Every field of the reference `defineIntegration` spec has a home here. JSON spells fields in
//! `snake_case`; enum values use the reference spec's spelling (`api-key`, `hmac-sha256`, `ai-llm`) and
//! also accept the Rust identifier spelling (`api_key`, `hmac_sha256`, `ai_llm`) so declarations read
//! naturally in Rust.

mod action;
mod auth;
mod effective;
mod envelope;
mod meta;
mod policy;
mod signature;
mod transport;

pub use action::{Action, EventType, Events, HttpMethod, path_params};
pub use auth::{
    ApiKeyAuth, AuthKind, AuthMethod, BasicAuth, BearerAuth, ClientAuth, Coverage, GrantType, HeaderAuth, KeyKind,
    KeyMode, KeyPrefix, OAuth2Auth, Revocation, RevocationPlan, RevocationStyle, ScopeImplication, ServiceAccountAuth,
    WebhookSigningAuth,
};
pub use effective::{
    BEARER_PREFIX, DEFAULT_BEARER_HEADER, DEFAULT_HAS_MORE_FIELD, DEFAULT_ITEMS_FIELD, VersionPlacement, callback_path,
    deploy_prefix, webhook_path,
};
pub use envelope::{EventEnvelope, FieldSource, Handshake};
pub use meta::{Category, Meta, Mode, Spelled, Stability};
pub use policy::{
    ByokSetup, Capabilities, Constraints, HealthCheck, HealthCheckMethod, ProvidedCapability, RateLimit,
    RequiredCapability, SupportedVersion, VersionPolicy, VersionStatus,
};
pub use signature::{
    ContentPart, DEFAULT_TOLERANCE, ED25519_PUBLIC_KEY_PREFIX, ED25519_SECRET_KEY_PREFIX, HeaderFormat,
    STANDARD_WEBHOOKS_SECRET_PREFIX, SecretEncoding, SecretFormat, SignatureEncoding, SignatureLayout, TemplateError,
    WebhookSignature, parse_content,
};
pub use transport::{
    BodyEncoding, InboundWebhook, McpTransport, McpWire, OutboundWebhook, Pagination, PaginationStyle,
    RateLimitHeaders, RestTransport, SdkTransport, SignatureScheme, SigningAlgorithm, Transport, TransportKind,
    WebhookTransport,
};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A complete integration declaration: what the provider is, how to reach it, how to authenticate,
/// what it can do (actions) and what it tells us (events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IntegrationSpec {
    /// Identity and ownership metadata.
    pub meta: Meta,
    /// Modes the integration can run in (platform-managed credentials or bring-your-own-key).
    pub supported_modes: Vec<Mode>,
    /// Transports the provider offers; at most one per transport type.
    pub transports: Vec<Transport>,
    /// The transport clients use by default; must be one of `transports`.
    pub preferred_transport: TransportKind,
    /// Authentication methods the provider accepts.
    pub supported_auth_methods: Vec<AuthMethod>,
    /// API versioning policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_policy: Option<VersionPolicy>,
    /// Capabilities this integration provides to, and requires from, the platform.
    #[serde(default, skip_serializing_if = "Capabilities::is_empty")]
    pub capabilities: Capabilities,
    /// Non-secret per-connection configuration.
    pub config: TypeSchema,
    /// Secret per-connection credentials.
    pub secrets: TypeSchema,
    /// How the platform checks that a connection works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    /// Provider API documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    /// Rate limits and quotas the client must respect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Constraints>,
    /// Instructions for bring-your-own-key set-up; requires the `byok` mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byok_setup: Option<ByokSetup>,
    /// Operations callable on the provider.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    /// Events the provider delivers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Events>,
}

impl IntegrationSpec {
    /// Looks up an action by its id (`stripe.customer.list`).
    pub fn action(&self, id: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.id == id)
    }

    /// The transport of the given kind, if declared.
    pub fn transport(&self, kind: TransportKind) -> Option<&Transport> {
        self.transports.iter().find(|t| t.kind() == kind)
    }

    /// The REST transport, if declared.
    pub fn rest(&self) -> Option<&RestTransport> {
        self.transports.iter().find_map(|t| match t {
            Transport::Rest(r) => Some(r),
            _ => None,
        })
    }

    /// The webhook transport, if declared.
    pub fn webhook(&self) -> Option<&WebhookTransport> {
        self.transports.iter().find_map(|t| match t {
            Transport::Webhook(w) => Some(w),
            _ => None,
        })
    }

    /// Where deliveries carry each event field: `events.envelope` when declared, else the envelope
    /// conventional for the webhook signature scheme ([`webhook_scheme`](Self::webhook_scheme), declared or
    /// inferred) reading the spec's own id and timestamp headers
    /// ([`webhook_id_header`](Self::webhook_id_header), [`webhook_timestamp_header`](Self::webhook_timestamp_header));
    /// `None` without either.
    pub fn event_envelope(&self) -> Option<std::borrow::Cow<'_, EventEnvelope>> {
        if let Some(envelope) = self.events.as_ref().and_then(|e| e.envelope.as_ref()) {
            return Some(std::borrow::Cow::Borrowed(envelope));
        }
        let scheme = self.webhook_scheme()?;
        let mut envelope = EventEnvelope::for_scheme(scheme);
        // The scheme's envelope reads its id and time from the scheme's default headers; a spec naming other
        // ones (Svix's `svix-id`, `svix-timestamp`) has them read from its own.
        let renames = [
            (scheme.default_id_header(), self.webhook_id_header()),
            (scheme.default_timestamp_header(), self.webhook_timestamp_header()),
        ];
        for (default, declared) in renames {
            if let (Some(default), Some(declared)) = (default, declared) {
                envelope.rename_header(default, &declared);
            }
        }
        Some(std::borrow::Cow::Owned(envelope))
    }

    /// The first auth method of the given kind, if declared.
    pub fn auth_method(&self, kind: AuthKind) -> Option<&AuthMethod> {
        self.supported_auth_methods.iter().find(|a| a.kind() == kind)
    }

    /// The provider-neutral id derived from the key's name part (`payments.stripe` → `stripe`).
    pub fn provider_id(&self) -> &str {
        self.meta
            .key
            .split_once('.')
            .map_or(self.meta.key.as_str(), |(_, name)| name)
    }
}

/// A Rust type referenced by the spec, with its JSON Schema and an example value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeSchema {
    /// The Rust type's name as written in the declaration (`StripeConfig`).
    pub type_name: String,
    /// The type's JSON Schema (draft 2020-12); `null` until filled in from the Rust type.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub schema: serde_json::Value,
    /// An example value that must satisfy `schema`.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub example: serde_json::Value,
}

impl TypeSchema {
    /// A type reference with no schema or example yet.
    pub fn named(type_name: impl Into<String>) -> Self {
        Self {
            type_name: type_name.into(),
            schema: serde_json::Value::Null,
            example: serde_json::Value::Null,
        }
    }
}
