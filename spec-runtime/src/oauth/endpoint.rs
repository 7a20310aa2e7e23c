//! The provider's token and revocation endpoints (RFC 6749 §4.1.3, §6; RFC 7009) through the `oauth2`
//! crate, with the provider's extra response fields kept and every failure mapped to a [`TokenError`]
//! that carries no credential.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use oauth2::basic::{BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenType};
use oauth2::{
    AuthType, AuthUrl, ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet, ExtraTokenFields,
    RedirectUrl, RequestTokenError, RevocationUrl, StandardRevocableToken, StandardTokenIntrospectionResponse,
    StandardTokenResponse, TokenUrl,
};
use reqwest::header::HeaderValue;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use super::http::HttpFailure;
use spec_core::{ClientAuth, Secret};

/// A token or revocation request failed. Never carries a token, code or client secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The request did not complete (connection, timeout, TLS).
    #[error("{endpoint} request failed: {message}")]
    Http {
        /// `token endpoint` or `revocation endpoint`.
        endpoint: &'static str,
        /// What failed.
        message: String,
    },
    /// The provider refused with an OAuth error (`invalid_grant`, `invalid_client` …).
    #[error("{endpoint} refused the request ({status}): {error}{}", describe(.description))]
    Rejected {
        /// `token endpoint` or `revocation endpoint`.
        endpoint: &'static str,
        /// HTTP status.
        status: u16,
        /// OAuth error code.
        error: String,
        /// The provider's description, with any credential sent in the request redacted.
        description: Option<String>,
    },
    /// A non-success status without an OAuth error body.
    #[error("{endpoint} answered HTTP {status}")]
    Status {
        /// `token endpoint` or `revocation endpoint`.
        endpoint: &'static str,
        /// HTTP status.
        status: u16,
    },
    /// The response is larger than the connector's
    /// [`max_response_bytes`](super::OAuthConnectorBuilder::max_response_bytes); the rest was not read.
    #[error("{endpoint} response is larger than {limit} bytes")]
    ResponseTooLarge {
        /// `token endpoint` or `revocation endpoint`.
        endpoint: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A success status whose body is not a usable token response.
    #[error("{endpoint} returned an invalid response: {detail}")]
    InvalidResponse {
        /// `token endpoint` or `revocation endpoint`.
        endpoint: &'static str,
        /// What is wrong (never the body itself).
        detail: String,
    },
}

impl TokenError {
    /// The OAuth error code, when the provider sent one.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            TokenError::Rejected { error, .. } => Some(error),
            _ => None,
        }
    }
}

fn describe(description: &Option<String>) -> String {
    description.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
}

pub(crate) const TOKEN_ENDPOINT: &str = "token endpoint";
pub(crate) const REVOCATION_ENDPOINT: &str = "revocation endpoint";

/// The token-response fields beyond RFC 6749's (Stripe: `stripe_user_id`, `livemode`,
/// `stripe_publishable_key`). `Debug` shows only their names.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct ProviderFields {
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl fmt::Debug for ProviderFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.fields.keys()).finish()
    }
}

impl ExtraTokenFields for ProviderFields {}

/// A token response as `oauth2` parses it.
pub(crate) type ProviderToken = StandardTokenResponse<ProviderFields, BasicTokenType>;

/// The `oauth2` client of one connector: authorization and token endpoints set, revocation maybe.
pub(crate) type ProviderClient = oauth2::Client<
    BasicErrorResponse,
    ProviderToken,
    StandardTokenIntrospectionResponse<ProviderFields, BasicTokenType>,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointSet,
>;

