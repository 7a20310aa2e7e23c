//! The host's own OpenAPI 3.1 document, generated from the route handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{Modify, OpenApi};

use serde_json::{Map, Value, json};
use spec_core::IntegrationSpec;

use crate::actions::answer::{IDEMPOTENCY_KEY, PROVIDER_REQUEST_ID, REPLAYED};
use crate::actions::call::Interaction;
use crate::error::{ErrorBody, ErrorDetail};
use crate::routes::{actions, connections, events, oauth, projects, triggers, webhooks};

/// Where the document is committed, relative to the workspace root.
pub const COMMITTED_PATH: &str = "generated/host/openapi.json";

/// The licence of the host (SPDX), as the workspace declares it.
const LICENSE: &str = "MIT OR Apache-2.0";

/// The command that writes the committed document.
pub const COMMAND: &str = "cargo run -p host -- openapi";

struct ProjectKey;

impl Modify for ProjectKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        // The project routes need the key; the others say so with an empty requirement (`security(())`).
        openapi.servers = Some(vec![
            utoipa::openapi::ServerBuilder::new()
                .url("http://127.0.0.1:8080")
                .description(Some("`integration-host serve` with its default `--listen`"))
                .build(),
        ]);
        if let Some(license) = openapi.info.license.as_mut() {
            license.identifier = Some(LICENSE.to_string());
        }
        let components = openapi.components.get_or_insert_with(Default::default);
        // Secrets are accepted, never returned (utoipa drops `write_only` on an `Object`-typed field).
        if let Some(RefOr::T(Schema::Object(create))) = components.schemas.get_mut("CreateConnection")
            && let Some(RefOr::T(Schema::Object(secrets))) = create.properties.get_mut("secrets")
        {
            secrets.write_only = Some(true);
        }
        components.add_security_scheme(
            "project_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The project's API key (`ihk_…`), printed once by `integration-host project create`.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "integration-host",
        description = "Projects, connections, durable webhook ingestion and the event log, for every integration the host serves.",
        license(name = "MIT OR Apache-2.0"),
    ),
    paths(
        projects::healthz,
        projects::providers,
        projects::get_project,
        connections::create,
        connections::list,
        connections::get,
        connections::delete,
        oauth::connect,
        oauth::callback,
        events::list,
        events::stream,
        webhooks::platform,
        webhooks::connection,
        actions::list_interactions,
        actions::get_interaction,
        actions::approve,
        actions::reject,
        actions::get_policy,
        actions::set_policy,
        actions::audit,
        triggers::create,
        triggers::list,
        triggers::get,
        triggers::update,
        triggers::delete,
        triggers::deliveries,
        triggers::retry,
        triggers::replay,
    ),
    components(schemas(ErrorBody, ErrorDetail, Interaction)),
    modifiers(&ProjectKey),
    tags(
        (name = "projects", description = "The project of the key"),
        (name = "providers", description = "The served integrations"),
        (name = "connections", description = "Connections to providers; secrets are write-only"),
        (name = "events", description = "The event log"),
        (name = "webhooks", description = "Provider deliveries; acknowledged after they are stored"),
        (name = "interactions", description = "High-impact calls waiting for approval, the approval policy and the audit log"),
        (name = "triggers", description = "Triggers and their signed outbound deliveries (outbox, retries, replay)"),
    ),
)]
struct HostApi;

/// The document as a value.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = HostApi::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

/// Where an action's call route lives, `{project}` and `{connection}` left as parameters.
pub fn action_path(action_id: &str) -> String {
    format!("/v1/projects/{{project}}/connections/{{connection}}/actions/{action_id}")
}

const SCHEMAS: &str = "#/components/schemas/";

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": format!("{SCHEMAS}ErrorBody") } } }
    })
}

