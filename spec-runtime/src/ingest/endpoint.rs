//! The ingestion pipeline and its axum router.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::routing::post;

use super::dedupe::{DedupeStore, Mark, MemoryDedupe};
use super::outcome::{Outcome, Rejection};
use super::resolver::{ConnectionId, ConnectionResolver};
use super::sink::{Delivery, EventSink};
use crate::event::EventReader;
use crate::webhook::{Headers, Verifier, VerifierConfigError};
use spec_core::Secret;
use spec_core::{EventEnvelope, IntegrationSpec};

/// How long a copy waits for the delivery of its first copy, by default.
const DEFAULT_IN_FLIGHT_WAIT: Duration = Duration::from_secs(5);

/// The `Retry-After` answered with [`Rejection::InFlight`].
const IN_FLIGHT_RETRY_AFTER: Duration = Duration::from_secs(5);

/// Ingests one integration's webhook deliveries (see the [module docs](super) for the answers given).
pub struct WebhookIngest<R, S, D = MemoryDedupe> {
    verifier: Verifier,
    reader: EventReader,
    resolver: R,
    sink: S,
    dedupe: D,
    platform_connection: Option<ConnectionId>,
    in_flight_wait: Duration,
}

impl<R, S, D> std::fmt::Debug for WebhookIngest<R, S, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookIngest")
            .field("verifier", &self.verifier)
            .field("envelope", self.reader.envelope())
            .field("prefix", &self.reader.prefix())
            .field("platform_connection", &self.platform_connection)
            .field("in_flight_wait", &self.in_flight_wait)
            .finish_non_exhaustive()
    }
}

impl<R: ConnectionResolver, S: EventSink> WebhookIngest<R, S, MemoryDedupe> {
    /// An endpoint verifying with `verifier`, prefixing event types with `prefix` (`stripe.`), resolving
    /// accounts with `resolver` and handing events to `sink`. The envelope is the one conventional for the
    /// verifier's scheme ([`EventEnvelope::for_optional_scheme`]: the plain envelope for a declared layout; see [`with_envelope`](Self::with_envelope));
    /// duplicates are remembered in a [`MemoryDedupe`] of default capacity.
    pub fn new(verifier: Verifier, prefix: impl Into<String>, resolver: R, sink: S) -> Self {
        let reader = EventReader::new(&EventEnvelope::for_optional_scheme(verifier.options().scheme), prefix);
        Self::with_reader(verifier, reader, resolver, sink)
    }

    /// An endpoint verifying with `verifier` and reading events with `reader` (its envelope and prefix).
    pub fn with_reader(verifier: Verifier, reader: EventReader, resolver: R, sink: S) -> Self {
        Self {
            verifier,
            reader,
            resolver,
            sink,
            dedupe: MemoryDedupe::default(),
            platform_connection: None,
            in_flight_wait: DEFAULT_IN_FLIGHT_WAIT,
        }
    }

    /// An endpoint configured by the spec: its webhook transport and `secrets` for the verifier, its
    /// [`event_envelope`](IntegrationSpec::event_envelope) (`events.envelope` when declared) to read events
    /// and its `events.prefix` for event types.
    pub fn from_spec(
        spec: &IntegrationSpec,
        secrets: &[Secret],
        resolver: R,
        sink: S,
    ) -> Result<Self, VerifierConfigError> {
        let verifier = Verifier::from_spec(spec, secrets)?;
        let reader = EventReader::from_spec(spec).unwrap_or_else(|| {
            EventReader::new(
                &EventEnvelope::for_optional_scheme(verifier.options().scheme),
                spec.event_prefix(),
            )
        });
        Ok(Self::with_reader(verifier, reader, resolver, sink))
    }
}

impl<R: ConnectionResolver, S: EventSink, D: DedupeStore> WebhookIngest<R, S, D> {
    /// Uses another store of delivered event ids.
    pub fn with_dedupe<D2: DedupeStore>(self, dedupe: D2) -> WebhookIngest<R, S, D2> {
        WebhookIngest {
            verifier: self.verifier,
            reader: self.reader,
            resolver: self.resolver,
            sink: self.sink,
            dedupe,
            platform_connection: self.platform_connection,
            in_flight_wait: self.in_flight_wait,
        }
    }

    /// How long a copy of an event whose first copy is still being delivered waits for that delivery
    /// (default 5 s): when the first copy succeeds within it the copy is acknowledged as a duplicate, when the
    /// first copy fails the copy delivers the event itself, otherwise it is answered
    /// [`Rejection::InFlight`] (409 with `Retry-After`) so that the provider retries it.
    pub fn with_in_flight_wait(mut self, wait: Duration) -> Self {
        self.in_flight_wait = wait;
        self
    }

    /// Reads events with another envelope (the prefix is kept).
    pub fn with_envelope(mut self, envelope: &EventEnvelope) -> Self {
        self.reader = EventReader::new(envelope, self.reader.prefix());
        self
    }

