//! What every request handler shares.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::broadcast;

use crate::oauth::{HostOAuthStore, OAuthProvider};
use crate::providers::Provider;
use crate::seal::Sealer;
use crate::store::Store;

/// Settings of a running host.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Deliveries accepted per second per connection.
    pub ingest_rate_per_sec: NonZeroU32,
    /// Deliveries accepted at once per connection above the rate.
    pub ingest_burst: NonZeroU32,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Time a request may take (event streams excepted once they started).
    pub request_timeout: Duration,
    /// Time a client has to send a request's head.
    pub header_read_timeout: Duration,
    /// How often OAuth connections due for a token refresh are looked for.
    pub refresh_every: Duration,
    /// How often an event stream looks for rows committed by other host processes.
    pub stream_poll: Duration,
    /// Base URLs the REST clients use instead of the spec's (`stripe` → a local Stripe), for health checks.
    pub api_base_urls: BTreeMap<String, String>,
    /// Token URLs the OAuth connect flow uses instead of the spec's (a local token endpoint).
    pub oauth_token_urls: BTreeMap<String, String>,
    /// Revocation URLs used instead of the spec's.
    pub oauth_revocation_urls: BTreeMap<String, String>,
    /// The outbox: retry schedule, timeouts of outbound deliveries, leases.
    pub outbox: crate::outbox::OutboxSettings,
    /// `Host` values the MCP route accepts (`host` or `host:port`); empty: any (every request carries the
    /// project's bearer key).
    pub mcp_allowed_hosts: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            ingest_rate_per_sec: NonZeroU32::new(100).unwrap_or(NonZeroU32::MIN),
            ingest_burst: NonZeroU32::new(200).unwrap_or(NonZeroU32::MIN),
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            refresh_every: Duration::from_secs(30),
            stream_poll: Duration::from_secs(1),
            api_base_urls: BTreeMap::new(),
            oauth_token_urls: BTreeMap::new(),
            oauth_revocation_urls: BTreeMap::new(),
            outbox: crate::outbox::OutboxSettings::default(),
            mcp_allowed_hosts: Vec::new(),
        }
    }
}

/// The host's shared state.
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Seals and opens secrets.
    pub sealer: Arc<Sealer>,
    /// The OAuth connect flow per provider declaring OAuth: `Err` names what the deployment lacks.
    pub oauth: BTreeMap<String, Result<OAuthProvider, String>>,
    /// Served integrations by provider id.
    pub providers: BTreeMap<String, Provider>,
    /// Settings.
    pub settings: Settings,
    /// Per-connection ingest limiter.
    pub limiter: DefaultKeyedRateLimiter<String>,
    /// Told after each commit of new events (the highest `seq` is not carried: readers query).
    pub committed: broadcast::Sender<()>,
    /// The REST clients of the connections the actions API called.
    pub clients: crate::actions::clients::ClientCache,
    /// The MCP tool definitions of the served providers.
    pub mcp_tools: crate::mcp::tools::ToolCache,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("engine", &self.store.engine())
            .field("providers", &self.providers.keys().collect::<Vec<_>>())
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State over `store` serving `providers`.
    pub fn new(store: Store, sealer: Sealer, providers: BTreeMap<String, Provider>, settings: Settings) -> Arc<Self> {
        let quota = Quota::per_second(settings.ingest_rate_per_sec).allow_burst(settings.ingest_burst);
        let (committed, _) = broadcast::channel(16);
        let sealer = Arc::new(sealer);
        let oauth = crate::oauth::connectors(
            &providers,
            &HostOAuthStore::new(store.clone(), sealer.clone()),
            &settings.oauth_token_urls,
            &settings.oauth_revocation_urls,
        );
        Arc::new(Self {
            store,
            sealer,
            oauth,
            providers,
            limiter: RateLimiter::keyed(quota),
            settings,
            committed,
            clients: Default::default(),
            mcp_tools: Default::default(),
        })
    }
}
