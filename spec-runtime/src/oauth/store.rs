use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use serde_json::{Map, Value};

use super::scopes::{MissingPermission, check_permissions};
use spec_core::{Action, IntegrationSpec, Secret};

/// A boxed, sendable future: the return type of the store traits, which keeps them usable as
/// `Arc<dyn …>`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A storage backend failed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("connection store: {0}")]
pub struct StoreError(Arc<dyn std::error::Error + Send + Sync>);

impl StoreError {
    /// Wraps a backend error.
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(Arc::from(source.into()))
    }
}

/// Identifies a connection: a project's named connection to one provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectionKey {
    /// Provider id (`stripe`).
    pub provider: String,
    /// Project.
    pub project: String,
    /// Connection name within the project (`default`).
    pub name: String,
}

impl ConnectionKey {
    /// A key from its parts.
    pub fn new(provider: impl Into<String>, project: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            project: project.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for ConnectionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.provider, self.project, self.name)
    }
}

/// A connected account: what the OAuth callback stored. Tokens are [`Secret`]s; `Debug` shows only the
/// names of the provider's extra fields.
#[derive(Clone, PartialEq)]
pub struct Connection {
    /// Which connection this is.
    pub key: ConnectionKey,
    /// The provider's id for the connected account (Stripe: `stripe_user_id`, `acct_…`).
    pub account_id: Option<String>,
    /// Access token.
    pub access_token: Secret,
    /// Refresh token, when the provider issued one.
    pub refresh_token: Option<Secret>,
    /// Token type (`bearer`).
    pub token_type: String,
    /// When the access token expires, if known.
    pub expires_at: Option<SystemTime>,
    /// Granted scopes (from the token response, else those requested).
    pub scopes: Vec<String>,
    /// Live or test mode, when the provider says (Stripe: `livemode`).
    pub livemode: Option<bool>,
    /// Other fields of the token response (Stripe: `stripe_publishable_key`).
    pub extras: Map<String, Value>,
    /// When the connection was made.
    pub connected_at: SystemTime,
    /// When the access token was last refreshed.
    pub refreshed_at: Option<SystemTime>,
}

impl Connection {
    /// Whether the access token expires within `margin` of `now` (a margin past what `SystemTime` holds
    /// covers every expiry).
    pub fn expires_within(&self, now: SystemTime, margin: std::time::Duration) -> bool {
        self.expires_at
            .is_some_and(|at| now.checked_add(margin).is_none_or(|limit| limit >= at))
    }

    /// Checks that the connection's granted scopes cover `action`'s permissions, through the scope
    /// implications `spec` declares.
    pub fn check_permissions(&self, spec: &IntegrationSpec, action: &Action) -> Result<(), MissingPermission> {
        check_permissions(spec, action, &self.scopes)
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("key", &self.key)
            .field("account_id", &self.account_id)
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("token_type", &self.token_type)
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .field("livemode", &self.livemode)
            .field("extras", &self.extras.keys().collect::<Vec<_>>())
            .field("connected_at", &self.connected_at)
            .field("refreshed_at", &self.refreshed_at)
            .finish()
    }
}

/// Where connections live. Implementations encrypt tokens at rest as they see fit.
pub trait ConnectionStore: Send + Sync + 'static {
    /// Inserts or replaces a connection.
    fn save(&self, connection: Connection) -> BoxFuture<'_, Result<(), StoreError>>;
    /// The connection under `key`.
    fn get<'a>(&'a self, key: &'a ConnectionKey) -> BoxFuture<'a, Result<Option<Connection>, StoreError>>;
    /// Removes and returns the connection under `key`.
    fn remove<'a>(&'a self, key: &'a ConnectionKey) -> BoxFuture<'a, Result<Option<Connection>, StoreError>>;
    /// Keys of the provider's connections to `account_id` (one account may be connected to several
    /// projects).
    fn find_by_account<'a>(
        &'a self,
        provider: &'a str,
        account_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<ConnectionKey>, StoreError>>;
}

/// A [`ConnectionStore`] in memory.
#[derive(Debug, Default)]
pub struct InMemoryConnectionStore {
    map: Mutex<HashMap<ConnectionKey, Connection>>,
}

impl InMemoryConnectionStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ConnectionKey, Connection>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Number of connections.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }
}

impl ConnectionStore for InMemoryConnectionStore {
    fn save(&self, connection: Connection) -> BoxFuture<'_, Result<(), StoreError>> {
        self.lock().insert(connection.key.clone(), connection);
        Box::pin(async { Ok(()) })
    }

    fn get<'a>(&'a self, key: &'a ConnectionKey) -> BoxFuture<'a, Result<Option<Connection>, StoreError>> {
        let found = self.lock().get(key).cloned();
        Box::pin(async move { Ok(found) })
    }

    fn remove<'a>(&'a self, key: &'a ConnectionKey) -> BoxFuture<'a, Result<Option<Connection>, StoreError>> {
        let removed = self.lock().remove(key);
        Box::pin(async move { Ok(removed) })
    }

    fn find_by_account<'a>(
        &'a self,
        provider: &'a str,
        account_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<ConnectionKey>, StoreError>> {
        let mut keys: Vec<ConnectionKey> = self
            .lock()
            .values()
            .filter(|c| c.key.provider == provider && c.account_id.as_deref() == Some(account_id))
            .map(|c| c.key.clone())
            .collect();
        keys.sort();
        Box::pin(async move { Ok(keys) })
    }
}
