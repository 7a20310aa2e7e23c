//! One call of an action: the params checked, the approval policy of high-impact actions, stored idempotency,
//! the provider call and the audit log entry.

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use spec_core::{Action, IntegrationSpec, check_against_schema};
use spec_runtime::client::ClientError;
use utoipa::ToSchema;

use super::answer::Answer;
use super::params;
use super::{IDEMPOTENCY_LEASE_SECS, IDEMPOTENCY_TTL_SECS, IDEMPOTENCY_WAIT, INTERACTION_TTL_SECS};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::keys;
use crate::state::AppState;
use crate::store::{AuditEntry, Claim, ConnectionRow, IdempotencyClaim, InteractionRow, now};

/// An interaction: a call of a high-impact action waiting for a person's decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Interaction {
    /// Id (`int_…`).
    pub id: String,
    /// The connection the call is for.
    pub connection_id: String,
    /// The action (`stripe.refund.create`).
    pub action: String,
    /// The params the call is sent with once approved.
    #[schema(value_type = Object)]
    pub params: Value,
    /// `pending`, `approved` (running), `succeeded`, `failed`, `rejected` or `expired`.
    pub status: String,
    /// The idempotency key the call is sent to the provider with: approving twice never calls twice.
    pub idempotency_key: String,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Until when it can be approved (Unix seconds).
    pub expires_at: i64,
    /// When it was approved or rejected.
    pub decided_at: Option<i64>,
    /// The id of the key that decided.
    pub decided_by: Option<String>,
    /// HTTP status of the executed call.
    pub result_status: Option<i64>,
    /// The executed call's answer: the action's output or an error body.
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
}

impl From<&InteractionRow> for Interaction {
    fn from(r: &InteractionRow) -> Self {
        Self {
            id: r.id.clone(),
            connection_id: r.connection_id.clone(),
            action: r.action_id.clone(),
            params: serde_json::from_str(&r.params).unwrap_or(Value::Null),
            status: r.status.clone(),
            idempotency_key: r.idempotency_key.clone(),
            created_at: r.created_at,
            expires_at: r.expires_at,
            decided_at: r.decided_at,
            decided_by: r.decided_by.clone(),
            result_status: r.result_status,
            result: r.result.as_deref().and_then(|t| serde_json::from_str(t).ok()),
        }
    }
}

/// What a call is about, once its connection and action are found.
struct Target<'a> {
    state: &'a AppState,
    caller: &'a Caller,
    row: ConnectionRow,
    spec: &'static IntegrationSpec,
    action: &'static Action,
}

/// Calls `action_id` on connection `connection_id` of the caller's project with `params`.
pub async fn call(
    state: &AppState,
    caller: &Caller,
    connection_id: &str,
    action_id: &str,
    header_key: Option<&str>,
    mut params: Value,
) -> Answer {
    let target = match find(state, caller, connection_id, action_id).await {
        Ok(t) => t,
        Err(e) => return Answer::error(&e),
    };
    let key = match params::take_key(header_key, &mut params) {
        Ok(k) => k,
        Err(e) => return Answer::error(&e),
    };
    if let Err(e) = check_params(target.action, &params) {
        return Answer::client_error(&e);
    }
    if !target.action.mutates {
        // A read changes nothing: there is nothing to store, approve or audit.
        return target.send(params, None).await;
    }
    let digest = params::digest(&params);
    let approval = if target.action.high_impact {
        match target.auto_approved().await {
            Ok(auto) => !auto,
            Err(e) => return Answer::error(&e),
        }
    } else {
        false
    };
    let Some(key) = key else {
        let answer = if approval {
            target.ask(&params, &digest, None).await
        } else {
            target.send(params, None).await
        };
        target.audit(&digest, None, &answer).await;
        return answer;
    };
    let answer = match target.claim(&key, &digest).await {
        Ok(Claimed::Owner) => {
            let answer = if approval {
                target.ask(&params, &digest, Some(&key)).await
            } else {
                target.send(params, Some(&key)).await
            };
            let project = &caller.project.id;
            let stored = if answer.storable {
                state.store.finish_idempotency(project, &key, &answer.to_stored()).await
            } else {
                state.store.release_idempotency(project, &key).await
            };
            if let Err(e) = stored {
                tracing::error!(error = %e, "could not store an idempotent answer");
            }
            answer
        }
        Ok(Claimed::Replay(answer)) => answer,
        Err(e) => Answer::error(&e),
    };
    target.audit(&digest, Some(&key), &answer).await;
    answer
}