/// One operation per action of `specs` on the call route, with the action's own input and output schemas, and
/// the schemas they reference, merged into `doc`.
pub fn add_actions(doc: &mut Value, specs: &[&IntegrationSpec]) {
    let reserved: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let reserved: Vec<&str> = reserved.iter().map(String::as_str).collect();
    let named = codegen::action_schemas::action_schemas(specs, SCHEMAS, &reserved);
    let mut paths = Map::new();
    let mut tags = Vec::new();
    let refs = specs.iter().flat_map(|s| s.actions.iter().map(move |a| (*s, a)));
    for ((spec, action), r) in refs.zip(&named.actions) {
        let mut parameters = vec![
            json!({"name": "project", "in": "path", "required": true, "schema": {"type": "string"}, "description": "Project id"}),
            json!({"name": "connection", "in": "path", "required": true, "schema": {"type": "string"},
                   "description": format!("Id of a `{}` connection of the project", spec.provider_id())}),
        ];
        let mut responses = Map::new();
        let replay_headers = json!({
            PROVIDER_REQUEST_ID: { "description": "The provider's request id", "schema": { "type": "string" } },
            IDEMPOTENCY_KEY: { "description": "The idempotency key sent to the provider", "schema": { "type": "string" } },
            REPLAYED: { "description": "`true` when the answer is the stored answer of an earlier call with the same key", "schema": { "type": "string" } },
        });
        responses.insert(
            "200".into(),
            json!({
                "description": "The action's output",
                "headers": replay_headers,
                "content": { "application/json": { "schema": { "$ref": r.output } } }
            }),
        );
        let mut description = if action.description.is_empty() {
            format!("Calls `{}` on the connection.", action.id)
        } else {
            action.description.clone()
        };
        if action.mutates {
            parameters.push(json!({
                "name": "Idempotency-Key", "in": "header", "required": false,
                "schema": { "type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$" },
                "description": "Sent to the provider; the answer is stored for 24 h and repeated for a retry with the same key and params"
            }));
            description.push_str(
                "\n\nA write: with an `Idempotency-Key` the answer is stored for 24 h; the same key with other params is a 422.",
            );
            responses.insert(
                "409".into(),
                error_response(
                    "The first request with this idempotency key is still running, or the provider reports a conflict",
                ),
            );
        }
        if action.high_impact {
            description.push_str(
                "\n\nHigh impact: unless the project's approval policy auto-approves it, the call answers 202 with a pending interaction and is sent once a person approves it.",
            );
            responses.insert(
                "202".into(),
                json!({
                    "description": "Waiting for approval",
                    "content": { "application/json": { "schema": { "$ref": format!("{SCHEMAS}Interaction") } } }
                }),
            );
        }
        for (code, what) in [
            ("400", "The body is not JSON, or a bad idempotency key"),
            ("401", "No or an unknown key"),
            (
                "404",
                "Not this key's project, no such connection, or the connection's integration has no such action",
            ),
            (
                "422",
                "The params do not match the action's input schema (`details.violations` names each field), or the idempotency key was used for other params",
            ),
            (
                "429",
                "The provider or the client-side rate limit refused the call; see `Retry-After`",
            ),
            (
                "502",
                "The provider failed, refused the connection's credentials, or could not be reached",
            ),
            ("504", "The provider did not answer in time"),
        ] {
            responses.insert(code.into(), error_response(what));
        }
        let mut op = json!({
            "operationId": format!("{}_{}", spec.provider_id(), action.method_name),
            "summary": format!("{} ({})", action.id, action.method),
            "description": description,
            "tags": [format!("{} actions", spec.provider_id())],
            "parameters": parameters,
            "requestBody": {
                "required": false,
                "content": { "application/json": { "schema": { "$ref": r.input } } }
            },
            "responses": responses,
            "security": [{ "project_key": [] }],
            "x-action-id": action.id,
        });
        if let Some(o) = op.as_object_mut() {
            o.insert("x-high-impact".into(), action.high_impact.into());
            o.insert("x-mutates".into(), action.mutates.into());
        }
        paths.insert(action_path(&action.id), json!({ "post": op }));
        let tag = format!("{} actions", spec.provider_id());
        if !tags.iter().any(|(t, _): &(String, String)| *t == tag) {
            tags.push((
                tag,
                format!("The actions of {} connections ({})", spec.meta.title, spec.meta.key),
            ));
        }
    }
    if let Some(p) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        p.extend(paths);
    }
    if let Some(s) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        s.extend(named.schemas);
    }
    if let Some(t) = doc.get_mut("tags").and_then(Value::as_array_mut) {
        t.extend(
            tags.into_iter()
                .map(|(name, description)| json!({"name": name, "description": description})),
        );
    }
}

/// The whole document as JSON: the fixed routes and one operation per action of every built-in integration.
pub fn document_value() -> Result<Value, serde_json::Error> {
    let mut doc = serde_json::to_value(document())?;
    add_actions(&mut doc, &integrations::all());
    Ok(doc)
}

/// The document as committed: pretty JSON whose first member says it is generated and by which command.
pub fn render() -> Result<String, serde_json::Error> {
    let body = document_value()?;
    let pretty = serde_json::to_string_pretty(&body)?;
    let note = serde_json::to_string(&format!(
        "Generated by `{COMMAND}` from the host's route handlers; do not edit by hand."
    ))?;
    let rest = pretty.strip_prefix('{').unwrap_or(&pretty);
    Ok(format!("{{\n  \"x-comment\": {note},{rest}\n"))
}
