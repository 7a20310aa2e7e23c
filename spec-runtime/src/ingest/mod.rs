//! An axum endpoint that ingests webhook deliveries: verify → parse → canonical event → resolve the event's
//! account to a connection → dedupe → hand the event to the application.
//!
//! | outcome | status | body |
//! |---|---|---|
//! | delivered | 200 | `{"received":true,"duplicate":false,"event_id":…}` |
//! | duplicate event id (already delivered) | 200 | `{"received":true,"duplicate":true,…}` |
//! | duplicate of a copy still being delivered, past the wait | 409 + `Retry-After` | `{"error":"in_flight"}` |
//! | signature rejected | 400 | `{"error":"<kind>"}` ([`WebhookError::kind`](crate::webhook::WebhookError::kind)) |
//! | body not an event | 400 | `{"error":"invalid_event"}` |
//! | account not connected | 404 | `{"error":"unknown_account"}` |
//! | no account and no platform connection | 404 | `{"error":"no_account"}` |
//! | body over the limit | 413 | `{"error":"body_too_large"}` |
//! | resolver or consumer failed | 503 | `{"error":"unavailable"}` (the provider retries) |
//! | request not complete within [`ServeOptions::body_read_timeout`] (with [`serve`]) | 408 | empty |
//!
//! Event fields (id for deduplication, type, account, object) are read where the integration's envelope says:
//! [`WebhookIngest::from_spec`] uses the spec's [`event_envelope`](spec_core::IntegrationSpec::event_envelope)
//! (`events.envelope` when declared), [`WebhookIngest::new`] the envelope conventional for the verifier's scheme,
//! and [`WebhookIngest::with_envelope`] / [`WebhookIngest::with_reader`] take an explicit one.
//!
//! **Platform events** (no account, such as a Stripe account's own events when no Connect account is
//! involved) are rejected with 404 unless a platform connection is configured with
//! [`WebhookIngest::with_platform_connection`], in which case they are delivered to it. Rejecting is the
//! default so that nothing reaches the application for a connection it did not set up.
//!
//! Oversized bodies are refused before hashing: the router sets axum's body limit to the verifier's
//! [`Limits::max_body_bytes`](crate::webhook::Limits::max_body_bytes), which answers 413 from the
//! `Content-Length` header or as soon as the streamed body exceeds it.
//!
//! **Serving**: [`serve`] runs the router on hyper's HTTP/1.1 server with a header-read timeout, a
//! request (body-read) timeout, a keep-alive idle timeout and a cap on concurrent connections
//! ([`ServeOptions`]; 10 s, 30 s, 60 s and 1024 by default). `axum::serve` has none of these: a client
//! trickling its headers or stalling its body holds a connection (and the body read so far) forever.
//!
//! ```no_run
//! use spec_runtime::ingest::{ConnectionId, InMemoryResolver, WebhookIngest};
//! use spec_runtime::webhook::{Verifier, VerifierOptions};
//! use spec_core::{Secret, SignatureScheme};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = Verifier::new(VerifierOptions::for_scheme(SignatureScheme::Stripe), &[Secret::new("whsec_…")])?;
//! let resolver = InMemoryResolver::new();
//! resolver.insert("acct_123", ConnectionId::new("conn_1"));
//! let (tx, mut rx) = tokio::sync::mpsc::channel(64);
//! let app = WebhookIngest::new(verifier, "stripe.", resolver, tx).router("/webhooks/stripe");
//! tokio::spawn(async move {
//!     while let Some(delivery) = rx.recv().await {
//!         println!("{} for {}", delivery.event.event_type, delivery.connection);
//!     }
//! });
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! spec_runtime::ingest::serve(listener, app, spec_runtime::ingest::ServeOptions::default()).await;
//! # Ok(()) }
//! ```

mod dedupe;
mod endpoint;
mod outcome;
mod resolver;
mod serve;
mod sink;

pub use dedupe::{DedupeStore, Mark, MemoryDedupe};
pub use endpoint::WebhookIngest;
pub use outcome::{Outcome, Rejection};
pub use resolver::{ConnectionId, ConnectionResolver, InMemoryResolver, ResolveError};
pub use serve::{ServeOptions, serve};
pub use sink::{CallbackSink, Delivery, EventSink, SinkError};
