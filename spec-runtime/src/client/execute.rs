//! Sending one call: attempts, per-attempt and overall timeouts, retries, rate limiting, error mapping.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::time::Instant;
use tracing::Instrument as _;

use super::credential::AuthPlacement;
use super::encode::Prepared;
use super::error::{ApiError, ClientError, ProviderError, TimeoutScope};
use super::rate_limit::RateLimitMode;
use super::rest_client::Inner;
use super::retry::{RetryPolicy, retry_after, status_retryable};
use spec_core::model::Action;

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
    /// The body as `T`; an empty body reads as JSON `null`.
    pub(crate) fn decode<T: DeserializeOwned>(&self, action: &Action) -> Result<T, ClientError> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        serde_json::from_slice(body).map_err(|e| ClientError::Decode {
            action: action.id.clone(),
            status: self.status.as_u16(),
            request_id: self.request_id.clone(),
            attempts: self.attempts,
            message: e.to_string(),
        })
    }
}

/// `now + d`, or about 30 years from now when that overflows (as `tokio::time::timeout` does).
fn after(now: Instant, d: Duration) -> Instant {
    now.checked_add(d)
        .unwrap_or_else(|| now + Duration::from_secs(86_400 * 365 * 30))
}

enum Failure {
    Status {
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    },
    Transport(reqwest::Error),
    Timeout,
}

