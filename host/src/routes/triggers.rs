//! Triggers and their deliveries: create, list, read, enable/disable, delete; a trigger's deliveries, a manual
//! retry, a replay of the log.
//!
//! A trigger matches events by type patterns (`stripe.customer.*`, the event log's `*` semantics), optionally one
//! connection, and optionally a condition over the canonical event in minijinja's expression language
//! (`event.type == "stripe.invoice.paid" and event.data.amount_paid > 1000`), checked at creation (422 naming the
//! line, column and text of the error) and evaluated when an event fans out: a false condition writes no delivery.
//! Each match is one delivery row written in the event's own transaction; workers deliver it to the target.
//!
//! An `http` target receives the canonical event (the event log's JSON) as a POST signed with Standard Webhooks
//! under the trigger's `whsec_…` secret, shown once in the create response: `webhook-id` is stable per
//! (event, trigger), so a receiver deduplicates on it; `webhook-timestamp` is the time of the attempt. A 2xx
//! answer delivers it; anything else is retried on the host's schedule (by default after 5 s, 5 min, 30 min, 2 h,
//! 5 h, 10 h and 10 h, ±10 % jitter, never sooner than a 429/503 `Retry-After`), then the delivery is dead.
//! Order is not kept: deliveries carry the event's `cursor` and `received_at` to sort by.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthedProject;
use crate::error::{ApiError, ErrorBody, from_rejection};
use crate::keys;
use crate::state::AppState;
use crate::store::{DeliveryRow, EventFilter, NewTrigger, TriggerRow, now};
use crate::triggers::{DeliveryStatus, Target, TriggerStatus, condition, patterns, secret};

/// Most type patterns one trigger has.
pub const MAX_PATTERNS: usize = 50;
/// Most deliveries one page holds.
pub const MAX_LIMIT: i64 = 500;

/// A trigger to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTrigger {
    /// Event type patterns; `*` matches any run of characters (`["stripe.invoice.paid", "stripe.customer.*"]`).
    #[schema(min_items = 1, max_items = 50)]
    pub event_types: Vec<String>,
    /// Only events of this connection of the project.
    #[serde(default)]
    pub connection: Option<String>,
    /// A minijinja expression over `event`, the canonical event; the event is delivered when it is true.
    #[serde(default)]
    #[schema(max_length = 4096)]
    pub condition: Option<String>,
    /// Where matching events go.
    pub target: Target,
}

/// A change of a trigger.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTrigger {
    /// `true` re-enables a disabled trigger (and forgets its failures); `false` disables it.
    pub enabled: bool,
}

/// A trigger (its secret is shown only when it is created).
#[derive(Debug, Serialize, ToSchema)]
pub struct TriggerOut {
    /// Trigger id (`trg_…`).
    pub id: String,
    /// Event type patterns.
    pub event_types: Vec<String>,
    /// Only events of this connection.
    pub connection: Option<String>,
    /// The condition.
    pub condition: Option<String>,
    /// Where matching events go.
    pub target: Target,
    /// Whether new events fan out to it.
    pub status: TriggerStatus,
    /// Why it is disabled.
    pub disabled_reason: Option<String>,
    /// Since when its endpoint has failed without a success (Unix seconds).
    pub failing_since: Option<i64>,
    /// Creation time (Unix seconds).
    pub created_at: i64,
}

/// A created trigger, with its signing secret (shown once).
#[derive(Debug, Serialize, ToSchema)]
pub struct TriggerCreated {
    /// The trigger.
    #[serde(flatten)]
    pub trigger: TriggerOut,
    /// The Standard Webhooks secret (`whsec_…`) deliveries are signed with; only shown here.
    pub secret: Option<String>,
}

/// The project's triggers.
#[derive(Debug, Serialize, ToSchema)]
pub struct TriggerList {
    /// Oldest first.
    pub data: Vec<TriggerOut>,
}