/// A token response: the RFC 6749 fields and everything else the provider sent.
pub(crate) struct TokenResponse {
    pub access_token: Secret,
    pub token_type: String,
    pub expires_in: Option<u64>,
    pub refresh_token: Option<Secret>,
    pub scope: Option<Vec<String>>,
    pub extras: Map<String, Value>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .field("extras", &self.extras.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl From<ProviderToken> for TokenResponse {
    fn from(t: ProviderToken) -> Self {
        use oauth2::TokenResponse as _;
        Self {
            access_token: Secret::new(t.access_token().secret().clone()),
            token_type: t.token_type().as_ref().to_string(),
            expires_in: t.expires_in().map(|d| d.as_secs()),
            refresh_token: t.refresh_token().map(|r| Secret::new(r.secret().clone())),
            scope: t.scopes().map(|s| s.iter().map(|s| s.to_string()).collect()),
            extras: t.extra_fields().fields.clone(),
        }
    }
}

/// The client's credentials and endpoints.
pub(crate) struct Endpoints {
    pub client_id: String,
    pub client_secret: Secret,
    pub authorization_url: Url,
    pub token_url: Url,
    pub revocation_url: Option<Url>,
    pub redirect_uri: Url,
}

impl Endpoints {
    /// Every form the client secret takes on the wire, for the redactor: as written (form field) and in
    /// the `Authorization: Basic` values of both Basic styles (a provider echoing the header it got must
    /// not put the credential into an error).
    pub(crate) fn secret_forms(&self) -> [String; 3] {
        let basic = |v: HeaderValue| {
            v.to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Basic "))
                .unwrap_or_default()
                .to_string()
        };
        [
            self.client_secret.expose().to_string(),
            basic(secret_as_basic_user(&self.client_secret)),
            basic(client_basic(&self.client_id, &self.client_secret)),
        ]
    }

    /// The `oauth2` client authenticating with `auth`, and the `Authorization` header to put on its requests
    /// when `oauth2` cannot express the style itself (`secret_as_basic_user`).
    pub(crate) fn client(&self, auth: ClientAuth) -> (ProviderClient, Option<HeaderValue>) {
        let base = oauth2::Client::new(ClientId::new(self.client_id.clone()))
            .set_auth_uri(AuthUrl::from_url(self.authorization_url.clone()))
            .set_token_uri(TokenUrl::from_url(self.token_url.clone()))
            .set_revocation_url_option(self.revocation_url.clone().map(RevocationUrl::from_url))
            .set_redirect_uri(RedirectUrl::from_url(self.redirect_uri.clone()));
        let secret = || ClientSecret::new(self.client_secret.expose().to_string());
        match auth {
            ClientAuth::Basic => (
                base.set_client_secret(secret()).set_auth_type(AuthType::BasicAuth),
                None,
            ),
            ClientAuth::RequestBody => (
                base.set_client_secret(secret()).set_auth_type(AuthType::RequestBody),
                None,
            ),
            // No secret for oauth2 to place: it sends `client_id` in the body; the secret goes as Basic user.
            ClientAuth::SecretAsBasicUser => (
                base.set_auth_type(AuthType::RequestBody),
                Some(secret_as_basic_user(&self.client_secret)),
            ),
        }
    }
}

/// `Authorization: Basic base64(secret ":")`, marked sensitive.
pub(crate) fn secret_as_basic_user(secret: &Secret) -> HeaderValue {
    let encoded = STANDARD.encode(format!("{}:", secret.expose()));
    // base64 output and the `Basic ` prefix are visible ASCII, always a valid header value.
    let mut value = HeaderValue::from_str(&format!("Basic {encoded}")).unwrap_or(HeaderValue::from_static("Basic"));
    value.set_sensitive(true);
    value
}

/// `Authorization: Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1), marked sensitive.
pub(crate) fn client_basic(client_id: &str, secret: &Secret) -> HeaderValue {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let encoded = STANDARD.encode(format!("{}:{}", enc(client_id), enc(secret.expose())));
    let mut value = HeaderValue::from_str(&format!("Basic {encoded}")).unwrap_or(HeaderValue::from_static("Basic"));
    value.set_sensitive(true);
    value
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Value,
    #[serde(default)]
    error_description: Option<String>,
}

/// `text` with every credential sent masked, through the one redactor (values under four characters are
/// too short to tell from ordinary text and are left).
fn redact(text: &str, secrets: &[&str]) -> String {
    crate::redact::Redactor::new(
        secrets
            .iter()
            .filter(|s| s.len() >= 4)
            .map(|s| spec_core::Secret::new(s.to_string())),
    )
    .text(text)
}

/// A non-200 answer as a [`TokenError`]: the OAuth error it carries (with any credential sent redacted),
/// else its status.
fn answered(endpoint: &'static str, status: u16, body: &[u8], secrets: &[&str]) -> TokenError {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(err) => {
            // Stripe nests `{"error": {"message": …}}` on some endpoints; RFC 6749 uses a string.
            let (error, nested) = match err.error {
                Value::String(s) => (s, None),
                Value::Object(o) => (
                    o.get("code")
                        .or_else(|| o.get("type"))
                        .and_then(Value::as_str)
                        .unwrap_or("error")
                        .to_string(),
                    o.get("message").and_then(Value::as_str).map(str::to_string),
                ),
                other => (other.to_string(), None),
            };
            TokenError::Rejected {
                endpoint,
                status,
                error: redact(&error, secrets),
                description: err.error_description.or(nested).map(|d| redact(&d, secrets)),
            }
        }
        Err(_) => TokenError::Status { endpoint, status },
    }
}

/// A failure of the HTTP exchange itself as a [`TokenError`].
pub(crate) fn http_failure(endpoint: &'static str, failure: HttpFailure, secrets: &[&str]) -> TokenError {
    match failure {
        HttpFailure::Transport(message) => TokenError::Http {
            endpoint,
            message: redact(&message, secrets),
        },
        HttpFailure::TooLarge(limit) => TokenError::ResponseTooLarge { endpoint, limit },
        HttpFailure::Answered { status, body } => answered(endpoint, status, &body, secrets),
    }
}

/// An `oauth2` request error as a [`TokenError`]; `secrets` are the credentials the request carried.
pub(crate) fn request_error<TE: oauth2::ErrorResponse + 'static>(
    endpoint: &'static str,
    error: RequestTokenError<HttpFailure, TE>,
    secrets: &[&str],
) -> TokenError {
    match error {
        RequestTokenError::Request(failure) => http_failure(endpoint, failure, secrets),
        // Every non-200 answer stops in the HTTP client as `Answered`; keep a mapping all the same.
        RequestTokenError::ServerResponse(e) => TokenError::Rejected {
            endpoint,
            status: 0,
            error: redact(&e.to_string(), secrets),
            description: None,
        },
        RequestTokenError::Parse(e, _body) => TokenError::InvalidResponse {
            endpoint,
            // serde_json messages may quote values; keep only the category, the field path and position.
            detail: format!(
                "{} at `{}` (line {} column {})",
                match e.inner().classify() {
                    serde_json::error::Category::Io => "I/O error",
                    serde_json::error::Category::Syntax => "JSON syntax error",
                    serde_json::error::Category::Data => "missing or mistyped field",
                    serde_json::error::Category::Eof => "truncated JSON",
                },
                e.path(),
                e.inner().line(),
                e.inner().column()
            ),
        },
        RequestTokenError::Other(message) => TokenError::InvalidResponse {
            endpoint,
            detail: redact(&message, secrets),
        },
    }
}
