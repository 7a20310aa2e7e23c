//! The actions API: calling a connection's actions, the interactions awaiting approval, the approval policy
//! and the audit log.
//!
//! The call route, `POST /v1/projects/{project}/connections/{connection}/actions/{action_id}`, is one handler
//! for every action; the OpenAPI document lists one operation per action with its own schemas
//! ([`crate::openapi`]).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::actions::answer::Answer;
use crate::actions::call::{self, Interaction};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody, from_rejection};
use crate::state::AppState;
use crate::store::{AuditEntry, now};

/// Calls an action of a connection with JSON params (an empty body is `{}`).
pub async fn invoke(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((_project, connection, action)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return ApiError::bad_request("invalid_json", format!("the body is not JSON: {e}")).into_response();
            }
        }
    };
    let key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        Some(Ok(k)) => Some(k),
        Some(Err(_)) => {
            return ApiError::bad_request(
                "invalid_idempotency_key",
                "an idempotency key is 1 to 255 visible ASCII characters",
            )
            .into_response();
        }
        None => None,
    };
    let answer: Answer = call::call(&state, &caller, &connection, &action, key, params).await;
    answer.into_response()
}

/// Filter of the interaction list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InteractionQuery {
    /// Only interactions in this status (`pending`, `succeeded` …).
    pub status: Option<String>,
    /// At most this many, newest first (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// Lists the project's interactions, newest first.
#[utoipa::path(get, path = "/v1/projects/{project}/interactions", operation_id = "list_interactions", tag = "interactions",
    params(("project" = String, Path, description = "Project id"), InteractionQuery),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "The interactions", body = [Interaction]),
        (status = 400, description = "Bad query", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project", body = ErrorBody),
    ))]
pub async fn list_interactions(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    query: Result<Query<InteractionQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Interaction>>, ApiError> {
    let Query(q) = query.map_err(|e| from_rejection(e.status(), e.body_text()))?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    Ok(Json(call::list(&state, &caller, q.status.as_deref(), limit).await?))
}

/// Reads one interaction.
#[utoipa::path(get, path = "/v1/projects/{project}/interactions/{interaction}", operation_id = "get_interaction", tag = "interactions",
    params(("project" = String, Path, description = "Project id"), ("interaction" = String, Path, description = "Interaction id")),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "The interaction", body = Interaction),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such interaction in this key's project", body = ErrorBody),
    ))]
pub async fn get_interaction(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((_project, id)): Path<(String, String)>,
) -> Result<Json<Interaction>, ApiError> {
    Ok(Json(call::get(&state, &caller, &id).await?))
}

/// Approves a pending interaction and runs its call (once, whatever the number of approvals); answers the
/// interaction with the call's result.
#[utoipa::path(post, path = "/v1/projects/{project}/interactions/{interaction}/approve", operation_id = "approve_interaction", tag = "interactions",
    params(("project" = String, Path, description = "Project id"), ("interaction" = String, Path, description = "Interaction id")),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "Approved; `status` and `result` tell how the call went", body = Interaction),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such interaction in this key's project", body = ErrorBody),
        (status = 409, description = "Already decided or expired; `details` is the interaction", body = ErrorBody),
    ))]
pub async fn approve(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((_project, id)): Path<(String, String)>,
) -> Result<Json<Interaction>, ApiError> {
    Ok(Json(call::approve(&state, &caller, &id).await?))
}

/// Rejects a pending interaction: its call is never sent.
#[utoipa::path(post, path = "/v1/projects/{project}/interactions/{interaction}/reject", operation_id = "reject_interaction", tag = "interactions",
    params(("project" = String, Path, description = "Project id"), ("interaction" = String, Path, description = "Interaction id")),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "Rejected", body = Interaction),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such interaction in this key's project", body = ErrorBody),
        (status = 409, description = "Already decided or expired; `details` is the interaction", body = ErrorBody),
    ))]
pub async fn reject(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((_project, id)): Path<(String, String)>,
) -> Result<Json<Interaction>, ApiError> {
    Ok(Json(call::reject(&state, &caller, &id).await?))
}

