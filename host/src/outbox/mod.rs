//! The outbox: deliveries of events to the targets of matching triggers.
//!
//! Fan-out writes one row per (event, trigger) in the event's own transaction ([`crate::store::Store::insert_events`]),
//! so an acknowledged event never lacks its deliveries. Workers ([`worker`]) claim due rows under a lease
//! in the database, run them through the one executor of target kinds ([`deliver`]) and record the outcome;
//! failures are retried on the [`schedule`], then dead-lettered.
//!
//! | module | holds |
//! |---|---|
//! | [`schedule`] | the retry schedule, jitter, `Retry-After`, durations as text |
//! | [`deliver`] | the executor: one `match` arm per target kind |
//! | [`worker`] | the claim → deliver → record loop |
//!
//! Order is not kept: deliveries of one target run concurrently and retries overtake nothing; each delivery
//! carries the event's `cursor` (its position in the log) and `received_at`, so a receiver that needs order
//! sorts by them. Duplicates happen only when a host process dies between sending and recording, or on a
//! replay or a manual retry: each carries the same `webhook-id` as the first send.

pub mod deliver;
pub mod schedule;
pub mod worker;

use std::time::Duration;

use sha2::{Digest as _, Sha256};

use crate::store::{EventRow, NewEvent};

/// How the outbox runs.
#[derive(Debug, Clone)]
pub struct OutboxSettings {
    /// Delays before the 2nd, 3rd, … attempt; a delivery whose last scheduled retry fails is dead.
    pub schedule: Vec<Duration>,
    /// Time to connect to a target.
    pub connect_timeout: Duration,
    /// Time an attempt may take in all (connect, send, read the answer).
    pub timeout: Duration,
    /// How long a claimed delivery stays with its worker; longer than `timeout`.
    pub lease: Duration,
    /// How often the worker looks for due deliveries when not woken by a commit.
    pub poll: Duration,
    /// Longest `Retry-After` honoured.
    pub retry_after_cap: Duration,
    /// A trigger whose endpoint failed every attempt for this long is disabled.
    pub disable_after: Duration,
    /// Deliveries in flight at once per host process.
    pub concurrency: usize,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        Self {
            schedule: schedule::SVIX.to_vec(),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(1),
            retry_after_cap: Duration::from_secs(60 * 60),
            disable_after: Duration::from_secs(5 * 24 * 60 * 60),
            concurrency: 32,
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The `webhook-id` of the event at `seq` sent to `trigger_id`: the same for every attempt, retry and replay.
pub fn webhook_id(trigger_id: &str, seq: i64) -> String {
    let digest = Sha256::new()
        .chain_update(trigger_id.as_bytes())
        .chain_update([0])
        .chain_update(seq.to_be_bytes())
        .finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("msg_{hex}")
}

/// The canonical event as the event log and the deliveries show it (and conditions see it).
pub fn canonical(seq: i64, event: &NewEvent) -> serde_json::Value {
    let out = crate::routes::events::EventOut::from(EventRow {
        seq,
        event: event.clone(),
    });
    serde_json::to_value(out).unwrap_or(serde_json::Value::Null)
}
