//! Sending one call: the attempt loop. Each attempt (see `attempt.rs`) is classified
//! ([`Classifier`](super::classify::Classifier)), the retry strategy decides ([`RetryStrategy`]), and the
//! wait ([`Deadline`]) sleeps or takes a rate-limit slot.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument as _;

use super::classify::Classification;
use super::encode::Prepared;
use super::error::{ClientError, TimeoutScope};
use super::redact::{Redactor, scrub};
use super::rest_client::Inner;
use super::retry::{Decision, RetryPolicy, RetryStrategy};
use super::wait::{Deadline, NoSlot};
use spec_core::Action;

/// Per-call settings (the client's, or a health check's).
#[derive(Debug, Clone)]
pub(crate) struct ExecOptions {
    pub(crate) retry: RetryPolicy,
    pub(crate) attempt_timeout: Duration,
    pub(crate) total_timeout: Duration,
}

/// A successful response.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) attempts: u32,
    pub(crate) request_id: Option<String>,
}

impl RawResponse {
    /// The body as `T`; an empty body reads as JSON `null`. The decoder's message (which may quote a
    /// field's value) is masked with `redactor`.
    pub(crate) fn decode<T: DeserializeOwned>(&self, action: &Action, redactor: &Redactor) -> Result<T, ClientError> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        serde_json::from_slice(body).map_err(|e| {
            scrub(
                redactor,
                ClientError::Decode {
                    action: action.id.clone(),
                    status: self.status.as_u16(),
                    request_id: self.request_id.clone(),
                    attempts: self.attempts,
                    message: e.to_string(),
                },
            )
        })
    }
}

impl Inner {
    /// Sends `prepared` with retries; returns the first successful response or the last error, masked.
    ///
    /// The `spec_client.request` span is only instrumented and filled in when a subscriber enables it.
    pub(crate) async fn execute(
        &self,
        action: &Action,
        prepared: &Prepared,
        opts: &ExecOptions,
    ) -> Result<RawResponse, ClientError> {
        let span = tracing::info_span!(
            "spec_client.request",
            integration = %self.spec.meta.key,
            action = %action.id,
            method = action.method.as_str(),
            path = %action.path,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let mut attempts = 0;
        let result = if span.is_disabled() {
            self.attempts(action, prepared, opts, &mut attempts).await
        } else {
            self.attempts(action, prepared, opts, &mut attempts)
                .instrument(span.clone())
                .await
        };
        let result = result.map_err(|e| scrub(&self.redactor, e));
        let _entered = span.enter();
        if !span.is_disabled() {
            span.record("attempts", attempts);
            let (status, request_id) = match &result {
                Ok(r) => (Some(r.status.as_u16()), r.request_id.as_deref()),
                Err(e) => (e.status(), e.request_id()),
            };
            if let Some(s) = status {
                span.record("status", s);
            }
            if let Some(id) = request_id {
                span.record("request_id", id);
            }
        }
        match &result {
            Ok(_) => tracing::debug!("call succeeded"),
            Err(e) => tracing::warn!(error = %e, "call failed"),
        }
        result
    }

    /// The attempt loop: take a rate-limit slot, send, classify, decide, wait.
    ///
    /// One deadline covers the whole call (`total_timeout`): each attempt runs under the earlier of its own
    /// deadline and that one, and a wait (rate limit, backoff) that would end after it ends the call at once.
    async fn attempts(
        &self,
        action: &Action,
        prepared: &Prepared,
        opts: &ExecOptions,
        attempts: &mut u32,
    ) -> Result<RawResponse, ClientError> {
        let deadline = Deadline::after(Instant::now(), opts.total_timeout);
        let idempotency = self.idempotency(action, prepared)?;
        let strategy = RetryStrategy::new(&opts.retry, action.is_idempotent() || idempotency.is_some());
        loop {
            self.slot(action, &deadline, *attempts).await?;
            let request = self
                .build_request(prepared, idempotency.as_ref())
                .map_err(|e| self.encode_error(action, e))?;
            *attempts += 1;
            let attempt = *attempts;
            let exchange = self.exchange(request, opts.attempt_timeout, &deadline).await;
            let classification = self.classifier.classify(&exchange, SystemTime::now());
            let decision = strategy.decide(attempt, &classification);
            let outcome = self.outcome(action, exchange, &classification, attempt);
            match decision {
                Decision::Stop(stop) => {
                    if let (Some(why), Classification::Retryable { reason, .. }) = (stop.explain(), classification) {
                        tracing::debug!(attempt, %reason, "{why}");
                    }
                    return outcome;
                }
                Decision::Retry { after } => {
                    let retry_in_ms = u64::try_from(after.as_millis()).unwrap_or(u64::MAX);
                    if let Classification::Retryable { reason, .. } = classification {
                        tracing::warn!(attempt, retry_in_ms, %reason, "retrying");
                    }
                    deadline
                        .sleep(after)
                        .await
                        .map_err(|_| self.total_timeout(action, attempt))?;
                }
            }
        }
    }

    /// Takes a client-side rate-limit slot, if the client has a limit.
    async fn slot(&self, action: &Action, deadline: &Deadline, attempts: u32) -> Result<(), ClientError> {
        let Some(limits) = &self.limits else {
            return Ok(());
        };
        deadline.slot(limits, self.limit_mode).await.map_err(|no| match no {
            NoSlot::FailFast(retry_in) => ClientError::RateLimited {
                action: action.id.clone(),
                retry_in,
            },
            NoSlot::Expired => self.total_timeout(action, attempts),
        })
    }

    fn total_timeout(&self, action: &Action, attempts: u32) -> ClientError {
        ClientError::Timeout {
            action: action.id.clone(),
            attempts,
            scope: TimeoutScope::Total,
        }
    }
}
