//! Sending one call: the attempt loop. Each attempt is classified ([`Classifier`](super::classify::Classifier)),
//! the retry strategy decides ([`RetryStrategy`]), and the wait ([`Deadline`]) sleeps or takes a rate-limit
//! slot; this file holds the loop and the mapping of an attempt to its result.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::time::Instant;
use tracing::Instrument as _;

use super::body::{BodyError, read_limited};
use super::classify::{Classification, Exchange, Response};
use super::credential::AuthPlacement;
use super::encode::Prepared;
use super::error::{ApiError, ClientError, ProviderError, TimeoutScope};
use super::redact::{Redactor, scrub};
use super::rest_client::Inner;
use super::retry::{Decision, RetryPolicy, RetryStrategy};
use super::wait::{Deadline, NoSlot};
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

    /// The idempotency header of every attempt, when the spec names one and the call carries a key.
    fn idempotency(
        &self,
        action: &Action,
        prepared: &Prepared,
    ) -> Result<Option<(HeaderName, HeaderValue)>, ClientError> {
        let (Some(name), Some(key)) = (&self.idempotency_header, &prepared.idempotency_key) else {
            return Ok(None);
        };
        let value = HeaderValue::from_str(key).map_err(|_| ClientError::InvalidIdempotencyKey {
            action: action.id.clone(),
            header: name.clone(),
        })?;
        Ok(Some((name.clone(), value)))
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

    /// Sends one attempt and reads its response within the size limit, under the attempt's deadline.
    async fn exchange(&self, request: reqwest::Request, timeout: Duration, deadline: &Deadline) -> Exchange {
        let (at, cut_by_total) = deadline.attempt(timeout);
        let limit = self.max_response_size;
        let sent = tokio::time::timeout_at(at, async {
            let mut response = self.http.execute(request).await?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            match read_limited(&mut response, limit).await {
                Ok(body) => Ok(Exchange::Response(Response { status, headers, body })),
                Err(BodyError::TooLarge) => Ok(Exchange::TooLarge { status, limit }),
                Err(BodyError::Transport(e)) => Err(e),
            }
        })
        .await;
        match sent {
            Ok(Ok(exchange)) => exchange,
            Ok(Err(e)) if e.is_timeout() => Exchange::Timeout(TimeoutScope::Attempt),
            Ok(Err(e)) => Exchange::Connection(self.describe(e)),
            Err(_) if cut_by_total => Exchange::Timeout(TimeoutScope::Total),
            Err(_) => Exchange::Timeout(TimeoutScope::Attempt),
        }
    }

    /// What an attempt returns if it is the last: the response, or its error.
    fn outcome(
        &self,
        action: &Action,
        exchange: Exchange,
        classification: &Classification,
        attempt: u32,
    ) -> Result<RawResponse, ClientError> {
        let response = match exchange {
            Exchange::Response(r) => r,
            Exchange::Connection(message) => {
                return Err(ClientError::Connection {
                    action: action.id.clone(),
                    attempts: attempt,
                    message,
                });
            }
            Exchange::Timeout(scope) => {
                return Err(ClientError::Timeout {
                    action: action.id.clone(),
                    attempts: attempt,
                    scope,
                });
            }
            Exchange::TooLarge { status, limit } => {
                return Err(ClientError::ResponseTooLarge {
                    action: action.id.clone(),
                    status: status.as_u16(),
                    limit,
                    attempts: attempt,
                });
            }
        };
        let Response { status, headers, body } = response;
        let request_id = self.request_id(&headers);
        tracing::debug!(
            attempt,
            status = status.as_u16(),
            request_id = request_id.as_deref(),
            "response"
        );
        if *classification != Classification::Success {
            return Err(self.api_error(action, status, &headers, &body, attempt, classification.server_delay()));
        }
        Ok(RawResponse {
            status,
            headers,
            body,
            attempts: attempt,
            request_id,
        })
    }

    fn total_timeout(&self, action: &Action, attempts: u32) -> ClientError {
        ClientError::Timeout {
            action: action.id.clone(),
            attempts,
            scope: TimeoutScope::Total,
        }
    }

    fn encode_error(&self, action: &Action, e: reqwest::Error) -> ClientError {
        ClientError::Encode {
            action: action.id.clone(),
            message: self.describe(e),
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
