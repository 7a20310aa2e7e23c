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
    #[schemars(extend("x-declared" = "api_key"))]
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
    #[schemars(extend("x-declared" = "webhook_signing"))]
    WebhookSigning(WebhookSigningAuth),
    /// A service-account credential file.
    #[serde(rename = "service-account", alias = "service_account")]
    #[schemars(extend("x-declared" = "service_account"))]
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

/// OAuth 2.0 settings. Fields beyond the endpoints describe what the provider does beyond RFC 6749 / 7009;
/// absent, the standard behaviour applies. Read them through the accessor methods, which apply the
/// defaults.
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
    /// How the client authenticates at the token endpoint; `basic` (RFC 6749 §2.3.1) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_auth: Option<ClientAuth>,
    /// Token-response field holding the connected account's id (Stripe: `stripe_user_id`); when declared, a
    /// token response without it is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id_field: Option<String>,
    /// Token-response boolean telling live from test mode (Stripe: `livemode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub livemode_field: Option<String>,
    /// Access-token lifetime in seconds assumed when a token response has no `expires_in` (Stripe: `3600`);
    /// without it such a token is taken not to expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_token_lifetime: Option<u64>,
    /// How a connection is revoked at `revocation_url`; RFC 7009 token revocation when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation: Option<Revocation>,
    /// Upstream event type (without the events prefix) meaning the account removed the application
    /// (Stripe: `account.application.deauthorized`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deauthorized_event: Option<String>,
    /// Broad scopes and the permissions they imply (Stripe: `read_write` covers every permission,
    /// `read_only` every `*_read` one). Without any, a grant covers only the permission it names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope_implications: Vec<ScopeImplication>,
}

impl OAuth2Auth {
    /// Client authentication at the token endpoint: the declared one, else [`ClientAuth::Basic`].
    pub fn client_auth(&self) -> ClientAuth {
        self.client_auth.unwrap_or_default()
    }

    /// The token-response field naming the connected account, if declared.
    pub fn account_id_field(&self) -> Option<&str> {
        self.account_id_field.as_deref()
    }

    /// The token-response field telling live from test mode, if declared.
    pub fn livemode_field(&self) -> Option<&str> {
        self.livemode_field.as_deref()
    }

    /// The access-token lifetime assumed when a token response has no `expires_in`, if declared.
    pub fn default_token_lifetime(&self) -> Option<std::time::Duration> {
        self.default_token_lifetime.map(std::time::Duration::from_secs)
    }

    /// How connections are revoked, with every default applied: RFC 7009 with the token endpoint's client
    /// authentication when no `revocation` is declared; a declared revocation without `client_auth` uses
    /// the token endpoint's. `None` for an account deauthorization that names no `account_param` (the
    /// validator refuses such a spec).
    pub fn revocation(&self) -> Option<RevocationPlan<'_>> {
        let declared = self.revocation.as_ref();
        let client_auth = declared
            .and_then(|r| r.client_auth)
            .unwrap_or_else(|| self.client_auth());
        match declared.map_or(RevocationStyle::Rfc7009, |r| r.style) {
            RevocationStyle::Rfc7009 => Some(RevocationPlan::Rfc7009 { client_auth }),
            RevocationStyle::AccountDeauthorize => {
                let account_param = declared.and_then(|r| r.account_param.as_deref())?;
                Some(RevocationPlan::AccountDeauthorize {
                    account_param,
                    client_auth,
                })
            }
        }
    }

    /// The upstream event type meaning the account removed the application, if declared.
    pub fn deauthorized_event(&self) -> Option<&str> {
        self.deauthorized_event.as_deref()
    }

    /// The declared scope implications (empty when none).
    pub fn scope_implications(&self) -> &[ScopeImplication] {
        &self.scope_implications
    }

    /// Whether the granted scope or permission `granted` covers `permission`: it names it, or it is a
    /// declared broad scope implying it.
    pub fn grant_covers(&self, granted: &str, permission: &str) -> bool {
        ScopeImplication::grant_covers(&self.scope_implications, granted, permission)
    }
}

spelled_enum! {
    /// How an OAuth client authenticates to the token or revocation endpoint.
    #[derive(Default)]
    ClientAuth {
        /// HTTP Basic with the form-encoded client id and secret (RFC 6749 §2.3.1), the standard.
        #[default]
        Basic = "basic",
        /// `client_id` and `client_secret` as fields of the form body.
        RequestBody = "request_body" | "request-body",
        /// HTTP Basic with the client secret as user name and an empty password (Stripe's `-u sk_…:`).
        SecretAsBasicUser = "secret_as_basic_user" | "secret-as-basic-user",
    }
}

spelled_enum! {
    /// How a connection is revoked at the provider.
    #[derive(Default)]
    RevocationStyle {
        /// RFC 7009: `token` (the refresh token, else the access token) and `token_type_hint`.
        #[default]
        Rfc7009 = "rfc7009",
        /// Deauthorize the connected account: form fields `client_id` and `account_param` = the account id
        /// (Stripe: `POST /oauth/deauthorize` with `client_id` and `stripe_user_id`).
        AccountDeauthorize = "account_deauthorize" | "account-deauthorize",
    }
}

/// How a connection is revoked at `revocation_url`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// The request's shape; RFC 7009 when absent.
    #[serde(default)]
    pub style: RevocationStyle,
    /// Form field carrying the connected account id (`stripe_user_id`); required by `account_deauthorize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_param: Option<String>,
    /// Client authentication on the revocation request; the token endpoint's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_auth: Option<ClientAuth>,
}

/// A revocation with every default applied (see [`OAuth2Auth::revocation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationPlan<'a> {
    /// RFC 7009 token revocation.
    Rfc7009 {
        /// Client authentication on the request.
        client_auth: ClientAuth,
    },
    /// Account deauthorization.
    AccountDeauthorize {
        /// Form field carrying the account id.
        account_param: &'a str,
        /// Client authentication on the request.
        client_auth: ClientAuth,
    },
}

/// A broad scope and the permissions it implies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeImplication {
    /// The scope as granted (`read_write`).
    pub scope: String,
    /// The permissions it implies.
    pub covers: Coverage,
}

impl ScopeImplication {
    /// Whether this scope implies `permission`.
    pub fn covers(&self, permission: &str) -> bool {
        match &self.covers {
            Coverage::All => true,
            Coverage::Suffix(suffix) => permission.ends_with(suffix.as_str()),
            Coverage::Only(list) => list.iter().any(|p| p == permission),
        }
    }

    /// Whether `granted` covers `permission` under `implications`: it names it, or it is one of the
    /// broad scopes implying it.
    pub fn grant_covers(implications: &[ScopeImplication], granted: &str, permission: &str) -> bool {
        granted == permission || implications.iter().any(|i| i.scope == granted && i.covers(permission))
    }
}

/// Which permissions a broad scope implies: `all`, `{ suffix: "_read" }` or `{ only: ["a", "b"] }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Every permission.
    All,
    /// Every permission ending with the suffix (`_read`).
    Suffix(String),
    /// Exactly these permissions.
    Only(Vec<String>),
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
    /// Header carrying the signed message id, for schemes that sign one (Standard Webhooks: `webhook-id`, as
    /// Svix sends it `svix-id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_header: Option<String>,
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
