//! The event log: a cursor-paged list and a stream (server-sent events) that replays from a cursor, then pushes
//! each new event as it is committed, by this host process or another one on the same database.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthedProject;
use crate::error::{ApiError, ErrorBody, from_rejection};
use crate::state::AppState;
use crate::store::{EventFilter, EventRow};

/// Most events one page holds.
pub const MAX_LIMIT: i64 = 500;
/// Events one page holds when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 100;

/// Filters of the event log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Type, or a pattern where `*` matches any run of characters (`stripe.customer.*`).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub event_type: Option<String>,
    /// Only this connection's events.
    pub connection: Option<String>,
    /// Received at or after this time (Unix seconds).
    pub since: Option<i64>,
    /// Received before this time (Unix seconds).
    pub until: Option<i64>,
    /// Resume after this cursor (from `next_cursor` or an event's `cursor`).
    #[param(pattern = "^ev_[0-7][0-9a-f]{15}$")]
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// A stored canonical event.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    /// Position in the log: pass it as `cursor` to read what follows.
    pub cursor: String,
    /// The provider's event id.
    pub id: String,
    /// Prefixed type (`stripe.invoice.paid`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// Connection it arrived for.
    pub connection: String,
    /// Provider id.
    pub provider: String,
    /// Provider account.
    pub account: Option<String>,
    /// When it happened (Unix seconds).
    pub created: Option<i64>,
    /// Live mode.
    pub livemode: Option<bool>,
    /// Changed object's id.
    pub object_id: Option<String>,
    /// Changed object's type.
    pub object_type: Option<String>,
    /// The changed object.
    #[schema(value_type = Object)]
    pub data: Value,
    /// Its previous attributes.
    #[schema(value_type = Option<Object>)]
    pub previous_attributes: Option<Value>,
    /// The delivery as received.
    #[schema(value_type = Object)]
    pub raw: Value,
    /// When the host stored it (Unix seconds).
    pub received_at: i64,
}

/// A page of the event log.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    /// Events in commit order.
    pub data: Vec<EventOut>,
    /// Pass as `cursor` for the next page (also when this one is empty: events committed later follow it).
    pub next_cursor: String,
    /// Whether more events follow right now.
    pub has_more: bool,
}

/// The shape of every cursor (`ev_` and 16 hex digits); every string of that shape is a valid cursor.
pub const CURSOR_PATTERN: &str = "^ev_[0-7][0-9a-f]{15}$";

fn encode_cursor(seq: i64) -> String {
    format!("ev_{:016x}", seq.max(0))
}

fn decode_cursor(cursor: &str) -> Result<i64, ApiError> {
    let bad = || ApiError::bad_request("invalid_cursor", "the cursor is not one this API returned");
    let hex = cursor.strip_prefix("ev_").filter(|h| h.len() == 16).ok_or_else(bad)?;
    i64::from_str_radix(hex, 16).ok().filter(|n| *n >= 0).ok_or_else(bad)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

impl From<EventRow> for EventOut {
    fn from(r: EventRow) -> Self {
        let e = r.event;
        Self {
            cursor: encode_cursor(r.seq),
            id: e.event_id,
            event_type: e.event_type,
            connection: e.connection_id,
            provider: e.provider,
            account: e.account_id,
            created: e.created,
            livemode: e.livemode,
            object_id: e.object_id,
            object_type: e.object_type,
            data: json(&e.data),
            previous_attributes: e.previous_attributes.as_deref().map(json),
            raw: json(&e.raw),
            received_at: e.received_at,
        }
    }
}

fn filter(project: &str, q: &EventQuery, cursor: Option<&str>) -> Result<EventFilter, ApiError> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            format!("limit must be 1 to {MAX_LIMIT}"),
        ));
    }
    Ok(EventFilter {
        project_id: project.to_string(),
        type_pattern: q.event_type.clone().filter(|t| !t.is_empty()),
        connection_id: q.connection.clone().filter(|c| !c.is_empty()),
        since: q.since,
        until: q.until,
        after_seq: cursor.map(decode_cursor).transpose()?.unwrap_or(0),
        limit,
    })
}

