use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OnceCell;
use url::Url;

use oauth2::{CsrfToken, PkceCodeChallenge, PkceCodeVerifier, Scope};

use super::endpoint::Endpoints;
use super::error::{ConnectError, RefreshError};
use super::nonce::{NonceStore, PendingAuthorization};
use super::random::{pkce_verifier, random_token};
use super::revoke::OwnedRevocation;
use super::scopes::{MissingPermission, check_permissions_with};
use super::state::{StatePayload, StateSigner, unix_secs};
use super::store::{Connection, ConnectionKey, ConnectionStore};
use crate::clock::Clock;
use spec_core::{Action, ClientAuth, OAuth2Auth, Secret};

/// Default time a user has to complete the provider's consent screen.
pub const DEFAULT_STATE_TTL: Duration = Duration::from_secs(600);
/// Default margin before expiry at which access tokens are refreshed.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

pub(crate) type Flight = Arc<OnceCell<Result<Connection, RefreshError>>>;

pub(crate) struct Inner {
    pub provider: String,
    /// The spec's oauth2 method: every provider fact (client authentication, account id field, token
    /// lifetime, revocation, deauthorized event, scope implications) is read from it.
    pub method: OAuth2Auth,
    /// The REST transport's `account_header` (`Stripe-Account`).
    pub account_header: Option<String>,
    /// Prefix of the integration's event types (`stripe.`).
    pub event_prefix: String,
    pub endpoints: Endpoints,
    pub signer: StateSigner,
    /// Client authentication at the token endpoint (the method's, unless the builder overrode it).
    pub client_auth: ClientAuth,
    /// How connections are revoked (the method's `revocation`, defaults applied).
    pub revocation: OwnedRevocation,
    pub refresh_margin: Duration,
    pub state_ttl: Duration,
    /// The largest token or revocation response read.
    pub max_response_bytes: usize,
    pub http: reqwest::Client,
    pub connections: Arc<dyn ConnectionStore>,
    pub nonces: Arc<dyn NonceStore>,
    pub clock: Arc<dyn Clock>,
    pub inflight: Mutex<HashMap<ConnectionKey, Flight>>,
}

/// The OAuth connect flow of one integration, driven by the spec's `oauth2` auth method: authorization
/// URL with signed single-use state (and PKCE when the spec asks), code exchange keeping the provider's
/// extra fields, single-flight refresh before expiry, revocation and deauthorization.
///
/// Cheap to clone; clones share stores and in-flight refreshes.
#[derive(Clone)]
pub struct OAuthConnector {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for OAuthConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthConnector")
            .field("provider", &self.inner.provider)
            .field("authorization_url", &self.inner.endpoints.authorization_url.as_str())
            .field("token_url", &self.inner.endpoints.token_url.as_str())
            .field("client_id", &self.inner.endpoints.client_id)
            .field("redirect_uri", &self.inner.endpoints.redirect_uri.as_str())
            .finish_non_exhaustive()
    }
}

impl OAuthConnector {
    /// Provider id.
    pub fn provider(&self) -> &str {
        &self.inner.provider
    }

    /// The spec's oauth2 auth method the connector follows.
    pub fn method(&self) -> &OAuth2Auth {
        &self.inner.method
    }

    /// Client authentication at the token endpoint.
    pub fn client_auth(&self) -> ClientAuth {
        self.inner.client_auth
    }

    /// The redirect URI sent to the provider.
    pub fn redirect_uri(&self) -> &Url {
        &self.inner.endpoints.redirect_uri
    }

    /// Checks that `granted` covers `action`'s permissions through the method's scope implications.
    pub fn check_permissions(&self, action: &Action, granted: &[String]) -> Result<(), MissingPermission> {
        check_permissions_with(self.inner.method.scope_implications(), action, granted)
    }

    /// The connection store.
    pub fn connections(&self) -> &Arc<dyn ConnectionStore> {
        &self.inner.connections
    }

    /// The key of a project's named connection to this provider.
    pub fn key(&self, project: &str, connection_name: &str) -> ConnectionKey {
        ConnectionKey::new(self.inner.provider.clone(), project, connection_name)
    }

    /// Starts connecting `project`'s connection `connection_name`: stores a pending authorization under
    /// a fresh nonce (with the PKCE verifier when the spec asks for PKCE) and returns the provider URL to
    /// send the browser to, carrying the signed state.
    pub async fn connect(&self, project: &str, connection_name: &str) -> Result<Url, ConnectError> {
        if project.is_empty() {
            return Err(ConnectError::EmptyName { what: "project" });
        }
        if connection_name.is_empty() {
            return Err(ConnectError::EmptyName {
                what: "connection name",
            });
        }
        let inner = &self.inner;
        let nonce = random_token(32)?;
        let verifier = if inner.method.pkce {
            Some(pkce_verifier()?)
        } else {
            None
        };
        let now = inner.clock.now();
        // A TTL past what `SystemTime` holds fails closed: the state expires at once.
        let expires_at = now.checked_add(inner.state_ttl).unwrap_or(now);
        inner
            .nonces
            .insert(
                nonce.clone(),
                PendingAuthorization {
                    pkce_verifier: verifier.clone().map(Secret::new),
                    expires_at,
                },
            )
            .await?;
        let state = inner.signer.sign(&StatePayload {
            project: project.to_string(),
            connection: connection_name.to_string(),
            nonce,
            expires_at: unix_secs(expires_at),
        });
        let (client, _) = inner.endpoints.client(inner.client_auth);
        let mut request = client
            .authorize_url(|| CsrfToken::new(state))
            .add_scopes(inner.method.scopes.iter().cloned().map(Scope::new));
        if let Some(v) = &verifier {
            request = request.set_pkce_challenge(PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(
                v.clone(),
            )));
        }
        let (url, _) = request.url();
        tracing::debug!(provider = %inner.provider, project, connection = connection_name, "oauth connect started");
        Ok(url)
    }
}
