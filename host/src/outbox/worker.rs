//! The outbox worker of one host process: claims due deliveries under a lease, runs each through the
//! [`Executor`], records the outcome and schedules the retry (or the dead letter).
//!
//! Attempts run concurrently, at most `concurrency` at once. Their outcomes go to one recorder task that writes
//! them in batches (one commit per batch) and only then frees their slots, so that the next claim takes a batch
//! of rows too: a busy outbox costs two commits per batch of deliveries, not two per delivery.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

use super::deliver::{Executor, Outcome};
use super::{now_ms, schedule};
use crate::state::AppState;
use crate::store::{Claimed, Finished};
use crate::triggers::{DeliveryStatus, TriggerStatus};

/// Most outcomes written in one commit.
const RECORD_BATCH: usize = 256;

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// An attempt's outcome on its way to the database, with the slot it holds.
struct Done {
    id: String,
    finished: Finished,
    /// The trigger and whether its endpoint answered well, when that changes its failure history.
    endpoint: Option<(String, bool)>,
    _slot: OwnedSemaphorePermit,
}

/// Runs the outbox of `state` as `holder` until the task is aborted.
pub async fn run(state: Arc<AppState>, holder: String) {
    let settings = state.settings.outbox.clone();
    let executor = match Executor::new(&settings, state.sealer.clone()) {
        Ok(e) => Arc::new(e),
        Err(e) => {
            tracing::error!(error = %e, "the outbox cannot build its HTTP client; no deliveries are made");
            return;
        }
    };
    if settings.lease <= settings.timeout {
        tracing::warn!(
            lease = ?settings.lease,
            timeout = ?settings.timeout,
            "the delivery lease is not longer than the delivery timeout: a slow attempt may be sent twice"
        );
    }
    let (done_tx, done_rx) = mpsc::unbounded_channel();
    let recorder = tokio::spawn(record(state.clone(), holder.clone(), done_rx));
    let _stop_recorder = AbortOnDrop(recorder);
    let slots = Arc::new(Semaphore::new(settings.concurrency.max(1)));
    let mut committed = state.committed.subscribe();
    loop {
        // Wait for at least one free slot, then claim as many deliveries as there are free slots.
        let Ok(first) = slots.clone().acquire_owned().await else {
            return;
        };
        let free = slots.available_permits().saturating_add(1);
        let now = now_ms();
        let claimed = state
            .store
            .claim_deliveries(
                &holder,
                now,
                now.saturating_add(millis(settings.lease)),
                i64::try_from(free).unwrap_or(1),
            )
            .await;
        match claimed {
            Ok(batch) if !batch.is_empty() => {
                let mut first = Some(first);
                for c in batch {
                    let slot = match first.take() {
                        Some(p) => p,
                        None => match slots.clone().acquire_owned().await {
                            Ok(p) => p,
                            Err(_) => return,
                        },
                    };
                    let (state, executor, holder, done_tx) =
                        (state.clone(), executor.clone(), holder.clone(), done_tx.clone());
                    tokio::spawn(async move {
                        match attempt(&state, &executor, &holder, &c).await {
                            Ok(Some((finished, endpoint))) => {
                                let done = Done {
                                    id: c.id,
                                    finished,
                                    endpoint,
                                    _slot: slot,
                                };
                                // The recorder is gone only when the worker stops: the lease runs out.
                                let _ = done_tx.send(done);
                            }
                            Ok(None) => {}
                            Err(e) => {
                                // The lease runs out and another claim retries it.
                                tracing::warn!(delivery = %c.id, error = %e, "a delivery attempt failed on storage");
                            }
                        }
                    });
                }
            }
            Ok(_) => {
                drop(first);
                // Woken by this process's commits, or after `poll` for retries and other processes' events.
                let _ = tokio::time::timeout(settings.poll, committed.recv()).await;
            }
            Err(e) => {
                drop(first);
                tracing::warn!(error = %e, "claiming deliveries failed; retrying");
                tokio::time::sleep(settings.poll).await;
            }
        }
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Writes outcomes in batches, then frees their slots (by dropping them).
async fn record(state: Arc<AppState>, holder: String, mut rx: mpsc::UnboundedReceiver<Done>) {
    let store = &state.store;
    let disable_after = i64::try_from(state.settings.outbox.disable_after.as_secs()).unwrap_or(i64::MAX);
    let mut batch: Vec<Done> = Vec::with_capacity(RECORD_BATCH);
    while rx.recv_many(&mut batch, RECORD_BATCH).await > 0 {
        let rows: Vec<(&str, &Finished)> = batch.iter().map(|d| (d.id.as_str(), &d.finished)).collect();
        match store.finish_deliveries(&holder, &rows).await {
            Ok(n) if n < rows.len() as u64 => {
                tracing::debug!(
                    lost = rows.len() as u64 - n,
                    "leases ran out before attempts were recorded"
                );
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "recording deliveries failed; their leases run out and they are retried")
            }
        }
        for d in &batch {
            let Some((trigger, ok)) = &d.endpoint else { continue };
            match store
                .record_endpoint(trigger, *ok, d.finished.at_ms / 1000, disable_after)
                .await
            {
                Ok(true) => {
                    tracing::warn!(trigger = %trigger, "a trigger's endpoint failed for too long; the trigger is disabled");
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(trigger = %trigger, error = %e, "recording an endpoint's health failed"),
            }
        }
        batch.clear();
    }
}

/// The outcome of one attempt of a claimed delivery, with the endpoint's health when it changes the trigger's
/// failure history; `None` when the delivery was abandoned (recorded at once).
async fn attempt(
    state: &AppState,
    executor: &Executor,
    holder: &str,
    c: &Claimed,
) -> Result<Option<(Finished, Option<(String, bool)>)>, crate::store::StoreError> {
    let store = &state.store;
    let settings = &state.settings.outbox;
    let trigger = match store.trigger_by_id(&c.trigger_id).await? {
        Some(t) if t.deleted_at.is_none() && TriggerStatus::parse(&t.status) == TriggerStatus::Enabled => t,
        Some(t) if t.deleted_at.is_none() => {
            store
                .abandon_delivery(&c.id, holder, "the trigger is disabled; re-enable it, then retry")
                .await?;
            return Ok(None);
        }
        _ => {
            store.abandon_delivery(&c.id, holder, "the trigger was deleted").await?;
            return Ok(None);
        }
    };
    let Some(event) = store.event_by_seq(c.event_seq).await? else {
        store.abandon_delivery(&c.id, holder, "the event is gone").await?;
        return Ok(None);
    };
    let outcome = executor.execute(state, &trigger, &event, &c.webhook_id).await;
    let at_ms = now_ms();
    let attempts = c.attempts.saturating_add(1);
    let (finished, ok) = match outcome {
        Outcome::Delivered { status, excerpt } => (
            Finished {
                status: DeliveryStatus::Delivered,
                next_attempt_ms: None,
                at_ms,
                http_status: Some(i64::from(status)),
                response: Some(excerpt),
                error: None,
            },
            Some(true),
        ),
        Outcome::Failed {
            status,
            excerpt,
            error,
            retry_after,
        } => {
            let delay = schedule::next_delay(&settings.schedule, attempts, retry_after, schedule::jitter_unit());
            (
                Finished {
                    status: if delay.is_some() {
                        DeliveryStatus::Failed
                    } else {
                        DeliveryStatus::Dead
                    },
                    next_attempt_ms: delay.map(|d| at_ms.saturating_add(millis(d))),
                    at_ms,
                    http_status: status.map(i64::from),
                    response: excerpt,
                    error: Some(error),
                },
                Some(false),
            )
        }
        Outcome::Impossible(why) => (
            Finished {
                status: DeliveryStatus::Dead,
                next_attempt_ms: None,
                at_ms,
                http_status: None,
                response: None,
                error: Some(why),
            },
            None,
        ),
    };
    // A success only writes the trigger when there is a failure history to clear.
    let endpoint = ok
        .filter(|ok| !ok || trigger.failing_since.is_some())
        .map(|ok| (trigger.id.clone(), ok));
    Ok(Some((finished, endpoint)))
}
