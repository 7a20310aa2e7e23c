//! Webhook ingestion: verify → canonical event → rate limit → commit → acknowledge.
//!
//! Nothing is acknowledged before it is durable: the 2xx is sent after the event's row is committed. A copy of
//! an event the connection already has is acknowledged (`duplicate: true`) only once that row exists: the
//! `(connection, event id)` unique constraint makes a concurrent copy's insert wait for the first copy's
//! transaction, and if that one rolls back the copy's insert is the one that stores it.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use governor::clock::{Clock as _, DefaultClock};
use serde::Serialize;
use spec_core::IntegrationSpec;
use spec_runtime::event::{CanonicalEvent, EventReader};
use spec_runtime::webhook::Verifier;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::providers;
use crate::state::AppState;
use crate::store::{ConnectionRow, NewEvent, now};

/// The answer to an accepted delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct Received {
    /// Always `true`: the event is stored.
    pub received: bool,
    /// Whether the event was stored before (by an earlier delivery).
    pub duplicate: bool,
    /// The provider's event id.
    pub event_id: String,
}

/// The answer to a verified URL-verification handshake.
#[derive(Debug, Serialize, ToSchema)]
pub struct Challenge {
    /// The challenge, echoed.
    pub challenge: String,
}

/// Either answer of a webhook endpoint.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum WebhookAnswer {
    /// The event is stored.
    Received(Received),
    /// A handshake was answered.
    Challenge(Challenge),
}

fn verify(verifier: &Verifier, headers: &HeaderMap, body: &[u8]) -> Result<(), ApiError> {
    let limit = verifier.options().limits.max_body_bytes;
    if body.len() > limit {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body is over {limit} bytes"),
        ));
    }
    verifier.verify(headers, body).map(|_| ()).map_err(|e| {
        tracing::warn!(kind = e.kind(), "webhook signature rejected");
        ApiError::bad_request(e.kind(), e.to_string())
    })
}

fn read(reader: &EventReader, headers: &HeaderMap, body: &[u8]) -> Result<CanonicalEvent, ApiError> {
    reader
        .canonical(body, headers)
        .map_err(|e| ApiError::bad_request("invalid_event", e.to_string()))
}

fn limit(state: &AppState, connection: &str) -> Result<(), ApiError> {
    state.limiter.check_key(&connection.to_string()).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        let secs = wait.as_secs().saturating_add(u64::from(wait.subsec_nanos() > 0)).max(1);
        tracing::warn!(connection = %connection, retry_after = secs, "ingest rate limited");
        ApiError::rate_limited(secs)
    })
}

fn row(event: &CanonicalEvent, connection: &ConnectionRow, at: i64) -> NewEvent {
    NewEvent {
        project_id: connection.project_id.clone(),
        connection_id: connection.id.clone(),
        provider: connection.provider.clone(),
        event_id: event.id.clone(),
        event_type: event.event_type.clone(),
        account_id: event.account_id.clone(),
        created: event.created,
        livemode: event.livemode,
        object_id: event.object_id.clone(),
        object_type: event.object_type.clone(),
        data: event.data_json().to_string(),
        previous_attributes: event.previous_attributes_json().map(str::to_string),
        raw: event.raw_json().to_string(),
        received_at: at,
    }
}

/// Commits `event` for each of `connections`, then answers.
async fn commit(
    state: &AppState,
    event: &CanonicalEvent,
    connections: &[ConnectionRow],
) -> Result<Json<WebhookAnswer>, ApiError> {
    for c in connections {
        limit(state, &c.id)?;
    }
    let at = now();
    let rows: Vec<NewEvent> = connections.iter().map(|c| row(event, c, at)).collect();
    let inserted = state.store.insert_events(&rows).await?;
    let new = inserted.iter().any(|n| *n);
    if new {
        // Nobody listening is fine.
        let _ = state.committed.send(());
    }
    for (c, n) in connections.iter().zip(&inserted) {
        tracing::info!(event_id = %event.id, event_type = %event.event_type, connection = %c.id, duplicate = !n, "webhook event stored");
    }
    Ok(Json(WebhookAnswer::Received(Received {
        received: true,
        duplicate: !new,
        event_id: event.id.clone(),
    })))
}

fn provider<'a>(state: &'a AppState, id: &str) -> Result<&'a providers::Provider, ApiError> {
    state.providers.get(id).ok_or_else(|| ApiError::not_found("provider"))
}

/// The platform endpoint of a provider: deliveries signed with the deployment's webhook secret, routed by the
/// event's account to the connections of that account.
#[utoipa::path(post, path = "/v1/provider/{provider}/webhook/events", operation_id = "receive_platform_webhook", tag = "webhooks",
    security(()),
    params(("provider" = String, Path, description = "Provider id (`stripe`)")),
    request_body(content = String, description = "The provider's delivery, as sent", content_type = "application/json"),
    responses(
        (status = 200, description = "Stored (or stored before), or a handshake answered", body = WebhookAnswer),
        (status = 400, description = "Signature or event not valid", body = ErrorBody),
        (status = 404, description = "Unknown provider, or no connection for the event's account", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 429, description = "Too many deliveries for the connection (see Retry-After)", body = ErrorBody),
        (status = 503, description = "Not configured, or storage unavailable: retry", body = ErrorBody),
    ))]
