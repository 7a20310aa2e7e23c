//! Project authentication: `Authorization: Bearer <key>` on every `/v1/projects/{project}/…` route.
//!
//! No key, a malformed one or an unknown one is a 401; a valid key of another project (or of a project that
//! does not exist) is a 404, so that a key cannot probe which project ids exist.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Path};
use axum::http::header;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::keys;
use crate::state::AppState;
use crate::store::Project;

/// The project of the path, authenticated by its key.
#[derive(Debug, Clone)]
pub struct AuthedProject(pub Project);

/// The project of the path and the id of the key that authenticated the request (`key_…`, for the audit log).
#[derive(Debug, Clone)]
pub struct Caller {
    /// The project.
    pub project: Project,
    /// Id of the key: `key_` and the first 8 bytes of its hash in hex; never the key.
    pub key_id: String,
}

/// The id of the key whose hash is `hash`.
pub fn key_id(hash: &[u8]) -> String {
    let head = hash.get(..8).unwrap_or(hash);
    format!("key_{}", crate::actions::params::hex(head))
}

async fn authenticate(parts: &mut Parts, state: &Arc<AppState>) -> Result<(Project, [u8; 32]), ApiError> {
    let key = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| keys::well_formed(k))
        .ok_or_else(ApiError::unauthorized)?;
    let hash = keys::hash(key);
    let (project, stored) = state
        .store
        .project_by_key_hash(&hash)
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    if !keys::same_hash(&stored, &hash) {
        return Err(ApiError::unauthorized());
    }
    let params = Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map_err(|_| ApiError::not_found("project"))?;
    match params.get("project") {
        Some(id) if *id == project.id => Ok((project, hash)),
        _ => Err(ApiError::not_found("project")),
    }
}

impl FromRequestParts<Arc<AppState>> for AuthedProject {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        authenticate(parts, state).await.map(|(project, _)| Self(project))
    }
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let (project, hash) = authenticate(parts, state).await?;
        Ok(Self {
            project,
            key_id: key_id(&hash),
        })
    }
}
