use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use url::Url;

use super::connector::{DEFAULT_REFRESH_MARGIN, DEFAULT_STATE_TTL, Inner, OAuthConnector};
use super::endpoint::Endpoints;
use super::error::ConnectorConfigError;
use super::nonce::{InMemoryNonceStore, NonceStore};
use super::state::StateSigner;
use super::store::{ConnectionStore, InMemoryConnectionStore};
use crate::clock::{Clock, SystemClock};
use crate::deploy::{ConnectSettings, DeployConfig, EnvSource};
use spec_core::{AuthKind, AuthMethod, ClientAuth, GrantType, IntegrationSpec};

/// Default timeout of a request to the token or revocation endpoint.
pub const DEFAULT_TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest token or revocation response read by default (64 KiB); see
/// [`OAuthConnectorBuilder::max_response_bytes`].
pub const DEFAULT_MAX_TOKEN_RESPONSE_BYTES: usize = 64 * 1024;

/// Builds an [`OAuthConnector`]; in-memory stores and the system clock unless told otherwise. Every
/// provider fact comes from the spec's `oauth2` method and REST transport.
pub struct OAuthConnectorBuilder {
    spec_provider: String,
    method: Option<spec_core::OAuth2Auth>,
    account_header: Option<String>,
    event_prefix: String,
    settings: ConnectSettings,
    client_auth: Option<ClientAuth>,
    connections: Option<Arc<dyn ConnectionStore>>,
    nonces: Option<Arc<dyn NonceStore>>,
    clock: Option<Arc<dyn Clock>>,
    http: Option<reqwest::Client>,
    refresh_margin: Duration,
    state_ttl: Duration,
    max_response_bytes: usize,
}

impl std::fmt::Debug for OAuthConnectorBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthConnectorBuilder")
            .field("provider", &self.spec_provider)
            .field("settings", &self.settings)
            .field("client_auth", &self.client_auth)
            .field("refresh_margin", &self.refresh_margin)
            .field("state_ttl", &self.state_ttl)
            .field("max_response_bytes", &self.max_response_bytes)
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

    /// The HTTP client for token and revocation requests (it should not follow redirects, and should
    /// time out; the default one does after [`DEFAULT_TOKEN_TIMEOUT`]). Responses are read up to
    /// 64 KiB whatever the client.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Overrides how the client authenticates at the token endpoint (defaults to the method's
    /// [`client_auth`](spec_core::OAuth2Auth::client_auth)).
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

    /// The largest token or revocation response read (default [`DEFAULT_MAX_TOKEN_RESPONSE_BYTES`]); a
    /// longer one fails with [`TokenError::ResponseTooLarge`](super::TokenError::ResponseTooLarge) as soon
    /// as its `Content-Length` or the bytes read pass it, without reading the rest.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
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
        let revocation = method
            .revocation()
            .ok_or(ConnectorConfigError::IncompleteRevocation)?
            .into();
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(DEFAULT_TOKEN_TIMEOUT)
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
                endpoints: Endpoints {
                    client_id: self.settings.client_id,
                    client_secret: self.settings.client_secret,
                    authorization_url,
                    token_url,
                    revocation_url,
                    redirect_uri: self.settings.redirect_uri,
                },
                signer: StateSigner::new(self.settings.signing_secret),
                client_auth: self.client_auth.unwrap_or_else(|| method.client_auth()),
                revocation,
                method,
                account_header: self.account_header,
                event_prefix: self.event_prefix,
                refresh_margin: self.refresh_margin,
                state_ttl: self.state_ttl,
                max_response_bytes: self.max_response_bytes,
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
        let event_prefix = spec.event_prefix();
        OAuthConnectorBuilder {
            account_header: spec.account_header().map(str::to_string),
            event_prefix,
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
            max_response_bytes: DEFAULT_MAX_TOKEN_RESPONSE_BYTES,
        }
    }

    /// A builder configured from the integration's deployment variables (`STRIPE_INTEGRATION_*`).
    pub fn builder_from_env<E: EnvSource + ?Sized>(
        spec: &IntegrationSpec,
        env: &E,
    ) -> Result<OAuthConnectorBuilder, ConnectorConfigError> {
        let config = DeployConfig::from_env(spec, env)?;
        Ok(Self::builder(spec, config.connect()?))
    }
}
