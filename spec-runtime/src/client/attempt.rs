//! One attempt: the request it sends, the exchange (send, read the body within the size limit, under the
//! attempt's deadline), and what it returns if it is the last (the response, or its error, provider error
//! object read at the spec's `error_pointer`).

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use super::body::{BodyError, read_limited};
use super::classify::{Classification, Exchange, Response};
use super::credential::AuthPlacement;
use super::encode::Prepared;
use super::error::{ApiError, ClientError, ProviderError, TimeoutScope};
use super::execute::RawResponse;
use super::redact::Redactor;
use super::rest_client::Inner;
use super::wait::Deadline;
use spec_core::Action;

impl Inner {
    /// The idempotency header of every attempt, when the spec names one and the call carries a key.
    pub(crate) fn idempotency(
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

    /// Sends one attempt and reads its response within the size limit, under the attempt's deadline.
    pub(crate) async fn exchange(&self, request: reqwest::Request, timeout: Duration, deadline: &Deadline) -> Exchange {
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
    pub(crate) fn outcome(
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

    pub(crate) fn encode_error(&self, action: &Action, e: reqwest::Error) -> ClientError {
        ClientError::Encode {
            action: action.id.clone(),
            message: self.describe(e),
        }
    }

    /// The request of one attempt: the prepared URL (plus query credential and version), the client's
    /// headers (credential header included), the idempotency key and the body.
    pub(crate) fn build_request(
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
        let (error, body_excerpt) = error_body(self.rest.error_pointer.as_deref(), &self.redactor, body);
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

/// What an error response's body tells: the provider error object at `error_pointer` (the whole body when
/// none), else an excerpt of the masked text (at most 512 characters). Every string passes `redactor`.
pub(crate) fn error_body(
    error_pointer: Option<&str>,
    redactor: &Redactor,
    body: &[u8],
) -> (Option<ProviderError>, Option<String>) {
    let object = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|json| match error_pointer {
            Some(pointer) => json.pointer(pointer).cloned(),
            None => Some(json),
        });
    let error = object.and_then(|o| ProviderError::from_value(redactor.json(o)));
    let body_excerpt = if error.is_some() {
        None
    } else {
        // Masked before it is cut, so that a secret across the cut leaves no unmasked prefix.
        let masked = redactor.text(String::from_utf8_lossy(body).trim());
        let text: String = masked.chars().take(512).collect();
        (!text.is_empty()).then_some(text)
    };
    (error, body_excerpt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_across_the_excerpt_cut_leaves_no_prefix() {
        let secret = "sk_test_AcrossTheCut0123456789";
        let redactor = Redactor::new([secret]);
        for at in 490..512 {
            let body = format!("{}{secret} tail", "x".repeat(at));
            let (error, excerpt) = error_body(None, &redactor, body.as_bytes());
            let excerpt = excerpt.unwrap();
            assert!(error.is_none());
            assert!(excerpt.chars().count() <= 512);
            assert!(!excerpt.contains("sk_test_Across"), "{at}: {excerpt}");
        }
    }
}