pub async fn platform(
    State(state): State<Arc<AppState>>,
    Path(provider_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<WebhookAnswer>, ApiError> {
    let provider = provider(&state, &provider_id)?;
    let verifier = provider.platform_verifier.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "webhook_not_configured",
            format!(
                "set {} to the provider's webhook signing secret to receive events here",
                provider.deploy.var_name("WEBHOOK_SECRET")
            ),
        )
    })?;
    verify(verifier, &headers, &body)?;
    let reader = reader(provider)?;
    if let Some(challenge) = reader.handshake(&body, &headers) {
        return Ok(Json(WebhookAnswer::Challenge(Challenge { challenge })));
    }
    let event = read(reader, &headers, &body)?;
    let account = event
        .account_id
        .as_deref()
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_account", "the event names no account"))?;
    let connections = state.store.connections_for_account(&provider_id, account).await?;
    if connections.is_empty() {
        tracing::warn!(provider = %provider_id, "webhook for an account without connection");
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_account",
            "no connection for the event's account",
        ));
    }
    let answer = commit(&state, &event, &connections).await?;
    if let Some(Ok(oauth)) = state.oauth.get(&provider_id) {
        match oauth.connector.handle_event(&event.upstream_type, account).await {
            Ok(gone) if !gone.is_empty() => {
                tracing::info!(provider = %provider_id, disconnected = gone.len(), "account deauthorized the application");
            }
            Ok(_) => {}
            // The event is stored; the disconnect is retried with the provider's redelivery.
            Err(e) => return Err(ApiError::unavailable(&e)),
        }
    }
    Ok(answer)
}

fn connection_verifier(state: &AppState, spec: &IntegrationSpec, c: &ConnectionRow) -> Result<Verifier, ApiError> {
    let no_secret = || ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such webhook endpoint");
    let sealed = c.sealed.as_ref().ok_or_else(no_secret)?;
    let plaintext = state
        .sealer
        .open(&c.id, sealed)
        .map_err(|e| ApiError::unavailable(&e))?;
    let secrets: serde_json::Value = serde_json::from_slice(&plaintext).map_err(|e| ApiError::unavailable(&e))?;
    let secret = providers::webhook_secret(spec, &secrets).ok_or_else(no_secret)?;
    Verifier::from_spec(spec, &[secret]).map_err(|e| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("this connection cannot verify webhooks: {e}"),
        )
    })
}

/// A connection's own endpoint: deliveries signed with the connection's webhook secret (copy the endpoint's
/// URL into the provider, paste its signing secret into the connection). Declared handshakes are answered.
#[utoipa::path(post, path = "/v1/hooks/{endpoint_id}", operation_id = "receive_connection_webhook", tag = "webhooks",
    security(()),
    params(("endpoint_id" = String, Path, description = "The connection's id")),
    request_body(content = String, description = "The provider's delivery, as sent", content_type = "application/json"),
    responses(
        (status = 200, description = "Stored (or stored before), or a handshake answered", body = WebhookAnswer),
        (status = 400, description = "Signature or event not valid", body = ErrorBody),
        (status = 404, description = "No such endpoint", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 429, description = "Too many deliveries for the connection (see Retry-After)", body = ErrorBody),
        (status = 503, description = "Storage unavailable: retry", body = ErrorBody),
    ))]
pub async fn connection(
    State(state): State<Arc<AppState>>,
    Path(endpoint_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<WebhookAnswer>, ApiError> {
    let c = state
        .store
        .connection_by_id(&endpoint_id)
        .await?
        .ok_or_else(|| ApiError::not_found("webhook endpoint"))?;
    let provider = provider(&state, &c.provider)?;
    let verifier = connection_verifier(&state, provider.spec, &c)?;
    verify(&verifier, &headers, &body)?;
    let reader = reader(provider)?;
    if let Some(challenge) = reader.handshake(&body, &headers) {
        return Ok(Json(WebhookAnswer::Challenge(Challenge { challenge })));
    }
    let event = read(reader, &headers, &body)?;
    commit(&state, &event, std::slice::from_ref(&c)).await
}

/// The provider's event reader, or the error saying its spec declares no event envelope.
fn reader(provider: &providers::Provider) -> Result<&EventReader, ApiError> {
    provider.reader.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "webhook_not_configured",
            format!(
                "the {} spec declares no event envelope and no webhook signature scheme",
                provider.spec.meta.key
            ),
        )
    })
}