    /// Delivers events without an account (platform events) to `connection` instead of rejecting them.
    pub fn with_platform_connection(mut self, connection: ConnectionId) -> Self {
        self.platform_connection = Some(connection);
        self
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// The reader of events (envelope and prefix).
    pub fn reader(&self) -> &EventReader {
        &self.reader
    }

    /// The resolver.
    pub fn resolver(&self) -> &R {
        &self.resolver
    }

    /// Runs one delivery through the pipeline: size → signature → event → account → dedupe → sink. The
    /// dedupe mark is taken before the sink runs and becomes "delivered" only once the sink succeeded: a
    /// copy arriving meanwhile waits for it (see [`with_in_flight_wait`](Self::with_in_flight_wait)) and is
    /// never acknowledged before the event reached the application. Dropping this future between the mark
    /// and the sink's answer leaves the mark in flight (copies then get [`Rejection::InFlight`] until the
    /// store forgets it); the [`router`](Self::router) runs each delivery on its own task for that reason.
    pub async fn ingest<H: Headers + Sync + ?Sized>(&self, headers: &H, body: &[u8]) -> Outcome {
        let outcome = self.run(headers, body).await;
        match &outcome {
            Outcome::Delivered { event_id, connection } => {
                tracing::info!(event_id = %event_id, connection = %connection, "webhook event delivered");
            }
            Outcome::Duplicate { event_id, connection } => {
                tracing::info!(event_id = %event_id, connection = %connection, "duplicate webhook event acknowledged");
            }
            Outcome::Challenge(_) => tracing::info!("url verification challenge answered"),
            Outcome::Rejected(r) => tracing::warn!(kind = r.kind(), status = r.status().as_u16(), "webhook rejected"),
        }
        outcome
    }

    async fn run<H: Headers + Sync + ?Sized>(&self, headers: &H, body: &[u8]) -> Outcome {
        let reject = Outcome::Rejected;
        let limit = self.verifier.options().limits.max_body_bytes;
        if body.len() > limit {
            return reject(Rejection::BodyTooLarge { limit });
        }
        if let Err(e) = self.verifier.verify(headers, body) {
            return reject(e.into());
        }
        if let Some(challenge) = self.reader.handshake(body, headers) {
            return Outcome::Challenge(challenge);
        }
        let event = match self.reader.canonical(body, headers) {
            Ok(e) => e,
            Err(e) => return reject(e.into()),
        };
        let connection = match &event.account_id {
            Some(account) => match self.resolver.resolve(account).await {
                Ok(Some(c)) => c,
                Ok(None) => return reject(Rejection::UnknownAccount),
                Err(e) => return reject(Rejection::Unavailable(e.to_string())),
            },
            None => match &self.platform_connection {
                Some(c) => c.clone(),
                None => return reject(Rejection::NoAccount),
            },
        };
        let event_id = event.id.clone();
        let key = format!("{}:{}:{}", connection.0.len(), connection.0, event_id);
        if let Some(answer) = self.claim(&key, &event_id, &connection).await {
            return answer;
        }
        let delivery = Delivery {
            connection: connection.clone(),
            event,
        };
        if let Err(e) = self.sink.deliver(delivery).await {
            self.dedupe.release(&key).await;
            return reject(Rejection::Unavailable(e.to_string()));
        }
        self.dedupe.complete(&key).await;
        Outcome::Delivered { event_id, connection }
    }

    /// Claims `key` for delivery: `None` when this copy is to deliver the event, otherwise the answer to
    /// give (a duplicate of a delivered copy, or [`Rejection::InFlight`] when the copy in flight did not
    /// finish within the wait). A copy in flight is polled, with a growing pause, until the wait is over.
    async fn claim(&self, key: &str, event_id: &str, connection: &ConnectionId) -> Option<Outcome> {
        let deadline = tokio::time::Instant::now().checked_add(self.in_flight_wait);
        let mut pause = Duration::from_millis(5);
        loop {
            match self.dedupe.claim(key).await {
                Mark::Delivered => {
                    return Some(Outcome::Duplicate {
                        event_id: event_id.to_string(),
                        connection: connection.clone(),
                    });
                }
                Mark::InFlight => {
                    let now = tokio::time::Instant::now();
                    let left = deadline.map_or(pause, |d| d.saturating_duration_since(now));
                    if left.is_zero() {
                        return Some(Outcome::Rejected(Rejection::InFlight {
                            retry_after: IN_FLIGHT_RETRY_AFTER,
                        }));
                    }
                    tokio::time::sleep(pause.min(left)).await;
                    pause = pause.saturating_mul(2).min(Duration::from_millis(200));
                }
                // `Claimed`, and any mark a newer store may add: deliver.
                _ => return None,
            }
        }
    }

    /// A router answering `POST path` with this endpoint. Bodies over the verifier's
    /// [`max_body_bytes`](crate::webhook::Limits::max_body_bytes) are refused with 413 before hashing, from
    /// `Content-Length` when present, otherwise as soon as the body read exceeds the limit.
    pub fn router(self, path: &str) -> Router {
        let limit = self.verifier.options().limits.max_body_bytes;
        Router::new()
            .route(path, post(handle::<R, S, D>))
            .layer(DefaultBodyLimit::max(limit))
            .with_state(Arc::new(self))
    }
}

async fn handle<R: ConnectionResolver, S: EventSink, D: DedupeStore>(
    State(ingest): State<Arc<WebhookIngest<R, S, D>>>,
    mut request: Request,
) -> Outcome {
    let limit = ingest.verifier.options().limits.max_body_bytes;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        tracing::warn!(kind = "body_too_large", "webhook rejected from its Content-Length");
        return Outcome::Rejected(Rejection::BodyTooLarge { limit });
    }
    let headers = std::mem::take(request.headers_mut());
    let body = match Bytes::from_request(request, &()).await {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            tracing::warn!(kind = "body_too_large", "webhook body over the limit");
            return Outcome::Rejected(Rejection::BodyTooLarge { limit });
        }
        Err(_) => return Outcome::Rejected(Rejection::UnreadableBody),
    };
    // On its own task, so that a client going away (or the server's request timeout) cannot cancel the
    // delivery between taking the dedupe mark and settling it.
    let task = tokio::spawn(async move { ingest.ingest(&headers, &body).await });
    task.await
        .unwrap_or_else(|_| Outcome::Rejected(Rejection::Unavailable("the delivery task failed".into())))
}