/// Reads the project's event log.
#[utoipa::path(get, path = "/v1/projects/{project}/events", operation_id = "list_events", tag = "events",
    params(("project" = String, Path, description = "Project id"), EventQuery),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "A page of events", body = EventPage),
        (status = 400, description = "A filter or the cursor is not valid", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    query: Result<Query<EventQuery>, QueryRejection>,
) -> Result<Json<EventPage>, ApiError> {
    let Query(q) = query.map_err(|e| from_rejection(e.status(), e.body_text()))?;
    let mut f = filter(&project.id, &q, q.cursor.as_deref())?;
    let wanted = f.limit;
    f.limit = wanted.saturating_add(1);
    let mut rows = state.store.events(&f).await?;
    let has_more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > wanted;
    rows.truncate(usize::try_from(wanted).unwrap_or(usize::MAX));
    let next = rows.last().map_or(f.after_seq, |r| r.seq);
    Ok(Json(EventPage {
        data: rows.into_iter().map(Into::into).collect(),
        next_cursor: encode_cursor(next),
        has_more,
    }))
}

struct StreamState {
    app: Arc<AppState>,
    filter: EventFilter,
    buffered: std::collections::VecDeque<EventRow>,
    committed: tokio::sync::broadcast::Receiver<()>,
    poll: Duration,
}

async fn next_event(mut s: StreamState) -> Option<(Result<SseEvent, Infallible>, StreamState)> {
    loop {
        if let Some(row) = s.buffered.pop_front() {
            s.filter.after_seq = row.seq;
            let cursor = encode_cursor(row.seq);
            let out = EventOut::from(row);
            let data = serde_json::to_string(&out).unwrap_or_else(|_| "{}".into());
            return Some((Ok(SseEvent::default().id(cursor).data(data)), s));
        }
        match s.app.store.events(&s.filter).await {
            Ok(rows) if !rows.is_empty() => s.buffered.extend(rows),
            Ok(_) => {
                // Woken by this process's commits, or after `poll` for other processes' ones.
                let _ = tokio::time::timeout(s.poll, s.committed.recv()).await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "event stream read failed; retrying");
                tokio::time::sleep(s.poll).await;
            }
        }
    }
}

/// Streams the project's events as server-sent events: those after the cursor (or `Last-Event-ID`), then each
/// new one as it is committed. Each message's `id` is the event's cursor, its `data` the event as JSON.
#[utoipa::path(get, path = "/v1/projects/{project}/events/stream", operation_id = "stream_events", tag = "events",
    params(("project" = String, Path, description = "Project id"), EventQuery),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "A stream of events", content_type = "text/event-stream", body = String),
        (status = 400, description = "A filter or the cursor is not valid", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project", body = ErrorBody),
    ))]
pub async fn stream(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    headers: HeaderMap,
    query: Result<Query<EventQuery>, QueryRejection>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let Query(q) = query.map_err(|e| from_rejection(e.status(), e.body_text()))?;
    let last_id = headers.get("last-event-id").and_then(|v| v.to_str().ok());
    let filter = filter(&project.id, &q, q.cursor.as_deref().or(last_id))?;
    let s = StreamState {
        committed: state.committed.subscribe(),
        poll: state.settings.stream_poll,
        app: state,
        filter,
        buffered: Default::default(),
    };
    Ok(Sse::new(stream::unfold(s, next_event)).keep_alive(KeepAlive::default()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(super::decode_cursor(&super::encode_cursor(42)).unwrap(), 42);
        assert!(super::decode_cursor("nope!").is_err());
        assert!(super::decode_cursor("").is_err());
        assert!(super::decode_cursor("ev_8000000000000000").is_err(), "over i64::MAX");
        let re_ok = |c: &str| c.len() == 19 && c.starts_with("ev_") && c.as_bytes()[3] <= b'7';
        assert!(re_ok(&super::encode_cursor(i64::MAX)) && re_ok(&super::encode_cursor(0)));
    }
}
