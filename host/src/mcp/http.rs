//! MCP over streamable HTTP at `/v1/projects/{project}/mcp`, behind the project key check of every project
//! route (401 without or with an unknown key, 404 for another project's key).
//!
//! The `Host` header is checked only against [`Settings::mcp_allowed_hosts`](crate::state::Settings) when that
//! list is not empty (`--mcp-allowed-host`): the check guards servers that trust whoever reaches them (DNS
//! rebinding), while every request here carries the project's bearer key, which a browser never sends on
//! its own.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any_service};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};

use super::McpServer;
use crate::auth::Caller;
use crate::state::AppState;

/// The route's path.
pub const PATH: &str = "/v1/projects/{project}/mcp";

/// The MCP route: the streamable HTTP service, each request authenticated first.
pub fn route(state: &Arc<AppState>) -> MethodRouter<Arc<AppState>> {
    let mut config = StreamableHttpServerConfig::default()
        .with_max_request_body_bytes(state.settings.max_body_bytes)
        .disable_allowed_hosts();
    if !state.settings.mcp_allowed_hosts.is_empty() {
        config = config.with_allowed_hosts(state.settings.mcp_allowed_hosts.clone());
    }
    let for_sessions = state.clone();
    let service = StreamableHttpService::new(
        move || Ok(McpServer::per_request(for_sessions.clone())),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    any_service(service).layer(middleware::from_fn_with_state(state.clone(), authenticate))
}

/// Puts the [`Caller`] of the request's key into its extensions, or answers the key check's error.
async fn authenticate(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match Caller::from_request_parts(&mut parts, &state).await {
        Ok(caller) => {
            parts.extensions.insert(caller);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(e) => e.into_response(),
    }
}