/// What claiming a key gave.
enum Claimed {
    Owner,
    Replay(Answer),
}

async fn find<'a>(
    state: &'a AppState,
    caller: &'a Caller,
    connection_id: &str,
    action_id: &str,
) -> Result<Target<'a>, ApiError> {
    let row = state
        .store
        .connection(&caller.project.id, connection_id)
        .await?
        .ok_or_else(|| ApiError::not_found("connection"))?;
    let spec = state
        .providers
        .get(&row.provider)
        .map(|p| p.spec)
        .ok_or_else(|| ApiError::not_found("provider"))?;
    let action = spec.actions.iter().find(|a| a.id == action_id).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_action",
            format!(
                "`{}` has no action `{action_id}`; its actions are listed by GET /v1/providers",
                spec.meta.key
            ),
        )
    })?;
    Ok(Target {
        state,
        caller,
        row,
        spec,
        action,
    })
}

impl Target<'_> {
    /// Whether the project's policy approves this action without asking.
    async fn auto_approved(&self) -> Result<bool, ApiError> {
        let patterns = self.state.store.auto_approve(&self.caller.project.id).await?;
        Ok(patterns.iter().any(|p| params::matches(p, &self.action.id)))
    }

    /// Sends the call to the provider.
    async fn send(&self, params: Value, key: Option<&str>) -> Answer {
        send(self.state, self.spec, &self.row, self.action, params, key).await
    }

    /// Claims `key`, waiting while another request runs the key's first call.
    async fn claim(&self, key: &str, digest: &str) -> Result<Claimed, ApiError> {
        let deadline = tokio::time::Instant::now() + IDEMPOTENCY_WAIT;
        loop {
            let t = now();
            let claim = IdempotencyClaim {
                project_id: &self.caller.project.id,
                key,
                connection_id: &self.row.id,
                action_id: &self.action.id,
                params_digest: digest,
                now: t,
                lease_until: t.saturating_add(IDEMPOTENCY_LEASE_SECS),
                expires_at: t.saturating_add(IDEMPOTENCY_TTL_SECS),
            };
            match self.state.store.claim_idempotency(&claim).await? {
                Claim::Owner => return Ok(Claimed::Owner),
                Claim::Replay(stored) => return Ok(Claimed::Replay(Answer::replayed(&stored))),
                Claim::Mismatch { action_id } => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "idempotency_key_reused",
                        format!(
                            "this idempotency key was used for a different call (`{action_id}` on a connection, \
                             with other params) within the last 24 h; use a new key for a new call"
                        ),
                    ));
                }
                Claim::InFlight => {
                    if tokio::time::Instant::now() >= deadline {
                        return Err(ApiError::new(
                            StatusCode::CONFLICT,
                            "idempotency_key_in_use",
                            "the first request with this idempotency key is still running; retry shortly",
                        )
                        .with_retry_after(1));
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            }
        }
    }

    /// Creates an interaction for this call and answers 202 with it.
    async fn ask(&self, params: &Value, digest: &str, key: Option<&str>) -> Answer {
        let id = keys::new_id("int_");
        let created = now();
        let row = InteractionRow {
            idempotency_key: key.map_or_else(|| id.clone(), str::to_string),
            id,
            project_id: self.caller.project.id.clone(),
            connection_id: self.row.id.clone(),
            action_id: self.action.id.clone(),
            params: params.to_string(),
            params_digest: digest.to_string(),
            status: "pending".into(),
            requested_by: self.caller.key_id.clone(),
            created_at: created,
            expires_at: created.saturating_add(INTERACTION_TTL_SECS),
            decided_at: None,
            decided_by: None,
            result_status: None,
            result: None,
        };
        if let Err(e) = self.state.store.insert_interaction(&row).await {
            return Answer::error(&ApiError::from(e));
        }
        let body = serde_json::to_value(Interaction::from(&row)).unwrap_or(Value::Null);
        Answer {
            status: StatusCode::ACCEPTED,
            body,
            headers: vec![(
                "location".into(),
                format!("/v1/projects/{}/interactions/{}", row.project_id, row.id),
            )],
            storable: true,
            provider_request_id: None,
        }
    }

    /// Appends the call's audit entry.
    async fn audit(&self, digest: &str, key: Option<&str>, answer: &Answer) {
        let interaction = (answer.status == StatusCode::ACCEPTED)
            .then(|| answer.body.get("id").and_then(Value::as_str).map(str::to_string))
            .flatten();
        let replayed = answer.headers.iter().any(|(k, _)| k == super::answer::REPLAYED);
        let outcome = if replayed {
            "replayed"
        } else if interaction.is_some() {
            "pending_approval"
        } else if answer.status.is_success() {
            "succeeded"
        } else {
            "failed"
        };
        let sent_key = answer
            .headers
            .iter()
            .find(|(k, _)| k == super::answer::IDEMPOTENCY_KEY)
            .map(|(_, v)| v.clone())
            .or_else(|| key.map(str::to_string));
        audit(
            self.state,
            AuditEntry {
                seq: 0,
                project_id: self.caller.project.id.clone(),
                key_id: self.caller.key_id.clone(),
                connection_id: self.row.id.clone(),
                action_id: self.action.id.clone(),
                params_digest: digest.to_string(),
                idempotency_key: sent_key,
                interaction_id: interaction,
                outcome: outcome.into(),
                http_status: Some(i64::from(answer.status.as_u16())),
                provider_request_id: answer.provider_request_id.clone(),
                at: now(),
            },
        )
        .await;
    }
}

