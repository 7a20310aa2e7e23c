//! Connections with an API key or other static credential (bring your own key): create, list, read, delete.
//!
//! Config and secrets are checked against the integration's JSON Schemas, the credential against the provider's
//! key format where one is known, and optionally by the spec's health check before anything is saved. Secrets
//! are sealed and never returned.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use spec_core::{IntegrationSpec, Secret};
use spec_runtime::api_key::ApiKey;
use spec_runtime::client::{Credential, RestClient};
use spec_runtime::redact::Redactor;
use utoipa::ToSchema;

use crate::auth::AuthedProject;
use crate::error::{ApiError, ErrorBody, from_rejection};
use crate::keys;
use crate::providers;
use crate::state::AppState;
use crate::store::{ConnectionRow, NewConnection, now};

/// A connection to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateConnection {
    /// Provider id (`stripe`).
    pub provider: String,
    /// Name, unique among the project's connections of the provider (`default`).
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    /// The integration's config (its `config` JSON Schema).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub config: Value,
    /// The integration's secrets (its `secrets` JSON Schema); write-only.
    #[serde(default)]
    #[schema(value_type = Object, write_only)]
    pub secrets: Value,
    /// The provider account this connection stands for (`acct_…`), when the config does not name it; routes
    /// the platform webhook endpoint's events.
    #[serde(default)]
    pub account_id: Option<String>,
    /// Run the spec's health check with these credentials before saving.
    #[serde(default)]
    pub live_check: bool,
}

/// The last health check.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthStatus {
    /// When it ran (Unix seconds).
    pub checked_at: Option<i64>,
    /// Whether it passed.
    pub ok: Option<bool>,
    /// What it reported.
    pub message: Option<String>,
}

/// The last token refreshes.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefreshStatus {
    /// Last success (Unix seconds).
    pub last_ok_at: Option<i64>,
    /// Last failure (Unix seconds).
    pub last_error_at: Option<i64>,
    /// Why it failed.
    pub last_error: Option<String>,
}

/// A connection (secrets are never returned).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionOut {
    /// Connection id.
    pub id: String,
    /// Provider id.
    pub provider: String,
    /// Name.
    pub name: String,
    /// Auth method kind (`api-key`, `bearer`, `oauth2`).
    pub auth_kind: String,
    /// Provider account.
    pub account_id: Option<String>,
    /// The config.
    #[schema(value_type = Object)]
    pub config: Value,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// `active`.
    pub status: String,
    /// Creation time (Unix seconds).
    pub created_at: i64,
    /// Path of this connection's own webhook endpoint (sign deliveries with its webhook secret).
    pub webhook_path: String,
    /// Last health check.
    pub health: HealthStatus,
    /// Last token refreshes.
    pub refresh: RefreshStatus,
    /// When its last event was stored (Unix seconds).
    pub last_event_at: Option<i64>,
}

/// A list of connections.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionList {
    /// The connections, oldest first.
    pub data: Vec<ConnectionOut>,
}

