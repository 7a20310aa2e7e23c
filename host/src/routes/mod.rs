//! The host's HTTP routes, one module per resource.

pub mod actions;
pub mod connections;
pub mod events;
pub mod oauth;
pub mod projects;
pub mod triggers;
pub mod webhooks;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;

/// The router of every route, with the body limit and request timeout of `state`'s settings.
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.settings.max_body_bytes;
    let timeout = state.settings.request_timeout;
    Router::new()
        .route("/healthz", get(projects::healthz))
        .route("/v1/providers", get(projects::providers))
        .route("/v1/projects/{project}", get(projects::get_project))
        .route(
            "/v1/projects/{project}/connections",
            post(connections::create).get(connections::list),
        )
        .route(
            "/v1/projects/{project}/connections/{connection}",
            get(connections::get).delete(connections::delete),
        )
        .route(
            "/v1/projects/{project}/connections/{connection}/actions/{action}",
            post(actions::invoke),
        )
        .route("/v1/projects/{project}/interactions", get(actions::list_interactions))
        .route(
            "/v1/projects/{project}/interactions/{interaction}",
            get(actions::get_interaction),
        )
        .route(
            "/v1/projects/{project}/interactions/{interaction}/approve",
            post(actions::approve),
        )
        .route(
            "/v1/projects/{project}/interactions/{interaction}/reject",
            post(actions::reject),
        )
        .route(
            "/v1/projects/{project}/approval-policy",
            get(actions::get_policy).put(actions::set_policy),
        )
        .route("/v1/projects/{project}/audit", get(actions::audit))
        .route("/v1/projects/{project}/events", get(events::list))
        .route("/v1/projects/{project}/events/stream", get(events::stream))
        .route(
            "/v1/projects/{project}/triggers",
            post(triggers::create).get(triggers::list),
        )
        .route(
            "/v1/projects/{project}/triggers/{trigger}",
            get(triggers::get).patch(triggers::update).delete(triggers::delete),
        )
        .route(
            "/v1/projects/{project}/triggers/{trigger}/deliveries",
            get(triggers::deliveries),
        )
        .route(
            "/v1/projects/{project}/triggers/{trigger}/replay",
            post(triggers::replay),
        )
        .route(
            "/v1/projects/{project}/deliveries/{delivery}/retry",
            post(triggers::retry),
        )
        .route(
            "/v1/projects/{project}/integrations/providers/{provider}/connect",
            post(oauth::connect),
        )
        .route("/v1/provider/{provider}/callback", get(oauth::callback))
        .route("/v1/provider/{provider}/webhook/events", post(webhooks::platform))
        .route("/v1/hooks/{endpoint_id}", post(webhooks::connection))
        .fallback(projects::not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, timeout))
        // After the layers: MCP limits its own bodies, and a tool call may wait longer than a request
        // (`wait_for_event`, an approval asked of the user).
        .route(crate::mcp::http::PATH, crate::mcp::http::route(&state))
        .with_state(state)
}