async fn audit(state: &AppState, entry: AuditEntry) {
    if let Err(e) = state.store.append_audit(&entry).await {
        tracing::error!(error = %e, action = %entry.action_id, "could not append to the audit log");
    }
}

/// Sends a call to the provider through the connection's client.
async fn send(
    state: &AppState,
    spec: &'static IntegrationSpec,
    row: &ConnectionRow,
    action: &'static Action,
    mut params: Value,
    key: Option<&str>,
) -> Answer {
    let client = match state.clients.client(state, spec, row).await {
        Ok(c) => c,
        Err(e) => return Answer::error(&e),
    };
    if let (Some(key), Some(obj)) = (key, params.as_object_mut()) {
        obj.insert(
            spec_runtime::client::IDEMPOTENCY_KEY_FIELD.into(),
            Value::String(key.to_string()),
        );
    }
    match client.invoke_with_meta(&action.id, params).await {
        Ok((output, meta)) => Answer::output(output, &meta),
        Err(e) => {
            tracing::info!(action = %action.id, error = %e, "action call failed");
            Answer::client_error(&e)
        }
    }
}

/// Approves interaction `id` and runs its call, once: of concurrent approvals one runs the call and the
/// others get 409.
pub async fn approve(state: &AppState, caller: &Caller, id: &str) -> Result<Interaction, ApiError> {
    let project = &caller.project.id;
    decide(state, caller, id, "approved").await?;
    let row = state
        .store
        .interaction(project, id)
        .await?
        .ok_or_else(|| ApiError::not_found("interaction"))?;
    let found = match state.store.connection(project, &row.connection_id).await? {
        Some(conn) => state
            .providers
            .get(&conn.provider)
            .and_then(|p| {
                p.spec
                    .actions
                    .iter()
                    .find(|a| a.id == row.action_id)
                    .map(|a| (p.spec, a))
            })
            .map(|(spec, action)| (conn, spec, action)),
        None => None,
    };
    let answer = match found {
        Some((conn, spec, action)) => {
            let params: Value = serde_json::from_str(&row.params).unwrap_or(Value::Null);
            send(state, spec, &conn, action, params, Some(&row.idempotency_key)).await
        }
        None => Answer::error(&ApiError::new(
            StatusCode::CONFLICT,
            "connection_gone",
            "the interaction's connection was deleted; nothing was sent",
        )),
    };
    let status = if answer.status.is_success() {
        "succeeded"
    } else {
        "failed"
    };
    state
        .store
        .finish_interaction(id, status, i64::from(answer.status.as_u16()), &answer.body.to_string())
        .await?;
    // A caller that asked with its own idempotency key gets the final answer when it repeats the call.
    if row.idempotency_key != row.id {
        state
            .store
            .finish_idempotency(project, &row.idempotency_key, &answer.to_stored())
            .await?;
    }
    let entry = decision_entry(
        caller,
        &row,
        status,
        Some(i64::from(answer.status.as_u16())),
        answer.provider_request_id.clone(),
    );
    audit(state, entry).await;
    let row = state
        .store
        .interaction(project, id)
        .await?
        .ok_or_else(|| ApiError::not_found("interaction"))?;
    Ok(Interaction::from(&row))
}