/// Which high-impact actions run without asking.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalPolicy {
    /// Action id patterns approved without an interaction (`stripe.refund.create`, `stripe.*`; `*` matches any
    /// run of characters). Empty: every high-impact call asks.
    #[schema(max_items = 200)]
    pub auto_approve: Vec<String>,
}

/// The project's approval policy.
#[utoipa::path(get, path = "/v1/projects/{project}/approval-policy", operation_id = "get_approval_policy", tag = "interactions",
    params(("project" = String, Path, description = "Project id")),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "The policy", body = ApprovalPolicy),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project", body = ErrorBody),
    ))]
pub async fn get_policy(State(state): State<Arc<AppState>>, caller: Caller) -> Result<Json<ApprovalPolicy>, ApiError> {
    Ok(Json(ApprovalPolicy {
        auto_approve: state.store.auto_approve(&caller.project.id).await?,
    }))
}

/// Replaces the project's approval policy.
#[utoipa::path(put, path = "/v1/projects/{project}/approval-policy", operation_id = "set_approval_policy", tag = "interactions",
    params(("project" = String, Path, description = "Project id")),
    security(("project_key" = [])),
    request_body = ApprovalPolicy,
    responses(
        (status = 200, description = "The new policy", body = ApprovalPolicy),
        (status = 400, description = "Not a policy", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = ErrorBody),
    ))]
pub async fn set_policy(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    body: Result<Json<ApprovalPolicy>, JsonRejection>,
) -> Result<Json<ApprovalPolicy>, ApiError> {
    let Json(policy) = body.map_err(|e| from_rejection(e.status(), e.body_text()))?;
    if policy.auto_approve.len() > 200
        || policy
            .auto_approve
            .iter()
            .any(|p| p.is_empty() || p.len() > 200 || !p.bytes().all(|b| b.is_ascii_graphic()))
    {
        return Err(ApiError::bad_request(
            "invalid_policy",
            "auto_approve holds at most 200 patterns of 1 to 200 visible ASCII characters",
        ));
    }
    state
        .store
        .set_auto_approve(&caller.project.id, &policy.auto_approve, now())
        .await?;
    Ok(Json(policy))
}

/// One audit log entry: a mutating action call, or a decision on an interaction.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditOut {
    /// Position in the project's log; page with `after`.
    pub seq: i64,
    /// Id of the key that made the call (`key_…`).
    pub key_id: String,
    /// Connection.
    pub connection_id: String,
    /// Action.
    pub action: String,
    /// SHA-256 (hex) of the params, members sorted.
    pub params_digest: String,
    /// The idempotency key sent to the provider.
    pub idempotency_key: Option<String>,
    /// The interaction involved.
    pub interaction_id: Option<String>,
    /// `succeeded`, `failed`, `replayed`, `pending_approval` or `rejected`.
    pub outcome: String,
    /// HTTP status answered.
    pub http_status: Option<i64>,
    /// The provider's request id.
    pub provider_request_id: Option<String>,
    /// When (Unix seconds).
    pub at: i64,
}

impl From<AuditEntry> for AuditOut {
    fn from(e: AuditEntry) -> Self {
        Self {
            seq: e.seq,
            key_id: e.key_id,
            connection_id: e.connection_id,
            action: e.action_id,
            params_digest: e.params_digest,
            idempotency_key: e.idempotency_key,
            interaction_id: e.interaction_id,
            outcome: e.outcome,
            http_status: e.http_status,
            provider_request_id: e.provider_request_id,
            at: e.at,
        }
    }
}

/// Paging of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries after this `seq`.
    pub after: Option<i64>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// The project's audit log, oldest first.
#[utoipa::path(get, path = "/v1/projects/{project}/audit", operation_id = "list_audit", tag = "interactions",
    params(("project" = String, Path, description = "Project id"), AuditQuery),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "Entries", body = [AuditOut]),
        (status = 400, description = "Bad query", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project", body = ErrorBody),
    ))]
pub async fn audit(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<AuditOut>>, ApiError> {
    let Query(q) = query.map_err(|e| from_rejection(e.status(), e.body_text()))?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let rows = state
        .store
        .audit(&caller.project.id, q.after.unwrap_or(0), limit)
        .await?;
    Ok(Json(rows.into_iter().map(AuditOut::from).collect()))
}
