//! The protocol handler: tools, calls and event resources of the authenticated project.

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, ListResourceTemplatesResult, ListResourcesResult,
    ListToolsResult, PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult,
    ResourceContents, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};

use super::{calls, events, tools};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// The MCP server of one host. Over stdio it serves the project it was started for; over HTTP each request
/// carries the [`Caller`] its key authenticated (in the request's extensions).
#[derive(Clone)]
pub struct McpServer {
    state: Arc<AppState>,
    caller: Option<Caller>,
}

impl std::fmt::Debug for McpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpServer")
            .field("project", &self.caller.as_ref().map(|c| &c.project.id))
            .finish_non_exhaustive()
    }
}

impl McpServer {
    /// A server for the HTTP route: the caller is read from each request.
    pub fn per_request(state: Arc<AppState>) -> Self {
        Self { state, caller: None }
    }

    /// A server for `caller`'s project (stdio).
    pub fn for_caller(state: Arc<AppState>, caller: Caller) -> Self {
        Self {
            state,
            caller: Some(caller),
        }
    }

    fn caller(&self, context: &RequestContext<RoleServer>) -> Result<Caller, ErrorData> {
        if let Some(c) = &self.caller {
            return Ok(c.clone());
        }
        context
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<Caller>())
            .cloned()
            .ok_or_else(|| ErrorData::internal_error("the request carries no authenticated project", None))
    }
}

fn internal(e: &ApiError) -> ErrorData {
    ErrorData::internal_error(e.message().to_string(), None)
}

fn to_tool(definition: Value) -> Result<Tool, ErrorData> {
    serde_json::from_value(definition)
        .map_err(|e| ErrorData::internal_error(format!("a tool definition does not parse: {e}"), None))
}

fn text_resource(uri: &str, value: &Value) -> ReadResourceResult {
    ReadResourceResult::new(vec![ResourceContents::TextResourceContents {
        uri: uri.to_string(),
        mime_type: Some("application/json".into()),
        text: value.to_string(),
        meta: None,
    }])
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().enable_resources().build())
            .with_server_info(Implementation::new("integration-host", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Tools call the actions of the project's connections (one per action and connection). A high \
                 impact call waits for a person's approval. `wait_for_event` waits for the next event of a \
                 type; the resource events://recent lists the last events.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let caller = self.caller(&context)?;
        let served = tools::project_tools(&self.state, &caller.project.id)
            .await
            .map_err(|e| internal(&e))?;
        let mut out = Vec::with_capacity(served.len() + 1);
        for t in served {
            out.push(to_tool(t.definition())?);
        }
        out.push(to_tool(events::wait_tool())?);
        Ok(ListToolsResult::with_all_items(out))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let caller = self.caller(&context)?;
        if request.name == events::WAIT_TOOL {
            let args = request.arguments.unwrap_or_default();
            return Ok(events::wait(&self.state, &caller.project.id, &args).await.into());
        }
        let served = tools::project_tools(&self.state, &caller.project.id)
            .await
            .map_err(|e| internal(&e))?;
        let Some(tool) = served.iter().find(|t| t.name == request.name) else {
            return Err(ErrorData::invalid_params(
                format!("no tool `{}`; tools/list names the project's tools", request.name),
                None,
            ));
        };
        Ok(
            calls::call_tool(&self.state, &caller, tool, request.arguments, &context.peer)
                .await
                .into(),
        )
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        self.caller(&context)?;
        let recent = serde_json::from_value(json!({
            "uri": events::RECENT_URI,
            "name": "recent-events",
            "title": "Recent events",
            "description": format!("The project's last {} events, oldest first", events::RECENT),
            "mimeType": "application/json"
        }))
        .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        Ok(ListResourcesResult::with_all_items(vec![recent]))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        self.caller(&context)?;
        let one = serde_json::from_value(json!({
            "uriTemplate": format!("{}{{seq}}", events::EVENT_URI_PREFIX),
            "name": "event",
            "title": "One event",
            "description": "An event of the project by its seq (events://recent lists each event's uri)",
            "mimeType": "application/json"
        }))
        .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        Ok(ListResourceTemplatesResult::with_all_items(vec![one]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let caller = self.caller(&context)?;
        let project = &caller.project.id;
        let uri = request.uri.as_str();
        if uri == events::RECENT_URI {
            let list = events::recent(&self.state, project).await.map_err(|e| internal(&e))?;
            return Ok(text_resource(uri, &Value::Array(list)).into());
        }
        let not_found = || ErrorData::resource_not_found(format!("no resource `{uri}`"), None);
        let seq = uri
            .strip_prefix(events::EVENT_URI_PREFIX)
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|s| *s > 0)
            .ok_or_else(not_found)?;
        let event = events::one(&self.state, project, seq)
            .await
            .map_err(|e| internal(&e))?
            .ok_or_else(not_found)?;
        Ok(text_resource(uri, &event).into())
    }
}