/// A delivery of an event to a trigger's target.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    /// Delivery id (`dlv_…`).
    pub id: String,
    /// The trigger.
    pub trigger: String,
    /// The event's position in the log (the `seq` behind its cursor).
    pub event_seq: i64,
    /// The `webhook-id` of every attempt.
    pub webhook_id: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due (Unix milliseconds), for pending and failed deliveries.
    pub next_attempt_at_ms: Option<i64>,
    /// When the last attempt was made (Unix milliseconds).
    pub last_attempt_at_ms: Option<i64>,
    /// The HTTP status of the last answer.
    pub last_response_status: Option<i64>,
    /// The first 4 KiB of the last answer's body.
    pub last_response_excerpt: Option<String>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Creation time (Unix seconds).
    pub created_at: i64,
    /// When it was delivered (Unix seconds).
    pub delivered_at: Option<i64>,
}

/// A page of deliveries.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryPage {
    /// In event order.
    pub data: Vec<DeliveryOut>,
    /// Pass as `after` for the next page.
    pub next_after: i64,
    /// Whether more follow.
    pub has_more: bool,
}

/// Filters of the deliveries.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Only deliveries in this status.
    pub status: Option<DeliveryStatus>,
    /// Only deliveries of events after this `event_seq` (from `next_after`).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// A replay of the log's past events to a trigger.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplayRequest {
    /// Events received at or after this time (Unix seconds).
    pub since: i64,
    /// Events received before this time (Unix seconds); now when not given.
    #[serde(default)]
    pub until: Option<i64>,
}

/// What a replay queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplayOut {
    /// Deliveries queued (new, or re-queued with their `webhook-id`).
    pub enqueued: u64,
}

/// Checks an action target against the project: its connection, the action of the connection's integration,
/// and the params' untemplated members against the action's input schema (a templated member is checked when
/// an event renders it).
async fn check_action_target(
    state: &AppState,
    project: &str,
    connection: &str,
    action: &str,
    params: &serde_json::Value,
) -> Result<(), ApiError> {
    let Some(row) = state.store.connection(project, connection).await? else {
        return Err(unprocessable(
            "invalid_target",
            format!("target.connection: `{connection}` is not a live connection of this project"),
        ));
    };
    let Some(spec) = state.providers.get(&row.provider).map(|p| p.spec) else {
        return Err(unprocessable(
            "invalid_target",
            format!("target.connection: its integration `{}` is not served", row.provider),
        ));
    };
    let Some(a) = spec.actions.iter().find(|a| a.id == action) else {
        return Err(unprocessable(
            "invalid_target",
            format!("target.action: `{}` has no action `{action}`", spec.meta.key),
        ));
    };
    if a.input.schema.is_null() {
        return Ok(());
    }
    let (fixed, templated) = crate::triggers::params::untemplated(params);
    if let Err(violations) = spec_core::check_against_schema(&a.input.schema, &fixed) {
        let real: Vec<String> = violations
            .iter()
            .filter(|v| !templated.iter().any(|k| v.message.contains(&format!("'{k}'"))))
            .map(|v| format!("target.params{}: {}", v.instance_path, v.message))
            .collect();
        if !real.is_empty() {
            return Err(unprocessable("invalid_target", real.join("; ")));
        }
    }
    Ok(())
}

fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

fn out(row: TriggerRow) -> TriggerOut {
    let target = serde_json::from_str(&row.target).unwrap_or(Target::Http { url: String::new() });
    TriggerOut {
        status: TriggerStatus::parse(&row.status),
        id: row.id,
        event_types: row.event_types,
        connection: row.connection_id,
        condition: row.condition,
        target,
        disabled_reason: row.disabled_reason,
        failing_since: row.failing_since,
        created_at: row.created_at,
    }
}

