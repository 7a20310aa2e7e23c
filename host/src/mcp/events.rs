//! The project's events for agents: resources (`events://recent`, the last [`RECENT`] events, and
//! `events://event/{seq}`, one event) and the `wait_for_event` tool, answering the next matching event
//! committed after the call started.

use std::time::Duration;

use rmcp::model::{CallToolResult, ContentBlock, JsonObject};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::routes::events::EventOut;
use crate::state::AppState;
use crate::store::{EventFilter, EventRow};

/// Events `events://recent` lists.
pub const RECENT: i64 = 50;
/// The URI of the recent events.
pub const RECENT_URI: &str = "events://recent";
/// The prefix of one event's URI (`events://event/{seq}`).
pub const EVENT_URI_PREFIX: &str = "events://event/";
/// The name of the tool waiting for an event.
pub const WAIT_TOOL: &str = "wait_for_event";
/// Longest wait (seconds).
pub const MAX_WAIT_SECS: u64 = 60;
/// Wait when `timeout_seconds` is not given (seconds).
pub const DEFAULT_WAIT_SECS: u64 = 30;

/// The definition of [`WAIT_TOOL`].
pub fn wait_tool() -> Value {
    json!({
        "name": WAIT_TOOL,
        "title": "Wait for an event",
        "description": format!(
            "Waits for the next event of the project whose type matches `type` (`*` matches any run of \
             characters: `stripe.invoice.*`), committed after this call started, for at most `timeout_seconds` \
             (1 to {MAX_WAIT_SECS}, default {DEFAULT_WAIT_SECS}). Answers the event, or `event: null` when none \
             came in time. Recent events are the resource {RECENT_URI}."
        ),
        "inputSchema": {
            "type": "object",
            "properties": {
                "type": {"type": "string", "minLength": 1,
                         "description": "Event type or pattern (`stripe.invoice.paid`, `stripe.invoice.*`)."},
                "connection_id": {"type": "string", "description": "Only this connection's events."},
                "timeout_seconds": {"type": "integer", "minimum": 1, "maximum": MAX_WAIT_SECS}
            },
            "required": ["type"],
            "additionalProperties": false
        },
        "annotations": {"title": "Wait for an event", "readOnlyHint": true, "destructiveHint": false,
                        "idempotentHint": false, "openWorldHint": false}
    })
}

/// The URI of the event at `seq`.
pub fn event_uri(seq: i64) -> String {
    format!("{EVENT_URI_PREFIX}{seq}")
}

/// An event as an agent reads it: the event log's shape, plus its `seq` and `uri`.
fn event_json(row: EventRow) -> Value {
    let seq = row.seq;
    let mut v = serde_json::to_value(EventOut::from(row)).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("seq".into(), seq.into());
        o.insert("uri".into(), event_uri(seq).into());
    }
    v
}

fn filter(project_id: &str, after_seq: i64, limit: i64) -> EventFilter {
    EventFilter {
        project_id: project_id.to_string(),
        type_pattern: None,
        connection_id: None,
        since: None,
        until: None,
        after_seq,
        limit,
    }
}

/// The `seq` of the first event of the project after `after`.
async fn first_after(state: &AppState, project_id: &str, after: i64) -> Result<Option<i64>, ApiError> {
    Ok(state
        .store
        .events(&filter(project_id, after, 1))
        .await?
        .first()
        .map(|r| r.seq))
}

/// The project's highest `seq` (0 without events), found with a logarithmic number of indexed reads.
pub async fn head_seq(state: &AppState, project_id: &str) -> Result<i64, ApiError> {
    let Some(mut known) = first_after(state, project_id, 0).await? else {
        return Ok(0);
    };
    // Gallop: double the step while an event lies beyond it.
    let mut step: i64 = 1;
    while let Some(s) = first_after(state, project_id, known.saturating_add(step)).await? {
        known = s;
        step = step.saturating_mul(2);
    }
    // The head is in [known, known + step]: bisect.
    let (mut lo, mut hi) = (known, known.saturating_add(step));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match first_after(state, project_id, mid).await? {
            Some(s) => lo = s.max(mid.saturating_add(1)).min(hi),
            None => hi = mid,
        }
    }
    Ok(lo)
}

/// The last [`RECENT`] events, oldest first.
pub async fn recent(state: &AppState, project_id: &str) -> Result<Vec<Value>, ApiError> {
    let head = head_seq(state, project_id).await?;
    let mut back = RECENT;
    loop {
        let after = head.saturating_sub(back).max(0);
        let rows = state.store.events(&filter(project_id, after, i64::MAX)).await?;
        if i64::try_from(rows.len()).unwrap_or(i64::MAX) >= RECENT || after == 0 {
            let skip = rows.len().saturating_sub(usize::try_from(RECENT).unwrap_or(usize::MAX));
            return Ok(rows.into_iter().skip(skip).map(event_json).collect());
        }
        back = back.saturating_mul(4);
    }
}

/// The event at `seq`, if it is the project's.
pub async fn one(state: &AppState, project_id: &str, seq: i64) -> Result<Option<Value>, ApiError> {
    let rows = state
        .store
        .events(&filter(project_id, seq.saturating_sub(1), 1))
        .await?;
    Ok(rows.into_iter().find(|r| r.seq == seq).map(event_json))
}

/// `wait_for_event`: the next event matching the arguments committed after the call started.
pub async fn wait(state: &AppState, project_id: &str, args: &JsonObject) -> CallToolResult {
    let pattern = match args.get("type").and_then(Value::as_str).filter(|t| !t.is_empty()) {
        Some(p) => p.to_string(),
        None => return invalid("type: required, a non-empty event type or pattern"),
    };
    let secs = match args.get("timeout_seconds") {
        None | Some(Value::Null) => DEFAULT_WAIT_SECS,
        Some(v) => match v.as_u64().filter(|s| (1..=MAX_WAIT_SECS).contains(s)) {
            Some(s) => s,
            None => return invalid(&format!("timeout_seconds: an integer from 1 to {MAX_WAIT_SECS}")),
        },
    };
    let connection = args.get("connection_id").and_then(Value::as_str).map(str::to_string);
    // Subscribed before the head is read: a commit in between wakes the first wait.
    let mut committed = state.committed.subscribe();
    let head = match head_seq(state, project_id).await {
        Ok(h) => h,
        Err(e) => return error(&e),
    };
    let mut f = filter(project_id, head, 1);
    f.type_pattern = Some(pattern.clone());
    f.connection_id = connection;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    let poll = state.settings.stream_poll;
    loop {
        match state.store.events(&f).await {
            Ok(rows) => {
                if let Some(row) = rows.into_iter().next() {
                    return CallToolResult::structured(json!({ "event": event_json(row) }));
                }
            }
            Err(e) => return error(&ApiError::from(e)),
        }
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return CallToolResult::structured(json!({ "event": null, "timed_out": true, "type": pattern }));
        }
        // Woken by this process's commits, or after `poll` for other processes' ones.
        let _ = tokio::time::timeout(poll.min(deadline - now), committed.recv()).await;
    }
}

fn invalid(message: &str) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(format!("invalid arguments: {message}"))])
}

fn error(e: &ApiError) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(e.message().to_string())])
}
