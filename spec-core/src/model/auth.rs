use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::IntegrationSpec;
use super::meta::spelled_enum;
use super::transport::SigningAlgorithm;

/// An authentication method the provider accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type")]
pub enum AuthMethod {
    /// A static API key in a header or query parameter.
    #[serde(rename = "api-key", alias = "api_key")]
    ApiKey(ApiKeyAuth),
    /// OAuth 2.0.
    #[serde(rename = "oauth2")]
    OAuth2(OAuth2Auth),
    /// A bearer token in `Authorization`.
    #[serde(rename = "bearer")]
    Bearer(BearerAuth),
    /// HTTP basic authentication.
    #[serde(rename = "basic")]
    Basic(BasicAuth),
    /// A credential in a custom header.
    #[serde(rename = "header")]
    Header(HeaderAuth),
    /// Signature on inbound webhooks.
    #[serde(rename = "webhook-signing", alias = "webhook_signing")]
    WebhookSigning(WebhookSigningAuth),
    /// A service-account credential file.
    #[serde(rename = "service-account", alias = "service_account")]
    ServiceAccount(ServiceAccountAuth),
}

impl AuthMethod {
    /// The method's type.
    pub fn kind(&self) -> AuthKind {
        match self {
            AuthMethod::ApiKey(_) => AuthKind::ApiKey,
            AuthMethod::OAuth2(_) => AuthKind::OAuth2,
            AuthMethod::Bearer(_) => AuthKind::Bearer,
            AuthMethod::Basic(_) => AuthKind::Basic,
            AuthMethod::Header(_) => AuthKind::Header,
            AuthMethod::WebhookSigning(_) => AuthKind::WebhookSigning,
            AuthMethod::ServiceAccount(_) => AuthKind::ServiceAccount,
        }
    }
}

spelled_enum! {
    /// Auth method type names.
    AuthKind {
        /// API key.
        ApiKey = "api-key" | "api_key",
        /// OAuth 2.0.
        OAuth2 = "oauth2",
        /// Bearer token.
        Bearer = "bearer",
        /// HTTP basic.
        Basic = "basic",
        /// Custom header.
        Header = "header",
        /// Webhook signing.
        WebhookSigning = "webhook-signing" | "webhook_signing",
        /// Service account.
        ServiceAccount = "service-account" | "service_account",
    }
}

/// API key placement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyAuth {
    /// Header carrying the key; exactly one of `header_name` and `query_param`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_name: Option<String>,
    /// Query parameter carrying the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_param: Option<String>,
    /// Text placed before the key (`Bearer `).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The provider's key formats: a key must start with one of these prefixes, each telling the key's kind
    /// and mode (Stripe: `sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`). Empty: any non-empty key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_prefixes: Vec<KeyPrefix>,
    /// Fewest characters after the prefix, all ASCII letters or digits; only with `key_prefixes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_min_body: Option<u32>,
}

/// One accepted API key prefix and what it tells about the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyPrefix {
    /// The literal prefix (`sk_live_`).
    pub prefix: String,
    /// What a key with this prefix may do.
    pub kind: KeyKind,
    /// Whether a key with this prefix acts on live data or the provider's test environment.
    pub mode: KeyMode,
}

spelled_enum! {
    /// Whether a key acts on live data or on the provider's test environment.
    KeyMode {
        /// Live data (real money for a payments provider).
        Live = "live",
        /// The provider's test environment.
        Test = "test",
    }
}

spelled_enum! {
    /// What a key may do.
    KeyKind {
        /// A full-access secret key.
        Secret = "secret",
        /// A restricted key limited to the permissions chosen when it was created.
        Restricted = "restricted",
        /// A publishable key, safe in a browser; not a credential for server calls.
        Publishable = "publishable",
    }
}

impl IntegrationSpec {
    /// The first `api_key` auth method, if declared.
    pub fn api_key_auth(&self) -> Option<&ApiKeyAuth> {
        self.supported_auth_methods.iter().find_map(|m| match m {
            AuthMethod::ApiKey(k) => Some(k),
            _ => None,
        })
    }
}

/// OAuth 2.0 settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OAuth2Auth {
    /// Grant type.
    pub grant_type: GrantType,
    /// Authorization endpoint (required for `authorization_code` and `device_code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_url: Option<String>,
    /// Token endpoint.
    pub token_url: String,
    /// Scopes requested.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// Whether PKCE (S256) is used.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pkce: bool,
    /// Token revocation / deauthorization endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_url: Option<String>,
}

spelled_enum! {
    /// OAuth 2.0 grant types.
    GrantType {
        /// Authorization code.
        AuthorizationCode = "authorization_code",
        /// Client credentials.
        ClientCredentials = "client_credentials",
        /// Refresh token.
        RefreshToken = "refresh_token",
        /// Device code.
        DeviceCode = "device_code",
    }
}

/// Bearer token in `Authorization`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BearerAuth {
    /// Header name, `Authorization` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_name: Option<String>,
}

/// HTTP basic authentication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BasicAuth {
    /// Whether the password part is left empty (the key goes in the user name).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub username_only: bool,
}

/// A credential in a custom header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeaderAuth {
    /// Header name.
    pub header_name: String,
    /// Text placed before the credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

/// How inbound webhooks are signed (must match the webhook transport).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookSigningAuth {
    /// MAC or signature algorithm.
    pub algorithm: SigningAlgorithm,
    /// Header carrying the signature.
    pub signature_header: String,
    /// Header carrying the timestamp, for schemes that send it apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_header: Option<String>,
    /// Accepted clock skew in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<u64>,
}

/// A service-account credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceAccountAuth {
    /// Credential format (`json`, `p12`).
    pub credential_format: String,
}