impl From<DeliveryRow> for DeliveryOut {
    fn from(r: DeliveryRow) -> Self {
        Self {
            status: DeliveryStatus::parse(&r.status),
            id: r.id,
            trigger: r.trigger_id,
            event_seq: r.event_seq,
            webhook_id: r.webhook_id,
            attempts: r.attempts,
            next_attempt_at_ms: r.next_attempt_ms,
            last_attempt_at_ms: r.last_attempt_ms,
            last_response_status: r.last_status,
            last_response_excerpt: r.last_response,
            last_error: r.last_error,
            created_at: r.created_at,
            delivered_at: r.delivered_at,
        }
    }
}

async fn live_trigger(state: &AppState, project: &str, id: &str) -> Result<TriggerRow, ApiError> {
    state
        .store
        .trigger(project, id)
        .await?
        .ok_or_else(|| ApiError::not_found("trigger"))
}

/// Creates a trigger; the response shows its signing secret once.
#[utoipa::path(post, path = "/v1/projects/{project}/triggers", operation_id = "create_trigger", tag = "triggers",
    params(("project" = String, Path, description = "Project id")),
    security(("project_key" = [])),
    request_body = CreateTrigger,
    responses(
        (status = 201, description = "Created; `secret` is shown only now", body = TriggerCreated),
        (status = 400, description = "The body is not valid", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = ErrorBody),
        (status = 422, description = "The condition does not compile (`details.position`: line, column, token), or a pattern, the connection or the target is not usable", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    body: Result<Json<CreateTrigger>, JsonRejection>,
) -> Result<(StatusCode, Json<TriggerCreated>), Response> {
    let Json(req) = body.map_err(|e| from_rejection(e.status(), e.body_text()).into_response())?;
    if req.event_types.is_empty() || req.event_types.len() > MAX_PATTERNS {
        return Err(unprocessable(
            "invalid_event_types",
            format!("event_types: give 1 to {MAX_PATTERNS} type patterns, e.g. [\"stripe.invoice.paid\"]"),
        )
        .into_response());
    }
    for p in &req.event_types {
        patterns::check(p).map_err(|why| {
            unprocessable("invalid_event_types", format!("event_types: `{p}`: {why}")).into_response()
        })?;
    }
    if let Some(c) = &req.condition
        && let Err(e) = condition::check(c)
    {
        let position = serde_json::json!({"line": e.line, "column": e.column, "token": e.token});
        return Err(unprocessable(
            "invalid_condition",
            format!("condition: {e}; write a minijinja expression over `event`"),
        )
        .with_details(serde_json::json!({ "position": position }))
        .into_response());
    }
    req.target
        .check()
        .map_err(|(_, msg)| unprocessable("invalid_target", msg).into_response())?;
    if let Target::Action {
        connection,
        action,
        params,
    } = &req.target
    {
        check_action_target(&state, &project.id, connection, action, params)
            .await
            .map_err(IntoResponse::into_response)?;
    }
    if let Some(c) = &req.connection
        && state
            .store
            .connection(&project.id, c)
            .await
            .map_err(|e| ApiError::from(e).into_response())?
            .is_none()
    {
        return Err(unprocessable(
            "invalid_connection",
            format!("connection: `{c}` is not a live connection of this project; list them with GET …/connections"),
        )
        .into_response());
    }
    let id = keys::new_id("trg_");
    let (sealed, shown) = if req.target.signed() {
        let s = secret::generate().map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "no_randomness",
                "no randomness for a secret",
            )
            .into_response()
        })?;
        let sealed = state
            .sealer
            .seal(&id, s.as_bytes())
            .map_err(|e| ApiError::unavailable(&e).into_response())?;
        (Some(sealed), Some(s))
    } else {
        (None, None)
    };
    let target = serde_json::to_string(&req.target).map_err(|e| ApiError::unavailable(&e).into_response())?;
    let row = NewTrigger {
        id: id.clone(),
        project_id: project.id.clone(),
        event_types: req.event_types,
        connection_id: req.connection,
        condition: req.condition.filter(|c| !c.trim().is_empty()),
        target,
        sealed,
        created_at: now(),
    };
    state
        .store
        .insert_trigger(&row)
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    let stored = live_trigger(&state, &project.id, &id)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok((
        StatusCode::CREATED,
        Json(TriggerCreated {
            trigger: out(stored),
            secret: shown,
        }),
    ))
}

