//! One pending action call, with per-call options.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::encode::prepare;
use super::error::ClientError;
use super::redact::scrub;
use super::rest_client::RestClient;
use spec_core::Action;

/// What is known about a successful call besides its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMeta {
    /// HTTP status.
    pub status: u16,
    /// The provider's request id, if the response carried one.
    pub request_id: Option<String>,
    /// Attempts made (1 when the first succeeded).
    pub attempts: u32,
    /// The idempotency key sent (the caller's, or the one generated for this call), if any.
    pub idempotency_key: Option<String>,
}

/// A call of one action, built by [`RestClient::call`] or [`RestClient::request`]; nothing is sent
/// until [`send`](ActionRequest::send) (or `.await`).
#[must_use = "a request does nothing until it is sent"]
pub struct ActionRequest<'c, O> {
    client: &'c RestClient,
    action: &'static Action,
    pub(crate) input: Result<Value, ClientError>,
    idempotency_key: Option<String>,
    _output: PhantomData<fn() -> O>,
}

impl<O> std::fmt::Debug for ActionRequest<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionRequest")
            .field("action", &self.action.id)
            .field("idempotency_key", &self.idempotency_key)
            .finish_non_exhaustive()
    }
}

impl<'c, O: DeserializeOwned> ActionRequest<'c, O> {
    pub(crate) fn new(client: &'c RestClient, action: &'static Action, input: Result<Value, ClientError>) -> Self {
        Self {
            client,
            action,
            input,
            idempotency_key: None,
            _output: PhantomData,
        }
    }

    /// The action being called.
    pub fn action(&self) -> &'static Action {
        self.action
    }

    /// Sends this idempotency key (in the spec's `idempotency_header`) instead of a generated one; use a
    /// key stable across your own retries of the same logical operation. Ignored when the spec declares
    /// no idempotency header.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Sends the call (retrying as the client's policy allows) and decodes the output.
    pub async fn send(self) -> Result<O, ClientError> {
        self.send_with_meta().await.map(|(output, _)| output)
    }

    /// Like [`send`](ActionRequest::send), also returning the status, request id, attempts and the
    /// idempotency key used.
    pub async fn send_with_meta(self) -> Result<(O, ResponseMeta), ClientError> {
        let redactor = &self.client.inner.redactor;
        self.send_unmasked().await.map_err(|e| scrub(redactor, e))
    }

    async fn send_unmasked(self) -> Result<(O, ResponseMeta), ClientError> {
        let inner = &self.client.inner;
        let input = self.input?;
        let key = match &inner.idempotency_header {
            None => None,
            Some(_) => self
                .idempotency_key
                .or_else(|| self.action.mutates.then(|| uuid::Uuid::new_v4().to_string())),
        };
        let prepared = prepare(&inner.base_url, self.action, inner.rest.body, input, key)?;
        let raw = inner.execute(self.action, &prepared, &inner.options).await?;
        let output = raw.decode(self.action, &inner.redactor)?;
        Ok((
            output,
            ResponseMeta {
                status: raw.status.as_u16(),
                request_id: raw.request_id,
                attempts: raw.attempts,
                idempotency_key: prepared.idempotency_key,
            },
        ))
    }
}

impl<'c, O: DeserializeOwned + Send + 'c> IntoFuture for ActionRequest<'c, O> {
    type Output = Result<O, ClientError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<O, ClientError>> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
