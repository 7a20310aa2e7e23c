//! The outbox worker of one host process: claims due deliveries under a lease, runs each through the
//! [`Executor`], records the outcome and schedules the retry (or the dead letter).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::deliver::{Executor, Outcome};
use super::{now_ms, schedule};
use crate::state::AppState;
use crate::store::{Claimed, Finished};
use crate::triggers::{DeliveryStatus, TriggerStatus};

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
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
                    let permit = match first.take() {
                        Some(p) => p,
                        None => match slots.clone().acquire_owned().await {
                            Ok(p) => p,
                            Err(_) => return,
                        },
                    };
                    let (state, executor, holder) = (state.clone(), executor.clone(), holder.clone());
                    tokio::spawn(async move {
                        attempt(&state, &executor, &holder, c).await;
                        drop(permit);
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

/// One attempt of a claimed delivery, recorded.
async fn attempt(state: &AppState, executor: &Executor, holder: &str, c: Claimed) {
    if let Err(e) = try_attempt(state, executor, holder, &c).await {
        // The lease runs out and another claim retries it.
        tracing::warn!(delivery = %c.id, error = %e, "recording a delivery failed");
    }
}

async fn try_attempt(
    state: &AppState,
    executor: &Executor,
    holder: &str,
    c: &Claimed,
) -> Result<(), crate::store::StoreError> {
    let store = &state.store;
    let settings = &state.settings.outbox;
    let trigger = match store.trigger_by_id(&c.trigger_id).await? {
        Some(t) if t.deleted_at.is_none() && TriggerStatus::parse(&t.status) == TriggerStatus::Enabled => t,
        Some(t) if t.deleted_at.is_none() => {
            return store
                .abandon_delivery(&c.id, holder, "the trigger is disabled; re-enable it, then retry")
                .await;
        }
        _ => return store.abandon_delivery(&c.id, holder, "the trigger was deleted").await,
    };
    let Some(event) = store.event_by_seq(c.event_seq).await? else {
        return store.abandon_delivery(&c.id, holder, "the event is gone").await;
    };
    let outcome = executor.execute(&trigger, &event, &c.webhook_id).await;
    let at_ms = now_ms();
    let attempts = c.attempts.saturating_add(1);
    let (finished, ok) = match &outcome {
        Outcome::Delivered { status, excerpt } => (
            Finished {
                status: DeliveryStatus::Delivered,
                next_attempt_ms: None,
                at_ms,
                http_status: Some(i64::from(*status)),
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
            let delay = schedule::next_delay(&settings.schedule, attempts, *retry_after, schedule::jitter_unit());
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
                    response: excerpt.as_deref(),
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
    if !store.finish_delivery(&c.id, holder, &finished).await? {
        tracing::debug!(delivery = %c.id, "the lease ran out before the attempt was recorded");
    }
    // A success only writes when there is a failure history to clear.
    if let Some(ok) = ok.filter(|ok| !ok || trigger.failing_since.is_some()) {
        let disable_after = i64::try_from(settings.disable_after.as_secs()).unwrap_or(i64::MAX);
        if store
            .record_endpoint(&trigger.id, ok, at_ms / 1000, disable_after)
            .await?
        {
            tracing::warn!(trigger = %trigger.id, "a trigger's endpoint failed for too long; the trigger is disabled");
        }
    }
    Ok(())
}