impl Inner {
    /// Sends `prepared` with retries; returns the first successful response or the last error.
    ///
    /// One deadline covers the whole call (`total_timeout`): each attempt runs under the earlier of its own
    /// deadline and that one, and waits (rate limit, backoff) are cut at it, so a call registers one timer
    /// per attempt. The `spec_client.request` span is only instrumented and filled in when a subscriber
    /// enables it.
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
        let start = Instant::now();
        let mut attempts = 0;
        let result = if span.is_disabled() {
            self.attempts(action, prepared, opts, start, &mut attempts).await
        } else {
            self.attempts(action, prepared, opts, start, &mut attempts)
                .instrument(span.clone())
                .await
        };
        let _entered = span.enter();
        if !span.is_disabled() {
            span.record("attempts", attempts);
        }
        match &result {
            Ok(r) => {
                if !span.is_disabled() {
                    span.record("status", r.status.as_u16());
                    if let Some(id) = &r.request_id {
                        span.record("request_id", id.as_str());
                    }
                }
                tracing::debug!("call succeeded");
            }
            Err(e) => {
                if !span.is_disabled() {
                    if let Some(s) = e.status() {
                        span.record("status", s);
                    }
                    if let Some(id) = e.request_id() {
                        span.record("request_id", id);
                    }
                }
                tracing::warn!(error = %e, "call failed");
            }
        }
        result
    }

    async fn attempts(
        &self,
        action: &Action,
        prepared: &Prepared,
        opts: &ExecOptions,
        start: Instant,
        attempts: &mut u32,
    ) -> Result<RawResponse, ClientError> {
        let deadline = after(start, opts.total_timeout);
        let total_timeout = |attempts: u32| ClientError::Timeout {
            action: action.id.clone(),
            attempts,
            scope: TimeoutScope::Total,
        };
        let idempotency = match (&self.idempotency_header, &prepared.idempotency_key) {
            (Some(name), Some(key)) => Some((
                name.clone(),
                HeaderValue::from_str(key).map_err(|_| ClientError::Encode {
                    action: action.id.clone(),
                    message: "the idempotency key contains characters not allowed in a header".into(),
                })?,
            )),
            _ => None,
        };
        let retry_safe = action.is_idempotent() || idempotency.is_some();
        let mut backoff = opts.retry.backoff();
        // The call's start time stands for "now" until something has waited.
        let mut fresh = Some(start);
        loop {
            if let Some(limits) = &self.limits {
                let rate_limited = |retry_in| ClientError::RateLimited {
                    action: action.id.clone(),
                    retry_in,
                };
                match limits.try_acquire() {
                    Ok(()) => {}
                    Err(retry_in) if self.limit_mode == RateLimitMode::FailFast => return Err(rate_limited(retry_in)),
                    Err(_) => {
                        fresh = None;
                        match tokio::time::timeout_at(deadline, limits.acquire(self.limit_mode)).await {
                            Ok(acquired) => acquired.map_err(rate_limited)?,
                            Err(_) => return Err(total_timeout(*attempts)),
                        }
                    }
                }
            }
            let request = self
                .build_request(prepared, idempotency.as_ref())
                .map_err(|e| ClientError::Encode {
                    action: action.id.clone(),
                    message: self.describe(e),
                })?;
            *attempts += 1;
            let attempt = *attempts;
            let now = fresh.take().unwrap_or_else(Instant::now);
            let attempt_deadline = after(now, opts.attempt_timeout);
            let cut_by_total = attempt_deadline >= deadline;
            let outcome = tokio::time::timeout_at(attempt_deadline.min(deadline), async {
                let mut response = self.http.execute(request).await?;
                let status = response.status();
                let headers = std::mem::take(response.headers_mut());
                let body = response.bytes().await?;
                Ok::<_, reqwest::Error>((status, headers, Vec::from(body)))
            })
            .await;
            let failure = match outcome {
                Ok(Ok((status, headers, body))) => {
                    let request_id = self.request_id(&headers);
                    tracing::debug!(
                        attempt,
                        status = status.as_u16(),
                        request_id = request_id.as_deref(),
                        "response"
                    );
                    if status.is_success() && self.reports_failure(&body) {
                        return Err(self.api_error(action, status, &headers, &body, attempt, None));
                    }
                    if status.is_success() {
                        return Ok(RawResponse {
                            status,
                            headers,
                            body,
                            attempts: attempt,
                            request_id,
                        });
                    }
                    Failure::Status { status, headers, body }
                }
                Ok(Err(e)) if e.is_timeout() => Failure::Timeout,
                Ok(Err(e)) => Failure::Transport(e),
                Err(_) if cut_by_total => return Err(total_timeout(attempt)),
                Err(_) => Failure::Timeout,
            };
            let (error, retryable, reason, wait) = match failure {
                Failure::Status { status, headers, body } => {
                    let (mut retryable, mut reason) =
                        status_retryable(status, &headers, self.should_retry_header.as_ref());
                    let mut wait = retry_after(&headers);
                    if let Some(until_reset) = self.quota_headers.as_ref().and_then(|q| q.spent(status, &headers)) {
                        (retryable, reason) = (true, "the provider's rate limit is spent");
                        wait = wait.or(until_reset);
                    }
                    (
                        self.api_error(action, status, &headers, &body, attempt, wait),
                        retryable,
                        reason,
                        wait,
                    )
                }
                Failure::Transport(e) => (
                    ClientError::Connection {
                        action: action.id.clone(),
                        attempts: attempt,
                        message: self.describe(e),
                    },
                    true,
                    "connection failed",
                    None,
                ),
                Failure::Timeout => (
                    ClientError::Timeout {
                        action: action.id.clone(),
                        attempts: attempt,
                        scope: TimeoutScope::Attempt,
                    },
                    true,
                    "attempt timed out",
                    None,
                ),
            };
            if !retryable {
                return Err(error);
            }
            if !retry_safe {
                tracing::debug!(
                    attempt,
                    reason,
                    "not retried: the action is not idempotent and carries no idempotency key"
                );
                return Err(error);
            }
            let Some(mut delay) = backoff.next() else {
                return Err(error);
            };
            if let Some(wait) = wait {
                if wait > opts.retry.max_retry_after {
                    tracing::debug!(
                        attempt,
                        retry_after_ms = wait.as_millis() as u64,
                        "not retried: Retry-After exceeds the longest wait allowed"
                    );
                    return Err(error);
                }
                delay = delay.max(wait);
            }
            tracing::warn!(attempt, retry_in_ms = delay.as_millis() as u64, reason, "retrying");
            let wake = after(Instant::now(), delay);
            tokio::time::sleep_until(wake.min(deadline)).await;
            if wake >= deadline {
                return Err(total_timeout(attempt));
            }
        }
    }

    /// The request of one attempt: the prepared URL (plus query credential and version), the client's
    /// headers (credential header included), the idempotency key and the body.
    fn build_request(
        &self,
        prepared: &Prepared,
        idempotency: Option<&(HeaderName, HeaderValue)>,
    ) -> Result<reqwest::Request, reqwest::Error> {
        let mut url = prepared.url.clone();
        if self.version_query.is_some() || matches!(self.auth, Some(AuthPlacement::Query { .. })) {
            let mut query = url.query_pairs_mut();
            if let Some((name, version)) = &self.version_query {
                query.append_pair(name, version);
            }
            if let Some(AuthPlacement::Query { name, value }) = &self.auth {
                query.append_pair(name, value.expose());
            }
        }
        let mut request = if url.username().is_empty() && url.password().is_none() {
            let mut request = reqwest::Request::new(prepared.method.clone(), url);
            *request.headers_mut() = self.headers.clone();
            request
        } else {
            // User info in the base URL: reqwest's builder turns it into a basic-auth header.
            let mut request = self.http.request(prepared.method.clone(), url).build()?;
            for (name, value) in &self.headers {
                request.headers_mut().append(name, value.clone());
            }
            request
        };
        let headers = request.headers_mut();
        if let Some((name, value)) = idempotency {
            headers.append(name.clone(), value.clone());
        }
        if let Some(body) = &prepared.body {
            headers.append(CONTENT_TYPE, HeaderValue::from_static(body.content_type));
            *request.body_mut() = Some(body.bytes.clone().into());
        }
        Ok(request)
    }

    fn request_id(&self, headers: &HeaderMap) -> Option<String> {
        headers
            .get(&self.request_id_header)
            .and_then(|v| v.to_str().ok())
            .map(|s| self.redactor.text(s))
    }

    /// A transport error's message chain, without the URL (it may carry a query credential) and masked.
    fn describe(&self, e: reqwest::Error) -> String {
        let e = e.without_url();
        let mut parts = vec![e.to_string()];
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            let text = s.to_string();
            if parts.last() != Some(&text) {
                parts.push(text);
            }
            source = s.source();
        }
        self.redactor.text(&parts.join(": "))
    }

    /// Whether a 2xx body says the call failed, per the spec's `success_pointer` (`{"ok": false, …}`).
    fn reports_failure(&self, body: &[u8]) -> bool {
        let Some(pointer) = &self.rest.success_pointer else {
            return false;
        };
        serde_json::from_slice::<Value>(body)
            .ok()
            .is_some_and(|json| json.pointer(pointer) == Some(&Value::Bool(false)))
    }

    fn api_error(
        &self,
        action: &Action,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        attempts: u32,
        retry_after: Option<Duration>,
    ) -> ClientError {
        let object = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|json| match &self.rest.error_pointer {
                Some(pointer) => json.pointer(pointer).cloned(),
                None => Some(json),
            });
        let error = object.and_then(|o| ProviderError::from_value(self.redactor.json(o)));
        let body_excerpt = if error.is_some() {
            None
        } else {
            let text: String = String::from_utf8_lossy(body).chars().take(512).collect();
            let text = self.redactor.text(text.trim());
            (!text.is_empty()).then_some(text)
        };
        ClientError::Api(Box::new(ApiError {
            action: action.id.clone(),
            status: status.as_u16(),
            error,
            body_excerpt,
            request_id: self.request_id(headers),
            attempts,
            retry_after,
        }))
    }
}