/// The project's triggers.
#[utoipa::path(get, path = "/v1/projects/{project}/triggers", operation_id = "list_triggers", tag = "triggers",
    params(("project" = String, Path, description = "Project id")),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "The triggers", body = TriggerList),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
) -> Result<Json<TriggerList>, ApiError> {
    let rows = state.store.triggers(&project.id).await?;
    Ok(Json(TriggerList {
        data: rows.into_iter().map(out).collect(),
    }))
}

/// One trigger.
#[utoipa::path(get, path = "/v1/projects/{project}/triggers/{trigger}", operation_id = "get_trigger", tag = "triggers",
    params(("project" = String, Path, description = "Project id"), ("trigger" = String, Path, description = "Trigger id")),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "The trigger", body = TriggerOut),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such trigger in this key's project", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    Path(path): Path<(String, String)>,
) -> Result<Json<TriggerOut>, ApiError> {
    Ok(Json(out(live_trigger(&state, &project.id, &path.1).await?)))
}

/// Enables (re-enables after its endpoint failed for too long) or disables a trigger.
#[utoipa::path(patch, path = "/v1/projects/{project}/triggers/{trigger}", operation_id = "update_trigger", tag = "triggers",
    params(("project" = String, Path, description = "Project id"), ("trigger" = String, Path, description = "Trigger id")),
    security(("project_key" = [])),
    request_body = UpdateTrigger,
    responses(
        (status = 200, description = "The trigger", body = TriggerOut),
        (status = 400, description = "The body is not valid", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such trigger in this key's project", body = ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    Path(path): Path<(String, String)>,
    body: Result<Json<UpdateTrigger>, JsonRejection>,
) -> Result<Json<TriggerOut>, ApiError> {
    let Json(req) = body.map_err(|e| from_rejection(e.status(), e.body_text()))?;
    if !state
        .store
        .set_trigger_enabled(&project.id, &path.1, req.enabled)
        .await?
    {
        return Err(ApiError::not_found("trigger"));
    }
    Ok(Json(out(live_trigger(&state, &project.id, &path.1).await?)))
}

/// Deletes a trigger: its secret is erased, its pending deliveries become dead.
#[utoipa::path(delete, path = "/v1/projects/{project}/triggers/{trigger}", operation_id = "delete_trigger", tag = "triggers",
    params(("project" = String, Path, description = "Project id"), ("trigger" = String, Path, description = "Trigger id")),
    security(("project_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such trigger in this key's project", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    Path(path): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    if state.store.delete_trigger(&project.id, &path.1, now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("trigger"))
    }
}

/// A trigger's deliveries in event order (order of sending is not kept).
#[utoipa::path(get, path = "/v1/projects/{project}/triggers/{trigger}/deliveries", operation_id = "list_deliveries", tag = "triggers",
    params(("project" = String, Path, description = "Project id"), ("trigger" = String, Path, description = "Trigger id"), DeliveryQuery),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "A page of deliveries", body = DeliveryPage),
        (status = 400, description = "A filter is not valid", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such trigger in this key's project", body = ErrorBody),
    ))]
pub async fn deliveries(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    Path(path): Path<(String, String)>,
    query: Result<Query<DeliveryQuery>, QueryRejection>,
) -> Result<Json<DeliveryPage>, ApiError> {
    let Query(q) = query.map_err(|e| from_rejection(e.status(), e.body_text()))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            format!("limit must be 1 to {MAX_LIMIT}"),
        ));
    }
    let trigger = state
        .store
        .trigger_by_id(&path.1)
        .await?
        .filter(|t| t.project_id == project.id)
        .ok_or_else(|| ApiError::not_found("trigger"))?;
    let after = q.after.unwrap_or(0);
    let mut rows = state
        .store
        .deliveries(
            &project.id,
            &trigger.id,
            q.status.map(DeliveryStatus::as_str),
            after,
            limit.saturating_add(1),
        )
        .await?;
    let has_more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_after = rows.last().map_or(after, |r| r.event_seq);
    Ok(Json(DeliveryPage {
        data: rows.into_iter().map(Into::into).collect(),
        next_after,
        has_more,
    }))
}