impl From<ConnectionRow> for ConnectionOut {
    fn from(c: ConnectionRow) -> Self {
        Self {
            webhook_path: format!("/v1/hooks/{}", c.id),
            config: serde_json::from_str(&c.config).unwrap_or(Value::Null),
            scopes: c
                .scopes
                .as_deref()
                .map(|s| s.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
            id: c.id,
            provider: c.provider,
            name: c.name,
            auth_kind: c.auth_kind,
            account_id: c.account_id,
            status: c.status,
            created_at: c.created_at,
            health: HealthStatus {
                checked_at: c.last_health_at,
                ok: c.last_health_ok,
                message: c.last_health_message,
            },
            refresh: RefreshStatus {
                last_ok_at: c.last_refresh_ok_at,
                last_error_at: c.last_refresh_err_at,
                last_error: c.last_refresh_error,
            },
            last_event_at: c.last_event_at,
        }
    }
}

/// Every string in `v`, to keep out of messages.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !s.is_empty() => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// `message` with every secret value masked, through the runtime's one redactor.
fn redact(message: &str, secrets: &[String]) -> String {
    Redactor::new(secrets.iter().map(|s| Secret::new(s.clone()))).text(message)
}

fn check_schema(schema: &Value, value: &Value, what: &'static str, hide: &[String]) -> Result<(), ApiError> {
    if schema.is_null() {
        return Ok(());
    }
    spec_core::check_against_schema(schema, value).map_err(|violations| {
        let list: Vec<String> = violations
            .iter()
            .map(|v| {
                format!(
                    "{}: {}",
                    if v.instance_path.is_empty() {
                        "/"
                    } else {
                        &v.instance_path
                    },
                    v.message
                )
            })
            .collect();
        ApiError::bad_request(
            if what == "config" {
                "invalid_config"
            } else {
                "invalid_secrets"
            },
            redact(
                &format!("{what} does not match the integration's schema: {}", list.join("; ")),
                hide,
            ),
        )
    })
}

async fn live_check(
    state: &AppState,
    spec: &'static IntegrationSpec,
    c: &providers::Credentials,
) -> Result<String, String> {
    let mut builder = RestClient::builder(spec).credential(c.credential.clone());
    if let Some(account) = &c.account_id
        && spec.rest().and_then(|r| r.account_header.as_ref()).is_some()
    {
        builder = builder.account(account.clone());
    }
    if let Some(base) = state.settings.api_base_urls.get(spec.provider_id()) {
        builder = builder.base_url(base.clone());
    }
    let client = builder.build().map_err(|e| e.to_string())?;
    client
        .health_check()
        .await
        .map(|h| format!("{} answered {}", h.checked, h.status))
        .map_err(|e| e.to_string())
}

/// Creates a connection with static credentials.
#[utoipa::path(post, path = "/v1/projects/{project}/connections", operation_id = "create_connection", tag = "connections",
    params(("project" = String, Path, description = "Project id")),
    security(("project_key" = [])),
    request_body = CreateConnection,
    responses(
        (status = 201, description = "Created", body = ConnectionOut),
        (status = 400, description = "Config, secrets or the body not valid", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project, or no such provider", body = ErrorBody),
        (status = 409, description = "A connection of that name exists", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = ErrorBody),
        (status = 422, description = "The live health check failed", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    body: Result<Json<CreateConnection>, JsonRejection>,
) -> Result<(StatusCode, Json<ConnectionOut>), ApiError> {
    let Json(req) = body.map_err(|e| from_rejection(e.status(), e.body_text()))?;
    let provider = state.providers.get(&req.provider).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_provider",
            format!("no integration `{}` is served", req.provider),
        )
    })?;
    let spec = provider.spec;
    if req.name.trim().is_empty() || req.name.chars().count() > 200 {
        return Err(ApiError::bad_request(
            "invalid_name",
            "name must be 1 to 200 characters",
        ));
    }
    let config = if req.config.is_null() {
        Value::Object(Default::default())
    } else {
        req.config
    };
    let mut hide = Vec::new();
    strings(&req.secrets, &mut hide);
    check_schema(&spec.config.schema, &config, "config", &hide)?;
    check_schema(&spec.secrets.schema, &req.secrets, "secrets", &hide)?;
    let creds = match providers::credentials(spec, &config, &req.secrets) {
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => return Err(ApiError::bad_request("invalid_secrets", redact(&e, &hide))),
        None => None,
    };
    if let Some(Credentials {
        credential: Credential::ApiKey(key),
        ..
    }) = &creds
        && spec.api_key_auth().is_some()
    {
        ApiKey::parse(spec, key.expose())
            .map_err(|e| ApiError::bad_request("invalid_key_format", redact(&e.to_string(), &hide)))?;
    }
    let health = if req.live_check {
        let Some(c) = &creds else {
            return Err(ApiError::bad_request(
                "live_check_unsupported",
                format!("the host cannot build a client for `{}` connections", req.provider),
            ));
        };
        match live_check(&state, spec, c).await {
            Ok(message) => Some(message),
            Err(message) => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "health_check_failed",
                    redact(&message, &hide),
                ));
            }
        }
    } else {
        None
    };
    let id = keys::new_id("conn_");
    let plaintext = serde_json::to_vec(&req.secrets).map_err(|e| ApiError::unavailable(&e))?;
    let sealed = state
        .sealer
        .seal(&id, &plaintext)
        .map_err(|e| ApiError::unavailable(&e))?;
    let auth_kind = creds.as_ref().map_or("api-key", |c| c.auth.as_str()).to_string();
    let account_id = req
        .account_id
        .or_else(|| creds.as_ref().and_then(|c| c.account_id.clone()));
    let at = now();
    state
        .store
        .insert_connection(&NewConnection {
            id: id.clone(),
            project_id: project.id.clone(),
            provider: req.provider.clone(),
            name: req.name,
            auth_kind,
            account_id,
            config: config.to_string(),
            sealed: Some(sealed),
            scopes: None,
            created_at: at,
        })
        .await?;
    if let Some(message) = &health {
        state.store.record_health(&id, at, true, Some(message)).await?;
    }
    tracing::info!(connection = %id, provider = %req.provider, project = %project.id, "connection created");
    let row = state
        .store
        .connection(&project.id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("connection"))?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

