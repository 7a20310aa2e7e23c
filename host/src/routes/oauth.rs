//! The OAuth connect flow: a project asks for the provider's authorization URL, the provider sends the browser
//! back to the callback, the host exchanges the code, stores the connection (account id, sealed tokens, scopes)
//! and sends the browser to the project's return URL.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use spec_runtime::oauth::{CallbackError, CallbackQuery};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthedProject;
use crate::error::{ApiError, ErrorBody, from_rejection};
use crate::oauth::OAuthProvider;
use crate::state::AppState;

/// What to connect.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectRequest {
    /// The connection's name in the project (`default` when absent).
    #[serde(default)]
    pub name: Option<String>,
}

/// Where to send the browser.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectResponse {
    /// The provider's authorization URL, carrying a signed, expiring, single-use state.
    pub redirect_url: String,
}

fn flow<'a>(state: &'a AppState, provider: &str) -> Result<&'a OAuthProvider, ApiError> {
    match state.oauth.get(provider) {
        Some(Ok(p)) => Ok(p),
        Some(Err(missing)) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "oauth_not_configured",
            missing.clone(),
        )),
        None => Err(ApiError::not_found("provider with an OAuth connect flow")),
    }
}

/// Starts connecting a provider account to the project by OAuth.
#[utoipa::path(post, path = "/v1/projects/{project}/integrations/providers/{provider}/connect",
    operation_id = "connect_provider", tag = "connections",
    params(("project" = String, Path, description = "Project id"), ("provider" = String, Path, description = "Provider id")),
    security(("project_key" = [])),
    request_body = ConnectRequest,
    responses(
        (status = 200, description = "The URL to send the browser to", body = ConnectResponse),
        (status = 400, description = "The body is not valid", body = ErrorBody),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project, or a provider without OAuth", body = ErrorBody),
        (status = 503, description = "The deployment lacks OAuth settings (named)", body = ErrorBody),
    ))]
pub async fn connect(
    State(state): State<Arc<AppState>>,
    AuthedProject(project): AuthedProject,
    Path(path): Path<(String, String)>,
    body: Result<Json<ConnectRequest>, JsonRejection>,
) -> Result<Json<ConnectResponse>, ApiError> {
    let req = match body {
        Ok(Json(r)) => r,
        Err(JsonRejection::MissingJsonContentType(_)) => ConnectRequest::default(),
        Err(e) => return Err(from_rejection(e.status(), e.body_text())),
    };
    let name = req.name.unwrap_or_else(|| "default".into());
    let flow = flow(&state, &path.1)?;
    let url = flow.connector.connect(&project.id, &name).await.map_err(|e| match e {
        spec_runtime::oauth::ConnectError::EmptyName { .. } => ApiError::bad_request("invalid_name", e.to_string()),
        other => ApiError::unavailable(&other),
    })?;
    Ok(Json(ConnectResponse {
        redirect_url: url.to_string(),
    }))
}

/// A completed connect flow, when the project has no return URL.
#[derive(Debug, Serialize, ToSchema)]
pub struct Connected {
    /// The connection's id.
    pub connection: String,
    /// `connected`.
    pub status: String,
}

/// The provider's redirect back.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackParams {
    /// Authorization code.
    pub code: Option<String>,
    /// The state issued by the connect call.
    pub state: Option<String>,
    /// OAuth error code when the authorization was refused.
    pub error: Option<String>,
    /// The provider's description of `error`.
    pub error_description: Option<String>,
}

/// Completes the connect flow: exchanges the code, stores the connection and redirects to the project's return
/// URL with `provider`, `connection` and `status=connected` in its query.
#[utoipa::path(get, path = "/v1/provider/{provider}/callback", operation_id = "oauth_callback", tag = "connections",
    security(()),
    params(("provider" = String, Path, description = "Provider id"), CallbackParams),
    responses(
        (status = 303, description = "Connected: to the project's return URL"),
        (status = 200, description = "Connected (the project has no return URL)", body = Connected),
        (status = 400, description = "State refused, authorization denied or code exchange failed", body = ErrorBody),
        (status = 404, description = "A provider without OAuth", body = ErrorBody),
        (status = 503, description = "Not configured, or storage unavailable", body = ErrorBody),
    ))]
pub async fn callback(
    State(state): State<Arc<AppState>>,
    Path(provider): Path<String>,
    query: Result<Query<CallbackParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|e| from_rejection(e.status(), e.body_text()))?;
    let flow = flow(&state, &provider)?;
    let raw_state = q
        .state
        .clone()
        .ok_or_else(|| ApiError::bad_request("invalid_state", "the callback has no state"))?;
    let payload = flow
        .state
        .verify(&raw_state)
        .map_err(|e| ApiError::bad_request("invalid_state", e.to_string()))?;
    let query = CallbackQuery {
        code: q.code.map(spec_core::Secret::new),
        state: Some(raw_state),
        error: q.error,
        error_description: q.error_description,
    };
    let connection = flow.connector.callback(&payload.project, &query).await.map_err(|e| {
        tracing::warn!(provider = %provider, error = %e, "oauth callback refused");
        match e {
            CallbackError::Store(s) => ApiError::unavailable(&s),
            CallbackError::State(_) | CallbackError::MissingState => {
                ApiError::bad_request("invalid_state", e.to_string())
            }
            CallbackError::Denied { .. } => ApiError::bad_request("access_denied", e.to_string()),
            other => ApiError::bad_request("code_exchange_failed", other.to_string()),
        }
    })?;
    let key = &connection.key;
    let row = state
        .store
        .connection_by_name(&key.project, &key.provider, &key.name)
        .await?
        .ok_or_else(|| ApiError::not_found("connection"))?;
    let project = state
        .store
        .project(&key.project)
        .await?
        .ok_or_else(|| ApiError::not_found("project"))?;
    match project.return_url.as_deref().and_then(|u| url::Url::parse(u).ok()) {
        Some(mut url) => {
            url.query_pairs_mut()
                .append_pair("provider", &provider)
                .append_pair("connection", &row.id)
                .append_pair("status", "connected");
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, url.to_string())]).into_response())
        }
        None => Ok(Json(Connected {
            connection: row.id,
            status: "connected".into(),
        })
        .into_response()),
    }
}
