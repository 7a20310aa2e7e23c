use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::Value;
use tokio::sync::OnceCell;
use url::Url;

use super::clock::{Clock, SystemClock, unix_secs};
use super::endpoint::{self, ClientCredentials, TOKEN_ENDPOINT, TokenResponse};
use super::error::{CallbackError, ConnectError, ConnectorConfigError, RefreshError};
use super::nonce::{InMemoryNonceStore, NonceStore, PendingAuthorization};
use super::profile::{ClientAuth, OAuthProfile};
use super::random::{pkce_challenge, pkce_verifier, random_token};
use super::state::{StateError, StatePayload, StateSigner};
use super::store::{Connection, ConnectionKey, ConnectionStore, InMemoryConnectionStore};
use crate::deploy::{ConnectSettings, DeployConfig, EnvSource};
use crate::{AuthKind, AuthMethod, GrantType, IntegrationSpec, Secret};

/// Default time a user has to complete the provider's consent screen.
pub const DEFAULT_STATE_TTL: Duration = Duration::from_secs(600);
/// Default margin before expiry at which access tokens are refreshed.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// The query of the provider's redirect back to the callback URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CallbackQuery {
    /// Authorization code.
    #[serde(default)]
    pub code: Option<Secret>,
    /// The state issued by [`OAuthConnector::connect`].
    #[serde(default)]
    pub state: Option<String>,
    /// OAuth error code when the authorization was refused.
    #[serde(default)]
    pub error: Option<String>,
    /// The provider's description of `error`.
    #[serde(default)]
    pub error_description: Option<String>,
}

impl CallbackQuery {
    /// Reads the callback parameters from the redirect URL's query.
    pub fn from_url(url: &Url) -> Self {
        let mut q = Self::default();
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "code" => q.code = Some(Secret::new(v.into_owned())),
                "state" => q.state = Some(v.into_owned()),
                "error" => q.error = Some(v.into_owned()),
                "error_description" => q.error_description = Some(v.into_owned()),
                _ => {}
            }
        }
        q
    }
}

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

/// Builds an [`OAuthConnector`]; in-memory stores, the system clock and the provider's profile unless
/// told otherwise.
pub struct OAuthConnectorBuilder {
    spec_provider: String,
    method: Option<crate::OAuth2Auth>,
    settings: ConnectSettings,
    profile: &'static OAuthProfile,
    client_auth: Option<ClientAuth>,
    connections: Option<Arc<dyn ConnectionStore>>,
    nonces: Option<Arc<dyn NonceStore>>,
    clock: Option<Arc<dyn Clock>>,
    http: Option<reqwest::Client>,
    refresh_margin: Duration,
    state_ttl: Duration,
}

impl std::fmt::Debug for OAuthConnectorBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthConnectorBuilder")
            .field("provider", &self.spec_provider)
            .field("settings", &self.settings)
            .field("profile", &self.profile.provider)
            .field("client_auth", &self.client_auth)
            .field("refresh_margin", &self.refresh_margin)
            .field("state_ttl", &self.state_ttl)
            .finish_non_exhaustive()
    }
}

impl OAuthConnectorBuilder {
    /// Where connections are stored.
    pub fn connections(mut self, store: Arc<dyn ConnectionStore>) -> Self {
        self.connections = Some(store);
        self
    }

    /// Where pending authorizations (nonce, PKCE verifier) are stored.
    pub fn nonces(mut self, store: Arc<dyn NonceStore>) -> Self {
        self.nonces = Some(store);
        self
    }

    /// The clock for state expiry and token expiry.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The HTTP client for token and revocation requests (it should not follow redirects).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Overrides the provider profile (defaults to the table entry of the spec's provider).
    pub fn profile(mut self, profile: &'static OAuthProfile) -> Self {
        self.profile = profile;
        self
    }

