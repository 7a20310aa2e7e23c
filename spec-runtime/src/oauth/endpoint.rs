//! Requests to the provider's token and revocation endpoints (RFC 6749 §4.1.3, §6; RFC 7009), with the
//! provider's extra response fields kept.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use serde::Deserialize;
use serde_json::{Map, Value};
use url::Url;

use super::profile::ClientAuth;
use spec_core::Secret;

/// A token or revocation request failed. Never carries a token, code or client secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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

/// A token response: the RFC 6749 fields and everything else the provider sent.
#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    pub access_token: Secret,
    #[serde(default = "bearer")]
    pub token_type: String,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(flatten)]
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

fn bearer() -> String {
    "bearer".to_string()
}

/// `expires_in` as a number or a numeric string (some providers send either).
fn lenient_u64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_u64().or_else(|| n.as_f64().map(|f| f.max(0.0) as u64)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Value,
    #[serde(default)]
    error_description: Option<String>,
}

/// The client's credentials and how it presents them.
pub(crate) struct ClientCredentials<'a> {
    pub client_id: &'a str,
    pub client_secret: &'a Secret,
    pub auth: ClientAuth,
}

fn basic(endpoint: &'static str, user: &str, password: &str) -> Result<HeaderValue, TokenError> {
    let mut value = HeaderValue::from_str(&format!("Basic {}", STANDARD.encode(format!("{user}:{password}"))))
        .map_err(|_| TokenError::Http {
            endpoint,
            message: "client credentials cannot form an Authorization header".to_string(),
        })?;
    value.set_sensitive(true);
    Ok(value)
}

fn form_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn redact(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|s| s.len() >= 4)
        .fold(text.to_string(), |acc, s| acc.replace(s, "[REDACTED]"))
}

/// POSTs a form with client authentication; returns the body of a 2xx response.
pub(crate) async fn post_form(
    http: &reqwest::Client,
    endpoint: &'static str,
    url: &Url,
    client: &ClientCredentials<'_>,
    mut params: Vec<(&'static str, String)>,
    sent_secrets: &[&str],
) -> Result<Vec<u8>, TokenError> {
    let mut request = http.post(url.clone()).header(ACCEPT, "application/json");
    match client.auth {
        ClientAuth::Basic => {
            let value = basic(
                endpoint,
                &form_encode(client.client_id),
                &form_encode(client.client_secret.expose()),
            )?;
            request = request.header(AUTHORIZATION, value);
        }
        ClientAuth::SecretAsBasicUser => {
            request = request.header(AUTHORIZATION, basic(endpoint, client.client_secret.expose(), "")?);
        }
        ClientAuth::RequestBody => {
            if !params.iter().any(|(k, _)| *k == "client_id") {
                params.push(("client_id", client.client_id.to_string()));
            }
            params.push(("client_secret", client.client_secret.expose().to_string()));
        }
    }
    let response = request.form(&params).send().await.map_err(|e| TokenError::Http {
        endpoint,
        message: e.without_url().to_string(),
    })?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| TokenError::Http {
        endpoint,
        message: e.without_url().to_string(),
    })?;
    if status.is_success() {
        return Ok(body.to_vec());
    }
    let mut secrets: Vec<&str> = sent_secrets.to_vec();
    secrets.push(client.client_secret.expose());
    match serde_json::from_slice::<ErrorBody>(&body) {
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
            Err(TokenError::Rejected {
                endpoint,
                status: status.as_u16(),
                error: redact(&error, &secrets),
                description: err.error_description.or(nested).map(|d| redact(&d, &secrets)),
            })
        }
        Err(_) => Err(TokenError::Status {
            endpoint,
            status: status.as_u16(),
        }),
    }
}

/// Parses a token response body.
pub(crate) fn parse_token_response(body: &[u8]) -> Result<TokenResponse, TokenError> {
    serde_json::from_slice(body).map_err(|e| TokenError::InvalidResponse {
        endpoint: TOKEN_ENDPOINT,
        // serde_json messages may quote values; keep only the category and position.
        detail: format!(
            "{} error at line {} column {}",
            match e.classify() {
                serde_json::error::Category::Io => "I/O",
                serde_json::error::Category::Syntax => "JSON syntax",
                serde_json::error::Category::Data => "missing or mistyped field",
                serde_json::error::Category::Eof => "truncated JSON",
            },
            e.line(),
            e.column()
        ),
    })
}
