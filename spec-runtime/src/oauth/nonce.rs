use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use super::store::{BoxFuture, StoreError};
use crate::clock::{Clock, SystemClock};
use spec_core::Secret;

/// What the server keeps between the redirect and the callback, keyed by the state's nonce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAuthorization {
    /// PKCE code verifier, when the spec asks for PKCE.
    pub pkce_verifier: Option<Secret>,
    /// When the pending authorization (and its state) expires.
    pub expires_at: SystemTime,
}

/// Single-use storage of pending authorizations: [`NonceStore::take`] returns an entry at most once,
/// which is what makes a replayed state fail.
pub trait NonceStore: Send + Sync + 'static {
    /// Records a pending authorization under a fresh nonce.
    fn insert(&self, nonce: String, pending: PendingAuthorization) -> BoxFuture<'_, Result<(), StoreError>>;
    /// Removes and returns the pending authorization under `nonce`; `None` when used or unknown.
    fn take<'a>(&'a self, nonce: &'a str) -> BoxFuture<'a, Result<Option<PendingAuthorization>, StoreError>>;
}

/// A [`NonceStore`] in memory; expired entries are dropped on insert.
pub struct InMemoryNonceStore {
    map: Mutex<HashMap<String, PendingAuthorization>>,
    clock: Arc<dyn Clock>,
}

impl InMemoryNonceStore {
    /// An empty store using the system clock for purging.
    pub fn new() -> Self {
        Self::with_clock(Arc::new(SystemClock))
    }

    /// An empty store purging expired entries by `clock`.
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
            clock,
        }
    }

    /// Number of pending authorizations held.
    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Whether none are held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for InMemoryNonceStore {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for InMemoryNonceStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InMemoryNonceStore").field("len", &self.len()).finish()
    }
}

impl NonceStore for InMemoryNonceStore {
    fn insert(&self, nonce: String, pending: PendingAuthorization) -> BoxFuture<'_, Result<(), StoreError>> {
        let now = self.clock.now();
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        map.retain(|_, p| p.expires_at > now);
        map.insert(nonce, pending);
        Box::pin(async { Ok(()) })
    }

    fn take<'a>(&'a self, nonce: &'a str) -> BoxFuture<'a, Result<Option<PendingAuthorization>, StoreError>> {
        let taken = self.map.lock().unwrap_or_else(PoisonError::into_inner).remove(nonce);
        Box::pin(async move { Ok(taken) })
    }
}