    /// Overrides how the client authenticates at the token endpoint (defaults to the profile's).
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.client_auth = Some(auth);
        self
    }

    /// Refresh access tokens this long before they expire.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// How long an issued state stays valid.
    pub fn state_ttl(mut self, ttl: Duration) -> Self {
        self.state_ttl = ttl;
        self
    }

    /// Checks the spec's oauth2 method and builds the connector.
    pub fn build(self) -> Result<OAuthConnector, ConnectorConfigError> {
        let method = self.method.ok_or_else(|| ConnectorConfigError::NoOAuthMethod {
            provider: self.spec_provider.clone(),
        })?;
        if self.settings.provider != self.spec_provider {
            return Err(ConnectorConfigError::ProviderMismatch {
                spec: self.spec_provider,
                settings: self.settings.provider,
            });
        }
        if method.grant_type != GrantType::AuthorizationCode {
            return Err(ConnectorConfigError::UnsupportedGrant {
                grant: method.grant_type,
            });
        }
        let parse = |field: &'static str, url: &str| {
            Url::parse(url).map_err(|e| ConnectorConfigError::InvalidUrl {
                field,
                url: url.to_string(),
                reason: e.to_string(),
            })
        };
        let authorization_url = parse(
            "authorization_url",
            method
                .authorization_url
                .as_deref()
                .ok_or(ConnectorConfigError::MissingAuthorizationUrl)?,
        )?;
        let token_url = parse("token_url", &method.token_url)?;
        let revocation_url = method
            .revocation_url
            .as_deref()
            .map(|u| parse("revocation_url", u))
            .transpose()?;
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .map_err(|e| ConnectorConfigError::HttpClient(e.to_string()))?,
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let nonces = self
            .nonces
            .unwrap_or_else(|| Arc::new(InMemoryNonceStore::with_clock(clock.clone())));
        Ok(OAuthConnector {
            inner: Arc::new(Inner {
                provider: self.spec_provider,
                authorization_url,
                token_url,
                revocation_url,
                scopes: method.scopes,
                pkce: method.pkce,
                client_id: self.settings.client_id,
                client_secret: self.settings.client_secret,
                redirect_uri: self.settings.redirect_uri,
                signer: StateSigner::new(self.settings.signing_secret),
                client_auth: self.client_auth.unwrap_or(self.profile.client_auth),
                profile: self.profile,
                refresh_margin: self.refresh_margin,
                state_ttl: self.state_ttl,
                http,
                connections: self
                    .connections
                    .unwrap_or_else(|| Arc::new(InMemoryConnectionStore::new())),
                nonces,
                clock,
                inflight: Mutex::new(HashMap::new()),
            }),
        })
    }
}

impl OAuthConnector {
    /// A builder for the spec's first `oauth2` auth method with the deployment's connect settings
    /// (see [`DeployConfig::connect`]).
    pub fn builder(spec: &IntegrationSpec, settings: ConnectSettings) -> OAuthConnectorBuilder {
        let provider = spec.provider_id().to_string();
        let method = match spec.auth_method(AuthKind::OAuth2) {
            Some(AuthMethod::OAuth2(m)) => Some(m.clone()),
            _ => None,
        };
        OAuthConnectorBuilder {
            profile: OAuthProfile::for_provider(&provider),
            spec_provider: provider,
            method,
            settings,
            client_auth: None,
            connections: None,
            nonces: None,
            clock: None,
            http: None,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            state_ttl: DEFAULT_STATE_TTL,
        }
    }

    /// A builder configured from the integration's deployment variables (`STRIPE_INTEGRATION_*`).
    pub fn builder_from_env<E: EnvSource + ?Sized>(
        spec: &IntegrationSpec,
        env: &E,
    ) -> Result<OAuthConnectorBuilder, ConnectorConfigError> {
        let config = DeployConfig::from_env(spec.provider_id(), env)?;
        Ok(Self::builder(spec, config.connect()?))
    }

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

    /// Verifies a callback's state for `project` without consuming it or exchanging the code.
    fn check_state(&self, project: &str, state: &str) -> Result<StatePayload, StateError> {
        let payload = self.inner.signer.verify(state)?;
        if unix_secs(self.inner.clock.now()) > payload.expires_at {
            return Err(StateError::Expired {
                expired_at: payload.expires_at,
            });
        }
        if payload.project != project {
            return Err(StateError::OtherProject {
                project: project.to_string(),
                issued_for: payload.project,
            });
        }
        Ok(payload)
    }

