use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::meta::spelled_enum;

/// A way of talking to the provider.
#[allow(clippy::large_enum_variant)] // declaration data, built once per integration
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type")]
pub enum Transport {
    /// HTTP REST API.
    #[serde(rename = "rest")]
    Rest(RestTransport),
    /// Webhook deliveries from (inbound) or to (outbound) the provider.
    #[serde(rename = "webhook")]
    Webhook(WebhookTransport),
    /// The provider's official SDK.
    #[serde(rename = "sdk")]
    Sdk(SdkTransport),
    /// A Model Context Protocol server.
    #[serde(rename = "mcp")]
    Mcp(McpTransport),
}

impl Transport {
    /// The transport's type.
    pub fn kind(&self) -> TransportKind {
        match self {
            Transport::Rest(_) => TransportKind::Rest,
            Transport::Webhook(_) => TransportKind::Webhook,
            Transport::Sdk(_) => TransportKind::Sdk,
            Transport::Mcp(_) => TransportKind::Mcp,
        }
    }
}

spelled_enum! {
    /// Transport type names.
    TransportKind {
        /// HTTP REST API.
        Rest = "rest",
        /// Webhooks.
        Webhook = "webhook",
        /// Official SDK.
        Sdk = "sdk",
        /// MCP server.
        Mcp = "mcp",
    }
}

/// HTTP REST transport.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestTransport {
    /// Base URL; https unless loopback.
    pub base_url: String,
    /// Headers sent with every request.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub default_headers: BTreeMap<String, String>,
    /// Header carrying the API version (`Stripe-Version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version_header: Option<String>,
    /// Response headers reporting rate-limit state. The client reads `remaining` and `reset`: a 403 or 429 whose
    /// remaining count is `0` is retried once the quota resets (within the retry policy's longest wait).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit_headers: Option<RateLimitHeaders>,
    /// Request body encoding.
    #[serde(default)]
    pub body: BodyEncoding,
    /// Header naming the sub-account a request acts for (`Stripe-Account`), filled from the config's `account_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_header: Option<String>,
    /// Header carrying the idempotency key of mutating requests (`Idempotency-Key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_header: Option<String>,
    /// Response header by which the provider says whether a failed request may be retried (`Stripe-Should-Retry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub should_retry_header: Option<String>,
    /// How list endpoints page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// JSON pointer of the error object in error responses (`/error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_pointer: Option<String>,
    /// JSON pointer of a boolean that is `false` when a 2xx response reports a failure (Slack's `/ok`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_pointer: Option<String>,
}

/// How list endpoints page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// Paging style.
    pub style: PaginationStyle,
    /// Query parameter for the page size (`limit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_param: Option<String>,
    /// Query parameter carrying the cursor (`starting_after`, `cursor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_param: Option<String>,
    /// Response field holding the items (`data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_field: Option<String>,
    /// Response field saying more pages exist (`has_more`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more_field: Option<String>,
    /// JSON pointer of the next cursor in the response (`/response_metadata/next_cursor`), for `cursor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor_pointer: Option<String>,
}

spelled_enum! {
    /// Paging styles.
    PaginationStyle {
        /// The cursor is the id of the last item (`starting_after`), with a `has_more` flag (Stripe).
        StartingAfter = "starting_after",
        /// An opaque cursor returned in the body (Slack).
        Cursor = "cursor",
        /// RFC 8288 `Link: <…>; rel="next"` headers (GitHub).
        LinkHeader = "link_header",
    }
}

/// Names of response headers reporting rate-limit state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimitHeaders {
    /// Requests remaining in the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<String>,
    /// When the window resets: a Unix time in seconds (GitHub), or seconds from now when below 10⁹.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<String>,
    /// Window size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

spelled_enum! {
    /// How request bodies are encoded.
    BodyEncoding {
        /// `application/x-www-form-urlencoded` with bracket nesting (`metadata[k]=v`).
        Form = "form",
        /// `application/json`.
        Json = "json",
    }
}

#[allow(clippy::derivable_impls)] // the enum is declared through `spelled_enum!`
impl Default for BodyEncoding {
    fn default() -> Self {
        BodyEncoding::Json
    }
}

/// Webhook transport.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookTransport {
    /// Deliveries from the provider to us.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound: Option<InboundWebhook>,
    /// Deliveries from us onwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound: Option<OutboundWebhook>,
}

/// How inbound deliveries are signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InboundWebhook {
    /// Header carrying the signature (`stripe-signature`).
    pub signature_header: String,
    /// MAC or signature algorithm.
    pub signing_algorithm: SigningAlgorithm,
    /// How the signed payload and header are laid out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<SignatureScheme>,
    /// Accepted clock skew, in seconds, for timestamped schemes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<u64>,
    /// The signature layout, declared as data, for a provider no named `scheme` covers; absent, the
    /// `scheme`'s preset ([`SignatureScheme::layout`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<super::SignatureLayout>,
}

/// Retry policy for deliveries we send onwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutboundWebhook {
    /// How many times a failed delivery is retried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_retries: Option<u32>,
    /// Per-delivery timeout in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
}

spelled_enum! {
    /// Signing algorithms.
    SigningAlgorithm {
        /// HMAC with SHA-256.
        HmacSha256 = "hmac-sha256" | "hmac_sha256",
        /// HMAC with SHA-1.
        HmacSha1 = "hmac-sha1" | "hmac_sha1",
        /// HMAC with SHA-512.
        HmacSha512 = "hmac-sha512" | "hmac_sha512",
        /// Ed25519 signatures.
        Ed25519 = "ed25519",
    }
}

spelled_enum! {
    /// Webhook signature layouts.
    SignatureScheme {
        /// `Stripe-Signature: t=…,v1=…` over `{t}.{body}`.
        Stripe = "stripe",
        /// `X-Hub-Signature-256: sha256=…` over the body.
        Github = "github",
        /// `X-Slack-Signature: v0=…` over `v0:{ts}:{body}`.
        Slack = "slack",
        /// Standard Webhooks: `v1,<base64>` over `{id}.{ts}.{body}`.
        StandardWebhooks = "standard_webhooks",
    }
}

/// The provider's official SDK.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SdkTransport {
    /// Package name (`stripe`).
    pub package_name: String,
    /// Minimum supported version (semver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_version: Option<String>,
    /// Runtime the package targets (`node`, `python`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
}

/// A Model Context Protocol server offered by the provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct McpTransport {
    /// Wire transport.
    pub transport: McpWire,
    /// Server URL, for `http` and `sse`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Command to launch, for `stdio`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Arguments of `command`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Prefix applied to the server's tool names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_prefix: Option<String>,
}

spelled_enum! {
    /// MCP wire transports.
    McpWire {
        /// Standard input/output of a child process.
        Stdio = "stdio",
        /// Streamable HTTP.
        Http = "http",
        /// Server-sent events.
        Sse = "sse",
    }
}