use providers::Credentials;

/// The project's connections.
#[utoipa::path(get, path = "/v1/projects/{project}/connections", operation_id = "list_connections", tag = "connections",
    params(("project" = String, Path, description = "Project id")),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "The connections", body = ConnectionList),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
) -> Result<Json<ConnectionList>, ApiError> {
    let rows = state.store.connections(&project.id).await?;
    Ok(Json(ConnectionList {
        data: rows.into_iter().map(Into::into).collect(),
    }))
}

/// One connection with its status.
#[utoipa::path(get, path = "/v1/projects/{project}/connections/{connection}", operation_id = "get_connection", tag = "connections",
    params(("project" = String, Path, description = "Project id"), ("connection" = String, Path, description = "Connection id")),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "The connection", body = ConnectionOut),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such connection in this key's project", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    Path(path): Path<(String, String)>,
) -> Result<Json<ConnectionOut>, ApiError> {
    let row = state
        .store
        .connection(&project.id, &path.1)
        .await?
        .ok_or_else(|| ApiError::not_found("connection"))?;
    Ok(Json(row.into()))
}

/// Disconnects a connection and erases its secrets.
#[utoipa::path(delete, path = "/v1/projects/{project}/connections/{connection}", operation_id = "delete_connection", tag = "connections",
    params(("project" = String, Path, description = "Project id"), ("connection" = String, Path, description = "Connection id")),
    security(("project_key" = [])),
    responses(
        (status = 204, description = "Deleted (revoked at the provider where the spec declares it); its secrets are erased"),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "No such connection in this key's project", body = ErrorBody),
        (status = 502, description = "The provider refused the revocation; the connection is kept", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    Path(path): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let id = path.1;
    let row = state
        .store
        .connection(&project.id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("connection"))?;
    if row.auth_kind == crate::oauth::OAUTH_KIND
        && let Some(Ok(flow)) = state.oauth.get(&row.provider)
    {
        // Revokes at the provider where the spec declares it, then removes the connection.
        flow.connector.revoke(&project.id, &row.name).await.map_err(|e| {
            tracing::warn!(connection = %id, error = %e, "revocation failed; connection kept");
            ApiError::new(StatusCode::BAD_GATEWAY, "revoke_failed", e.to_string())
        })?;
    }
    state.store.delete_connection(&project.id, &id, now()).await?;
    tracing::info!(connection = %id, project = %project.id, "connection deleted");
    Ok(StatusCode::NO_CONTENT)
}