/// Queues a delivery again now, whatever its status (a delivered one is sent again with the same
/// `webhook-id`). A dead delivery gets one more attempt; if it fails it is dead again.
#[utoipa::path(post, path = "/v1/projects/{project}/deliveries/{delivery}/retry", operation_id = "retry_delivery", tag = "triggers",
    params(("project" = String, Path, description = "Project id"), ("delivery" = String, Path, description = "Delivery id")),
    security(("project_key" = [])),
    responses(
        (status = 202, description = "Queued", body = DeliveryOut),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such delivery in this key's project", body = ErrorBody),
    ))]
pub async fn retry(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    Path(path): Path<(String, String)>,
) -> Result<(StatusCode, Json<DeliveryOut>), ApiError> {
    let now_ms = crate::outbox::now_ms();
    if !state.store.requeue_delivery(&project.id, &path.1, now_ms).await? {
        return Err(ApiError::not_found("delivery"));
    }
    let _ = state.committed.send(());
    let row = state
        .store
        .delivery(&project.id, &path.1)
        .await?
        .ok_or_else(|| ApiError::not_found("delivery"))?;
    Ok((StatusCode::ACCEPTED, Json(row.into())))
}

/// Queues deliveries of the log's events received in `[since, until)` that match the trigger (patterns,
/// connection, condition). A pair already delivered is sent again with its `webhook-id`; no pair gets two rows.
#[utoipa::path(post, path = "/v1/projects/{project}/triggers/{trigger}/replay", operation_id = "replay_trigger", tag = "triggers",
    params(("project" = String, Path, description = "Project id"), ("trigger" = String, Path, description = "Trigger id")),
    security(("project_key" = [])),
    request_body = ReplayRequest,
    responses(
        (status = 202, description = "Queued", body = ReplayOut),
        (status = 400, description = "The body is not valid", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such trigger in this key's project", body = ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = ErrorBody),
    ))]
pub async fn replay(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    Path(path): Path<(String, String)>,
    body: Result<Json<ReplayRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<ReplayOut>), ApiError> {
    let Json(req) = body.map_err(|e| from_rejection(e.status(), e.body_text()))?;
    let trigger = live_trigger(&state, &project.id, &path.1).await?;
    let matcher = trigger.matcher();
    let mut filter = EventFilter {
        project_id: project.id.clone(),
        type_pattern: None,
        connection_id: trigger.connection_id.clone(),
        since: Some(req.since),
        until: req.until,
        after_seq: 0,
        limit: 500,
    };
    let mut enqueued = 0u64;
    loop {
        let rows = state.store.events(&filter).await?;
        let Some(last) = rows.last().map(|r| r.seq) else { break };
        let matching: Vec<(i64, i64)> = rows
            .iter()
            .filter(|r| {
                let ev = if matcher.condition.is_some() {
                    crate::outbox::canonical(r.seq, &r.event)
                } else {
                    serde_json::Value::Null
                };
                matcher.matches(&r.event.event_type, &r.event.connection_id, &ev)
            })
            .map(|r| (r.seq, r.event.received_at))
            .collect();
        enqueued = enqueued.saturating_add(
            state
                .store
                .enqueue_replay(&project.id, &trigger.id, &matching, crate::outbox::now_ms())
                .await?,
        );
        filter.after_seq = last;
    }
    let _ = state.committed.send(());
    Ok((StatusCode::ACCEPTED, Json(ReplayOut { enqueued })))
}
