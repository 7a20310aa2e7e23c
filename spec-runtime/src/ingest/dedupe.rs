//! Remembering which events are being delivered or were delivered, so that a redelivery is acknowledged
//! only once its first copy reached the application, and is not handed on again.
//!
//! A key goes through two states: [`Mark::InFlight`] from the moment one copy claims it until the sink
//! answers, then [`Mark::Delivered`] when the sink succeeded. A failed delivery releases the key, so that
//! the provider's retry (or a concurrent copy waiting for it) gets through.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Mutex, PoisonError};

/// What [`DedupeStore::claim`] found for a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mark {
    /// The key was not known: it is now in flight and the caller delivers the event.
    Claimed,
    /// Another copy is being delivered right now; its outcome is not known yet.
    InFlight,
    /// A copy was delivered; this one is a duplicate.
    Delivered,
}

/// A store of event keys in flight or delivered.
///
/// Implementations for a shared store (a database row, a Redis key) should make [`claim`](Self::claim)
/// atomic and give in-flight marks an expiry longer than the longest delivery, so that a process dying
/// mid-delivery does not block the key forever.
pub trait DedupeStore: Send + Sync + 'static {
    /// Marks `key` in flight when it is unknown ([`Mark::Claimed`]); otherwise says what it is.
    fn claim(&self, key: &str) -> impl Future<Output = Mark> + Send;
    /// Marks `key` delivered (the sink succeeded).
    fn complete(&self, key: &str) -> impl Future<Output = ()> + Send;
    /// Forgets `key` (the delivery failed and the provider's retry must get through).
    fn release(&self, key: &str) -> impl Future<Output = ()> + Send;
}

/// An in-memory store of the most recent `capacity` keys; the oldest is forgotten first.
#[derive(Debug)]
pub struct MemoryDedupe {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    marks: HashMap<String, Mark>,
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

    /// How many keys are remembered (in flight or delivered).
    pub fn len(&self) -> usize {
        self.lock().marks.len()
    }

    /// Whether no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The mark of `key`, if it is remembered.
    pub fn mark(&self, key: &str) -> Option<Mark> {
        self.lock().marks.get(key).copied()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn claim_now(&self, key: &str) -> Mark {
        let mut inner = self.lock();
        if let Some(mark) = inner.marks.get(key) {
            return *mark;
        }
        while inner.marks.len() >= self.capacity {
            match inner.order.pop_front() {
                Some(old) => {
                    inner.marks.remove(&old);
                }
                None => break,
            }
        }
        inner.marks.insert(key.to_string(), Mark::InFlight);
        inner.order.push_back(key.to_string());
        Mark::Claimed
    }

    fn complete_now(&self, key: &str) {
        let mut inner = self.lock();
        match inner.marks.get_mut(key) {
            Some(mark) => *mark = Mark::Delivered,
            // Evicted while in flight: remembered again as the newest key.
            None => {
                inner.marks.insert(key.to_string(), Mark::Delivered);
                inner.order.push_back(key.to_string());
            }
        }
    }

    fn release_now(&self, key: &str) {
        let mut inner = self.lock();
        if inner.marks.remove(key).is_some() {
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
    async fn claim(&self, key: &str) -> Mark {
        self.claim_now(key)
    }

    async fn complete(&self, key: &str) {
        self.complete_now(key);
    }

    async fn release(&self, key: &str) {
        self.release_now(key);
    }
}

impl<D: DedupeStore> DedupeStore for std::sync::Arc<D> {
    fn claim(&self, key: &str) -> impl Future<Output = Mark> + Send {
        (**self).claim(key)
    }

    fn complete(&self, key: &str) -> impl Future<Output = ()> + Send {
        (**self).complete(key)
    }

    fn release(&self, key: &str) -> impl Future<Output = ()> + Send {
        (**self).release(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_go_in_flight_then_delivered_and_a_release_forgets() {
        let d = MemoryDedupe::new(2);
        assert_eq!(d.claim_now("a"), Mark::Claimed);
        assert_eq!(d.claim_now("a"), Mark::InFlight);
        d.release_now("a");
        assert_eq!(d.mark("a"), None);
        assert_eq!(d.claim_now("a"), Mark::Claimed);
        d.complete_now("a");
        assert_eq!(d.claim_now("a"), Mark::Delivered);
        assert_eq!(d.claim_now("b"), Mark::Claimed);
        assert_eq!(d.claim_now("c"), Mark::Claimed);
        assert_eq!((d.len(), d.mark("a")), (2, None));
    }
}
