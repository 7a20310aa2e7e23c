//! Mapping an event's account to one of the application's connections.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{PoisonError, RwLock};

/// The application's id of a connection (one connected provider account).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ConnectionId(pub String);

impl ConnectionId {
    /// Wraps an id.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The lookup failed (the store is unreachable); the delivery is answered 503 so the provider retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("connection lookup failed: {0}")]
pub struct ResolveError(pub String);

/// Finds the connection of a provider account id (`acct_…`).
pub trait ConnectionResolver: Send + Sync + 'static {
    /// The connection of `account`, or `None` when the account is not connected.
    fn resolve(&self, account: &str) -> impl Future<Output = Result<Option<ConnectionId>, ResolveError>> + Send;
}

/// A resolver backed by an in-memory map, editable while serving.
#[derive(Debug, Default)]
pub struct InMemoryResolver {
    map: RwLock<HashMap<String, ConnectionId>>,
}

impl InMemoryResolver {
    /// An empty resolver.
    pub fn new() -> Self {
        Self::default()
    }

    /// Connects `account` as `connection`, replacing any previous mapping.
    pub fn insert(&self, account: impl Into<String>, connection: ConnectionId) {
        self.map
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(account.into(), connection);
    }

    /// Disconnects `account`; returns its connection, if it had one.
    pub fn remove(&self, account: &str) -> Option<ConnectionId> {
        self.map.write().unwrap_or_else(PoisonError::into_inner).remove(account)
    }
}

impl ConnectionResolver for InMemoryResolver {
    async fn resolve(&self, account: &str) -> Result<Option<ConnectionId>, ResolveError> {
        Ok(self
            .map
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(account)
            .cloned())
    }
}

impl<R: ConnectionResolver> ConnectionResolver for std::sync::Arc<R> {
    fn resolve(&self, account: &str) -> impl Future<Output = Result<Option<ConnectionId>, ResolveError>> + Send {
        (**self).resolve(account)
    }
}