/// Rejects interaction `id`: its call is never sent.
pub async fn reject(state: &AppState, caller: &Caller, id: &str) -> Result<Interaction, ApiError> {
    let project = &caller.project.id;
    decide(state, caller, id, "rejected").await?;
    let row = state
        .store
        .interaction(project, id)
        .await?
        .ok_or_else(|| ApiError::not_found("interaction"))?;
    audit(state, decision_entry(caller, &row, "rejected", None, None)).await;
    Ok(Interaction::from(&row))
}

/// The audit entry of a decision on interaction `row` (and of the call an approval ran).
fn decision_entry(
    caller: &Caller,
    row: &InteractionRow,
    outcome: &str,
    http_status: Option<i64>,
    provider_request_id: Option<String>,
) -> AuditEntry {
    AuditEntry {
        seq: 0,
        project_id: caller.project.id.clone(),
        key_id: caller.key_id.clone(),
        connection_id: row.connection_id.clone(),
        action_id: row.action_id.clone(),
        params_digest: row.params_digest.clone(),
        idempotency_key: Some(row.idempotency_key.clone()),
        interaction_id: Some(row.id.clone()),
        outcome: outcome.into(),
        http_status,
        provider_request_id,
        at: now(),
    }
}

/// Moves a pending interaction to `to`, or says why it cannot be.
async fn decide(state: &AppState, caller: &Caller, id: &str, to: &str) -> Result<(), ApiError> {
    let project = &caller.project.id;
    let t = now();
    state.store.expire_interactions(project, t).await?;
    if state
        .store
        .decide_interaction(project, id, to, &caller.key_id, t)
        .await?
    {
        return Ok(());
    }
    let row = state
        .store
        .interaction(project, id)
        .await?
        .ok_or_else(|| ApiError::not_found("interaction"))?;
    let current = Interaction::from(&row);
    let message = if row.status == "expired" {
        "the interaction expired before it was decided; call the action again".to_string()
    } else {
        format!("the interaction is already {}", row.status)
    };
    Err(ApiError::new(StatusCode::CONFLICT, "interaction_decided", message)
        .with_details(serde_json::to_value(current).unwrap_or(Value::Null)))
}

/// The project's interactions (pending ones past their expiry shown `expired`).
pub async fn list(
    state: &AppState,
    caller: &Caller,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<Interaction>, ApiError> {
    let project = &caller.project.id;
    state.store.expire_interactions(project, now()).await?;
    let rows = state.store.interactions(project, status, limit).await?;
    Ok(rows.iter().map(Interaction::from).collect())
}

/// One interaction of the project.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<Interaction, ApiError> {
    let project = &caller.project.id;
    state.store.expire_interactions(project, now()).await?;
    state
        .store
        .interaction(project, id)
        .await?
        .map(|r| Interaction::from(&r))
        .ok_or_else(|| ApiError::not_found("interaction"))
}

fn check_params(action: &Action, params: &Value) -> Result<(), ClientError> {
    if action.input.schema.is_null() {
        return Ok(());
    }
    check_against_schema(&action.input.schema, params).map_err(|violations| ClientError::InvalidInput {
        action: action.id.clone(),
        violations,
    })
}
