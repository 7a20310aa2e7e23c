//! The project itself, the served integrations, liveness.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AuthedProject;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// A project.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectOut {
    /// Project id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Where the OAuth connect flow returns the browser.
    pub return_url: Option<String>,
    /// Creation time (Unix seconds).
    pub created_at: i64,
}

/// The project of the key.
#[utoipa::path(get, path = "/v1/projects/{project}", operation_id = "get_project", tag = "projects",
    params(("project" = String, Path, description = "Project id")),
    security(("project_key" = [])),
    responses(
        (status = 200, description = "The project", body = ProjectOut),
        (status = 401, description = "No or an unknown key", body = ErrorBody),
        (status = 404, description = "Not this key's project", body = ErrorBody),
    ))]
pub async fn get_project(AuthedProject(p): AuthedProject) -> Json<ProjectOut> {
    Json(ProjectOut {
        id: p.id,
        name: p.name,
        return_url: p.return_url,
        created_at: p.created_at,
    })
}

/// A served integration.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderOut {
    /// Provider id (`stripe`).
    pub id: String,
    /// Integration key (`payments.stripe`).
    pub key: String,
    /// Title.
    pub title: String,
    /// Path of the platform webhook endpoint.
    pub webhook_path: Option<String>,
    /// Whether the platform webhook endpoint has its signing secret (`<PROVIDER>_INTEGRATION_WEBHOOK_SECRET`).
    pub webhook_configured: bool,
}

/// The list of served integrations.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderList {
    /// The integrations, by provider id.
    pub data: Vec<ProviderOut>,
}

/// The integrations this host serves.
#[utoipa::path(get, path = "/v1/providers", operation_id = "list_providers", tag = "providers",
    security(()),
    responses((status = 200, description = "Served integrations", body = ProviderList)))]
pub async fn providers(State(state): State<Arc<AppState>>) -> Json<ProviderList> {
    let data = state
        .providers
        .iter()
        .map(|(id, p)| ProviderOut {
            id: id.clone(),
            key: p.spec.meta.key.clone(),
            title: p.spec.meta.title.clone(),
            webhook_path: p.spec.webhook().map(|_| format!("/v1/provider/{id}/webhook/events")),
            webhook_configured: p.platform_verifier.is_some(),
        })
        .collect();
    Json(ProviderList { data })
}

/// Liveness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// Whether the host answers.
#[utoipa::path(get, path = "/healthz", operation_id = "healthz", tag = "providers",
    security(()),
    responses((status = 200, description = "The host is up", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok".into() })
}

/// Unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::not_found("route")
}
