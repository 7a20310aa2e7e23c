//! MCP over standard input and output (`integration-host mcp`), scoped to the project of one key.

use std::sync::Arc;

use rmcp::ServiceExt as _;

use super::McpServer;
use crate::auth::{Caller, key_id};
use crate::keys;
use crate::state::AppState;
use crate::store::StoreError;

/// Why the stdio server could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StdioError {
    /// The key is malformed or no project's.
    #[error("the project key is not a key of any project (--project-key / HOST_PROJECT_KEY)")]
    UnknownKey,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The MCP session failed to start or ended abnormally.
    #[error("MCP session failed: {0}")]
    Session(String),
}

/// The caller a project key authenticates.
pub async fn caller_of_key(state: &AppState, key: &str) -> Result<Caller, StdioError> {
    let key = key.trim();
    if !keys::well_formed(key) {
        return Err(StdioError::UnknownKey);
    }
    let hash = keys::hash(key);
    let (project, stored) = state
        .store
        .project_by_key_hash(&hash)
        .await?
        .ok_or(StdioError::UnknownKey)?;
    if !keys::same_hash(&stored, &hash) {
        return Err(StdioError::UnknownKey);
    }
    Ok(Caller {
        project,
        key_id: key_id(&hash),
    })
}

/// Serves MCP on standard input and output for the project of `key`, until the client closes the stream.
pub async fn serve(state: Arc<AppState>, key: &str) -> Result<(), StdioError> {
    let caller = caller_of_key(&state, key).await?;
    tracing::info!(project = %caller.project.id, "MCP server on standard input and output");
    let running = McpServer::for_caller(state, caller)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| StdioError::Session(e.to_string()))?;
    running
        .waiting()
        .await
        .map_err(|e| StdioError::Session(e.to_string()))?;
    Ok(())
}
