use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OnceCell;
use url::Url;

use super::clock::{Clock, unix_secs};
use super::endpoint::ClientCredentials;
use super::error::{ConnectError, RefreshError};
use super::nonce::{NonceStore, PendingAuthorization};
use super::profile::{ClientAuth, OAuthProfile};
use super::random::{pkce_challenge, pkce_verifier, random_token};
use super::state::{StatePayload, StateSigner};
use super::store::{Connection, ConnectionKey, ConnectionStore};
use spec_core::Secret;

/// Default time a user has to complete the provider's consent screen.
pub const DEFAULT_STATE_TTL: Duration = Duration::from_secs(600);
/// Default margin before expiry at which access tokens are refreshed.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

pub(crate) type Flight = Arc<OnceCell<Result<Connection, RefreshError>>>;

pub(crate) struct Inner {
    pub provider: String,
    pub authorization_url: Url,
    pub token_url: Url,
    pub revocation_url: Option<Url>,
    pub scopes: Vec<String>,
    pub pkce: bool,
    pub client_id: String,
    pub client_secret: Secret,
    pub redirect_uri: Url,
    pub signer: StateSigner,
    pub profile: &'static OAuthProfile,
    pub client_auth: ClientAuth,
    pub refresh_margin: Duration,
    pub state_ttl: Duration,
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
            .field("authorization_url", &self.inner.authorization_url.as_str())
            .field("token_url", &self.inner.token_url.as_str())
            .field("client_id", &self.inner.client_id)
            .field("redirect_uri", &self.inner.redirect_uri.as_str())
            .finish_non_exhaustive()
    }
}

impl OAuthConnector {
    /// Provider id.
    pub fn provider(&self) -> &str {
        &self.inner.provider
    }

    /// The provider profile in use.
    pub fn profile(&self) -> &'static OAuthProfile {
        self.inner.profile
    }

    /// The redirect URI sent to the provider.
    pub fn redirect_uri(&self) -> &Url {
        &self.inner.redirect_uri
    }

    /// The connection store.
    pub fn connections(&self) -> &Arc<dyn ConnectionStore> {
        &self.inner.connections
    }

    /// The key of a project's named connection to this provider.
    pub fn key(&self, project: &str, connection_name: &str) -> ConnectionKey {
        ConnectionKey::new(self.inner.provider.clone(), project, connection_name)
    }

    pub(crate) fn credentials(&self, auth: ClientAuth) -> ClientCredentials<'_> {
        ClientCredentials {
            client_id: &self.inner.client_id,
            client_secret: &self.inner.client_secret,
            auth,
        }
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
        let verifier = if inner.pkce { Some(pkce_verifier()?) } else { None };
        let expires_at = inner.clock.now() + inner.state_ttl;
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
        let mut url = inner.authorization_url.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", &inner.client_id)
                .append_pair("redirect_uri", inner.redirect_uri.as_str());
            if !inner.scopes.is_empty() {
                q.append_pair("scope", &inner.scopes.join(" "));
            }
            q.append_pair("state", &state);
            if let Some(v) = &verifier {
                q.append_pair("code_challenge", &pkce_challenge(v))
                    .append_pair("code_challenge_method", "S256");
            }
        }
        tracing::debug!(provider = %inner.provider, project, connection = connection_name, "oauth connect started");
        Ok(url)
    }
}
