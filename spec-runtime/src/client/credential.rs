//! Credentials, and where the spec's auth method places them on a request.

use base64::Engine as _;
use reqwest::header::{HeaderName, HeaderValue};

use super::error::{BuildError, HeaderProblem};
use spec_core::Secret;
use spec_core::{AuthKind, AuthMethod, BEARER_PREFIX, DEFAULT_BEARER_HEADER, IntegrationSpec};

/// A connection's credential. `Debug` never shows the values (they are [`Secret`]s).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credential {
    /// A static API key, placed as the spec's `api-key` method says (header and prefix, or query
    /// parameter), or else its `header` method.
    ApiKey(Secret),
    /// An OAuth 2.0 access token (the spec must declare an `oauth2` method), sent as a bearer token in the
    /// spec's `bearer` header or `Authorization`.
    OAuthAccessToken(Secret),
    /// A bearer token, placed as the spec's `bearer` method says (`Authorization: Bearer …` by default).
    Bearer(Secret),
    /// HTTP basic credentials (the spec must declare a `basic` method).
    Basic {
        /// User name (for some providers, the API key).
        username: Secret,
        /// Password; ignored when the spec's method is `username_only`.
        password: Option<Secret>,
    },
}

impl Credential {
    /// An API key.
    pub fn api_key(key: impl Into<Secret>) -> Self {
        Credential::ApiKey(key.into())
    }

    /// An OAuth 2.0 access token.
    pub fn oauth_access_token(token: impl Into<Secret>) -> Self {
        Credential::OAuthAccessToken(token.into())
    }

    /// A bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Credential::Bearer(token.into())
    }

    /// HTTP basic credentials.
    pub fn basic(username: impl Into<Secret>, password: Option<Secret>) -> Self {
        Credential::Basic {
            username: username.into(),
            password,
        }
    }

    /// A short name of the credential's kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Credential::ApiKey(_) => "api key",
            Credential::OAuthAccessToken(_) => "OAuth access token",
            Credential::Bearer(_) => "bearer token",
            Credential::Basic { .. } => "basic",
        }
    }

    fn secrets(&self) -> Vec<Secret> {
        match self {
            Credential::ApiKey(s) | Credential::OAuthAccessToken(s) | Credential::Bearer(s) => vec![s.clone()],
            Credential::Basic { username, password } => {
                let mut v = vec![username.clone()];
                v.extend(password.clone());
                v
            }
        }
    }
}

/// Where the credential goes on every request.
#[derive(Clone)]
pub(crate) enum AuthPlacement {
    /// A header; the value is marked sensitive so the HTTP stack never prints it.
    Header { name: HeaderName, value: HeaderValue },
    /// A query parameter.
    Query { name: String, value: Secret },
}

impl std::fmt::Debug for AuthPlacement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthPlacement::Header { name, .. } => write!(f, "Header({name}: [REDACTED])"),
            AuthPlacement::Query { name, .. } => write!(f, "Query({name}=[REDACTED])"),
        }
    }
}

/// The placement of `credential` per the first fitting auth method of `spec`, and every value to mask.
pub(crate) fn place(
    spec: &IntegrationSpec,
    credential: &Credential,
) -> Result<(AuthPlacement, Vec<Secret>), BuildError> {
    let mut secrets = credential.secrets();
    let placement = match credential {
        Credential::ApiKey(key) => {
            let method = spec.supported_auth_methods.iter().find_map(|m| match m {
                AuthMethod::ApiKey(a) => match (&a.header_name, &a.query_param) {
                    (Some(h), _) => Some((Some(h.clone()), None, a.prefix.clone())),
                    (None, Some(q)) => Some((None, Some(q.clone()), a.prefix.clone())),
                    (None, None) => None,
                },
                _ => None,
            });
            let method = method.or_else(|| {
                spec.supported_auth_methods.iter().find_map(|m| match m {
                    AuthMethod::Header(h) => Some((Some(h.header_name.clone()), None, h.prefix.clone())),
                    _ => None,
                })
            });
            match method {
                Some((Some(header), _, prefix)) => header_placement(credential, &header, prefix.as_deref(), key)?,
                Some((None, Some(param), prefix)) => {
                    let value = Secret::new(format!("{}{}", prefix.unwrap_or_default(), key.expose()));
                    secrets.push(value.clone());
                    AuthPlacement::Query { name: param, value }
                }
                _ => return Err(no_method(spec, credential)),
            }
        }
        Credential::OAuthAccessToken(token) => {
            if spec.auth_method(AuthKind::OAuth2).is_none() {
                return Err(no_method(spec, credential));
            }
            let header = spec.access_token_header().unwrap_or(DEFAULT_BEARER_HEADER);
            header_placement(credential, header, Some(BEARER_PREFIX), token)?
        }
        Credential::Bearer(token) => match spec.access_token_header() {
            Some(h) => header_placement(credential, h, Some(BEARER_PREFIX), token)?,
            None => return Err(no_method(spec, credential)),
        },
        Credential::Basic { username, password } => {
            let Some(AuthMethod::Basic(basic)) = spec.auth_method(AuthKind::Basic) else {
                return Err(no_method(spec, credential));
            };
            let password = if basic.username_only {
                ""
            } else {
                password.as_ref().map_or("", |p| p.expose())
            };
            let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{}:{password}", username.expose()));
            let encoded = Secret::new(encoded);
            secrets.push(encoded.clone());
            header_placement(credential, "Authorization", Some("Basic "), &encoded)?
        }
    };
    Ok((placement, secrets))
}

fn header_placement(
    credential: &Credential,
    header: &str,
    prefix: Option<&str>,
    value: &Secret,
) -> Result<AuthPlacement, BuildError> {
    let name = HeaderName::from_bytes(header.as_bytes()).map_err(|_| BuildError::InvalidHeader {
        name: header.to_string(),
        reason: HeaderProblem::InvalidName,
    })?;
    let mut value =
        HeaderValue::from_str(&format!("{}{}", prefix.unwrap_or_default(), value.expose())).map_err(|_| {
            BuildError::InvalidCredential {
                credential: credential.kind_name(),
                header: name.clone(),
            }
        })?;
    value.set_sensitive(true);
    Ok(AuthPlacement::Header { name, value })
}

fn no_method(spec: &IntegrationSpec, credential: &Credential) -> BuildError {
    BuildError::NoMatchingAuthMethod {
        integration: spec.meta.key.clone(),
        credential: credential.kind_name(),
        supported: spec
            .supported_auth_methods
            .iter()
            .map(|m| m.kind().as_str().to_string())
            .collect(),
    }
}
