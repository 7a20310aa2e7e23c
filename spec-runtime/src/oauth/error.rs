use super::endpoint::TokenError;
use super::random::RandomError;
use super::state::StateError;
use super::store::{ConnectionKey, StoreError};
use crate::deploy::{DeployEnvError, MissingConfig};
use spec_core::GrantType;

/// The connector cannot be built from the spec and the deployment settings.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectorConfigError {
    /// The spec declares no `oauth2` auth method.
    #[error("integration `{provider}` declares no oauth2 auth method")]
    NoOAuthMethod {
        /// Provider id.
        provider: String,
    },
    /// The connect flow needs the authorization-code grant.
    #[error("the connect flow needs the authorization_code grant, the spec declares {grant}")]
    UnsupportedGrant {
        /// Declared grant.
        grant: GrantType,
    },
    /// The spec's oauth2 method has no authorization URL.
    #[error("the oauth2 auth method has no authorization_url")]
    MissingAuthorizationUrl,
    /// A URL of the oauth2 method does not parse.
    #[error("oauth2 {field} `{url}` is not a valid URL: {reason}")]
    InvalidUrl {
        /// `authorization_url`, `token_url` or `revocation_url`.
        field: &'static str,
        /// The URL.
        url: String,
        /// Parser message.
        reason: String,
    },
    /// The deployment settings are for another provider than the spec.
    #[error("connect settings are for provider `{settings}`, the spec is `{spec}`")]
    ProviderMismatch {
        /// The spec's provider id.
        spec: String,
        /// The settings' provider id.
        settings: String,
    },
    /// Deployment variables are missing.
    #[error(transparent)]
    Missing(#[from] MissingConfig),
    /// A deployment variable is unusable.
    #[error(transparent)]
    Env(#[from] DeployEnvError),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(String),
    /// The oauth2 method's `revocation` is an account deauthorization without `account_param`.
    #[error("the oauth2 revocation `account_deauthorize` names no `account_param`")]
    IncompleteRevocation,
}

/// Starting the connect flow failed.
#[non_exhaustive]
#[derive(Debug, Clone, thiserror::Error)]
pub enum ConnectError {
    /// Project or connection name is empty.
    #[error("the {what} must not be empty")]
    EmptyName {
        /// `project` or `connection name`.
        what: &'static str,
    },
    /// No randomness for the nonce or PKCE verifier.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// The pending authorization could not be stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Completing the connect flow failed.
#[non_exhaustive]
#[derive(Debug, Clone, thiserror::Error)]
pub enum CallbackError {
    /// The callback has no `state`.
    #[error("the OAuth callback has no state")]
    MissingState,
    /// The state was refused (malformed, tampered, expired, replayed or for another project).
    #[error(transparent)]
    State(#[from] StateError),
    /// The user or provider refused the authorization (`error=access_denied`).
    #[error("the authorization was refused: {error}{}", .description.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Denied {
        /// OAuth error code.
        error: String,
        /// The provider's description.
        description: Option<String>,
    },
    /// The callback has neither a `code` nor an `error`.
    #[error("the OAuth callback has no code")]
    MissingCode,
    /// The code exchange failed.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The token response lacks the field naming the connected account.
    #[error("the token response has no `{field}` naming the connected account")]
    MissingAccountId {
        /// Expected field (the method's `account_id_field`, `stripe_user_id`).
        field: String,
    },
    /// The connection could not be stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Getting a usable access token failed. Cloned to every caller sharing one refresh.
#[non_exhaustive]
#[derive(Debug, Clone, thiserror::Error)]
pub enum RefreshError {
    /// No such connection.
    #[error("no connection {key}")]
    NotConnected {
        /// The connection asked for.
        key: ConnectionKey,
    },
    /// The access token expired and there is no refresh token.
    #[error("the access token of {key} expired and there is no refresh token; connect again")]
    Expired {
        /// The connection.
        key: ConnectionKey,
    },
    /// The provider refused the refresh, or it did not complete.
    #[error("refreshing {key} failed: {source}")]
    Token {
        /// The connection.
        key: ConnectionKey,
        /// What failed.
        source: TokenError,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Revoking a connection failed; the connection is kept.
#[non_exhaustive]
#[derive(Debug, Clone, thiserror::Error)]
pub enum RevokeError {
    /// No such connection.
    #[error("no connection {key}")]
    NotConnected {
        /// The connection asked for.
        key: ConnectionKey,
    },
    /// Account deauthorization needs the connected account id, which the connection lacks.
    #[error("connection {key} has no account id to deauthorize")]
    MissingAccountId {
        /// The connection.
        key: ConnectionKey,
    },
    /// The revocation request cannot be made as configured (RFC 7009 requires an https revocation URL).
    #[error("cannot revoke {key}: {reason}")]
    Configuration {
        /// The connection.
        key: ConnectionKey,
        /// What is wrong.
        reason: String,
    },
    /// The provider refused, or the request did not complete.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The access token or account id cannot be sent as a header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {what} contains characters not allowed in an HTTP header")]
pub struct GrantHeaderError {
    /// `access token` or `account id`.
    pub what: &'static str,
}
