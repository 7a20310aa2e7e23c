//! Remembering which events were delivered, so a redelivery is acknowledged but not handed on again.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::sync::{Mutex, PoisonError};

/// A set of delivered event keys.
pub trait DedupeStore: Send + Sync + 'static {
    /// Records `key`; `true` when it was not recorded yet (the event should be delivered).
    fn insert(&self, key: &str) -> impl Future<Output = bool> + Send;
    /// Forgets `key` (the delivery failed and the provider's retry must get through).
    fn remove(&self, key: &str) -> impl Future<Output = ()> + Send;
}

/// An in-memory store of the most recent `capacity` keys; the oldest is forgotten first.
#[derive(Debug)]
pub struct MemoryDedupe {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    set: HashSet<String>,
    order: VecDeque<String>,
}

impl MemoryDedupe {
    /// Keys kept by [`Default`].
    pub const DEFAULT_CAPACITY: usize = 10_000;

    /// A store remembering at most `capacity` keys (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            inner: Mutex::default(),
        }
    }

    /// How many keys are remembered.
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).set.len()
    }

    /// Whether no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn insert_now(&self, key: &str) -> bool {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.set.contains(key) {
            return false;
        }
        while inner.set.len() >= self.capacity {
            match inner.order.pop_front() {
                Some(old) => {
                    inner.set.remove(&old);
                }
                None => break,
            }
        }
        inner.set.insert(key.to_string());
        inner.order.push_back(key.to_string());
        true
    }

    fn remove_now(&self, key: &str) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.set.remove(key) {
            inner.order.retain(|k| k != key);
        }
    }
}

impl Default for MemoryDedupe {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

impl DedupeStore for MemoryDedupe {
    async fn insert(&self, key: &str) -> bool {
        self.insert_now(key)
    }

    async fn remove(&self, key: &str) {
        self.remove_now(key);
    }
}