    /// Completes the flow for `project` (the project the callback request is served for): verifies the
    /// state (signature, expiry, project, then consumes its nonce), exchanges the code at the token URL
    /// and stores the connection.
    pub async fn callback(&self, project: &str, query: &CallbackQuery) -> Result<Connection, CallbackError> {
        let inner = &self.inner;
        let state = query.state.as_deref().ok_or(CallbackError::MissingState)?;
        let payload = self.check_state(project, state)?;
        let pending = inner.nonces.take(&payload.nonce).await?.ok_or(StateError::Replayed)?;
        if let Some(error) = &query.error {
            return Err(CallbackError::Denied {
                error: error.clone(),
                description: query.error_description.clone(),
            });
        }
        let code = query.code.as_ref().ok_or(CallbackError::MissingCode)?;

        let mut params = vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", code.expose().to_string()),
            ("redirect_uri", inner.redirect_uri.to_string()),
        ];
        if let Some(v) = &pending.pkce_verifier {
            params.push(("code_verifier", v.expose().to_string()));
        }
        let body = endpoint::post_form(
            &inner.http,
            TOKEN_ENDPOINT,
            &inner.token_url,
            &self.credentials(inner.client_auth),
            params,
            &[code.expose()],
        )
        .await?;
        let token = endpoint::parse_token_response(&body)?;
        let key = self.key(&payload.project, &payload.connection);
        let connection = self.new_connection(key, token)?;
        inner.connections.save(connection.clone()).await?;
        tracing::info!(
            provider = %inner.provider,
            project = %connection.key.project,
            connection = %connection.key.name,
            account = connection.account_id.as_deref().unwrap_or(""),
            "oauth connection stored"
        );
        Ok(connection)
    }

    fn expiry(&self, now: SystemTime, expires_in: Option<u64>) -> Option<SystemTime> {
        expires_in
            .map(Duration::from_secs)
            .or(self.inner.profile.default_token_lifetime)
            .map(|d| now + d)
    }

    fn new_connection(&self, key: ConnectionKey, token: TokenResponse) -> Result<Connection, CallbackError> {
        let profile = self.inner.profile;
        let now = self.inner.clock.now();
        let mut extras = token.extras;
        let account_id = match profile.account_id_field {
            Some(field) => match extras.remove(field) {
                Some(Value::String(id)) if !id.is_empty() => Some(id),
                _ => return Err(CallbackError::MissingAccountId { field }),
            },
            None => None,
        };
        let livemode = take_bool(&mut extras, profile.livemode_field);
        Ok(Connection {
            key,
            account_id,
            scopes: token
                .scope
                .map(|s| s.split_whitespace().map(str::to_string).collect())
                .unwrap_or_else(|| self.inner.scopes.clone()),
            expires_at: self.expiry(now, token.expires_in),
            access_token: token.access_token,
            refresh_token: token.refresh_token,
            token_type: token.token_type,
            livemode,
            extras,
            connected_at: now,
            refreshed_at: None,
        })
    }

    /// `old` updated with a refresh response: new access token, the rotated refresh token when one was
    /// sent, new expiry, scopes and extras when sent.
    pub(crate) fn refreshed_connection(&self, old: Connection, token: TokenResponse) -> Connection {
        let profile = self.inner.profile;
        let now = self.inner.clock.now();
        let mut extras = token.extras;
        if let Some(field) = profile.account_id_field
            && let Some(Value::String(id)) = extras.remove(field)
            && old.account_id.as_deref() != Some(id.as_str())
        {
            tracing::warn!(key = %old.key, "refresh response names another account; keeping the stored one");
        }
        let livemode = take_bool(&mut extras, profile.livemode_field).or(old.livemode);
        let mut merged = old.extras;
        merged.extend(extras);
        Connection {
            key: old.key,
            account_id: old.account_id,
            access_token: token.access_token,
            refresh_token: token.refresh_token.or(old.refresh_token),
            token_type: token.token_type,
            expires_at: self.expiry(now, token.expires_in),
            scopes: token
                .scope
                .map(|s| s.split_whitespace().map(str::to_string).collect())
                .unwrap_or(old.scopes),
            livemode,
            extras: merged,
            connected_at: old.connected_at,
            refreshed_at: Some(now),
        }
    }
}

fn take_bool(extras: &mut serde_json::Map<String, Value>, field: Option<&str>) -> Option<bool> {
    let field = field?;
    match extras.get(field) {
        Some(Value::Bool(b)) => {
            let b = *b;
            extras.remove(field);
            Some(b)
        }
        _ => None,
    }
}
