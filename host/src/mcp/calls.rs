//! A tool call through the actions API ([`call::call`]): the idempotency key of a write, the approval of a
//! high-impact call, and the answer as a tool result.

use rmcp::model::{
    CallToolResult, ContentBlock, ElicitRequestParams, ElicitationAction, ElicitationSchema, JsonObject,
};
use rmcp::{Peer, RoleServer};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use spec_runtime::client::IDEMPOTENCY_KEY_FIELD;

use super::tools::ActionTool;
use crate::actions::call;
use crate::actions::params;
use crate::auth::Caller;
use crate::state::AppState;

/// How long a client has to answer an approval request.
pub const ELICITATION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// The idempotency key a write is sent with when the caller gives none: `mcp-` and the hex SHA-256 of the
/// project, connection, action and canonical params, so the same call repeated is the same write.
pub fn derived_key(project_id: &str, connection_id: &str, action_id: &str, params: &Value) -> String {
    let mut h = Sha256::new();
    for part in [project_id, connection_id, action_id] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.update(params::canonical(params).as_bytes());
    format!("mcp-{}", params::hex(&h.finalize()))
}

/// Calls `tool` with `arguments` as `caller`; `peer` is asked to approve a high-impact call when it declared
/// the elicitation capability.
pub async fn call_tool(
    state: &AppState,
    caller: &Caller,
    tool: &ActionTool,
    arguments: Option<JsonObject>,
    peer: &Peer<RoleServer>,
) -> CallToolResult {
    let params = Value::Object(arguments.unwrap_or_default());
    let own_key = params.get(IDEMPOTENCY_KEY_FIELD).is_some();
    let derived = (tool.action.mutates && !own_key)
        .then(|| derived_key(&caller.project.id, &tool.connection.id, &tool.action.id, &params));
    let answer = call::call(
        state,
        caller,
        &tool.connection.id,
        &tool.action.id,
        derived.as_deref(),
        params,
    )
    .await;
    match answer.status.as_u16() {
        200..=299 if answer.status != axum::http::StatusCode::ACCEPTED => {
            output(answer.body, tool.output_field.as_deref())
        }
        202 => {
            // A repeated call replays the stored answer: the interaction as it was first created.
            let current = match call::get(state, caller, member(&answer.body, "id")).await {
                Ok(i) => serde_json::to_value(i).unwrap_or(answer.body),
                Err(_) => answer.body,
            };
            match status(&current) {
                "pending" if asks(peer) => decide(state, caller, tool, &current, peer).await,
                "pending" => waiting(&caller.project.id, &current),
                _ => finished(&current, tool.output_field.as_deref()),
            }
        }
        _ => failure(&answer.body),
    }
}

/// The action's output: `structuredContent` (wrapped as `{field: output}` where the tool says) and the JSON
/// as text.
fn output(body: Value, field: Option<&str>) -> CallToolResult {
    match field {
        Some(f) => {
            let text = body.to_string();
            let mut r = CallToolResult::structured(json!({ f: body }));
            r.content = vec![ContentBlock::text(text)];
            r
        }
        None if body.is_object() => CallToolResult::structured(body),
        None => CallToolResult::success(vec![ContentBlock::text(body.to_string())]),
    }
}

/// An error answer as an error result: the message with each invalid field, then the error body.
fn failure(body: &Value) -> CallToolResult {
    let error = body.get("error").unwrap_or(body);
    let mut text = error
        .get("message")
        .and_then(Value::as_str)
        .map_or_else(|| body.to_string(), str::to_string);
    if let Some(violations) = error.pointer("/details/violations").and_then(Value::as_array) {
        for v in violations {
            let field = v.get("field").and_then(Value::as_str).unwrap_or("/");
            let message = v.get("message").and_then(Value::as_str).unwrap_or_default();
            text.push_str(&format!("\n- {field}: {message}"));
        }
    }
    unexecuted(text, body)
}

/// An error result: `message`, then `details` as JSON text. Not `structuredContent`: clients check that
/// against the tool's output schema, error or not.
fn unexecuted(message: String, details: &Value) -> CallToolResult {
    CallToolResult::error(vec![
        ContentBlock::text(message),
        ContentBlock::text(details.to_string()),
    ])
}

/// An interaction's status (`pending`, `succeeded`, …).
fn status(i: &Value) -> &str {
    i.get("status").and_then(Value::as_str).unwrap_or_default()
}

/// A member of an interaction as text.
fn member<'a>(i: &'a Value, name: &str) -> &'a str {
    i.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// A pending interaction: not executed; says how to approve it, then gives the interaction and the approve and
/// reject routes as JSON.
fn waiting(project_id: &str, i: &Value) -> CallToolResult {
    let id = member(i, "id");
    let approve = format!("/v1/projects/{project_id}/interactions/{id}/approve");
    let reject = format!("/v1/projects/{project_id}/interactions/{id}/reject");
    let text = format!(
        "Not executed: `{}` is high impact and waits for a person's approval as interaction `{id}` (until Unix \
         time {}). Approve it with POST {approve} (or reject it with POST {reject}) and the project's key; \
         calling this tool again with the same arguments then answers the outcome.",
        member(i, "action"),
        i.get("expires_at").unwrap_or(&Value::Null)
    );
    let body = json!({
        "interaction": i,
        "approve": {"method": "POST", "path": approve},
        "reject": {"method": "POST", "path": reject},
    });
    unexecuted(text, &body)
}

/// A decided interaction: its result, or why there is none.
fn finished(i: &Value, field: Option<&str>) -> CallToolResult {
    match (status(i), i.get("result").filter(|r| !r.is_null())) {
        ("succeeded", Some(result)) => output(result.clone(), field),
        ("failed", Some(result)) => failure(result),
        ("approved", _) => {
            let message = format!(
                "Interaction `{}` is approved and running; call again with the same arguments for its outcome.",
                member(i, "id")
            );
            unexecuted(message, &json!({ "interaction": i }))
        }
        (status, _) => {
            let message = format!("Not executed: interaction `{}` is {status}.", member(i, "id"));
            unexecuted(message, &json!({ "interaction": i }))
        }
    }
}

/// The member of the approval form: `true` approves, `false` rejects.
const APPROVE_FIELD: &str = "approve";

/// Whether the client can be asked to approve.
fn asks(peer: &Peer<RoleServer>) -> bool {
    peer.supported_elicitation_modes()
        .contains(&rmcp::service::ElicitationMode::Form)
}

/// Asks the client to approve interaction `i`: accepted with `approve: true` approves and runs it; `false`,
/// decline or cancel rejects it. A failed request (no answer in time) leaves it pending.
async fn decide(
    state: &AppState,
    caller: &Caller,
    tool: &ActionTool,
    i: &Value,
    peer: &Peer<RoleServer>,
) -> CallToolResult {
    let id = member(i, "id");
    let message = format!(
        "`{}` on connection `{}` is high impact. Run it with these params?\n{}",
        member(i, "action"),
        tool.connection.name,
        serde_json::to_string_pretty(i.get("params").unwrap_or(&Value::Null)).unwrap_or_default()
    );
    let schema = ElicitationSchema::builder()
        .required_bool(APPROVE_FIELD)
        .description("Approve (true) or reject (false) the call")
        .build();
    let request = match schema {
        Ok(s) => ElicitRequestParams::FormElicitationParams {
            meta: None,
            message,
            requested_schema: s,
        },
        Err(e) => {
            tracing::warn!(error = %e, "no elicitation schema; the interaction stays pending");
            return waiting(&caller.project.id, i);
        }
    };
    let answer = match peer
        .create_elicitation_with_timeout(request, Some(ELICITATION_TIMEOUT))
        .await
    {
        Ok(a) => a,
        Err(e) => {
            tracing::info!(error = %e, interaction = %id, "approval request failed; the interaction stays pending");
            return waiting(&caller.project.id, i);
        }
    };
    let approved = answer.action == ElicitationAction::Accept
        && answer
            .content
            .as_ref()
            .and_then(|c| c.get(APPROVE_FIELD))
            .and_then(Value::as_bool)
            == Some(true);
    let decided = if approved {
        call::approve(state, caller, id).await
    } else {
        call::reject(state, caller, id).await
    };
    match decided {
        Ok(done) => finished(
            &serde_json::to_value(done).unwrap_or(Value::Null),
            tool.output_field.as_deref(),
        ),
        Err(e) => failure(&serde_json::to_value(e.body()).unwrap_or(Value::Null)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn derived_keys_follow_the_call_not_the_member_order() {
        let a = super::derived_key(
            "p",
            "c",
            "stripe.refund.create",
            &json!({"charge": "ch_1", "amount": 5}),
        );
        let b = super::derived_key(
            "p",
            "c",
            "stripe.refund.create",
            &json!({"amount": 5, "charge": "ch_1"}),
        );
        assert_eq!(a, b);
        assert!(a.starts_with("mcp-") && a.len() == 68, "{a}");
        assert_ne!(
            a,
            super::derived_key(
                "p",
                "c2",
                "stripe.refund.create",
                &json!({"charge": "ch_1", "amount": 5})
            )
        );
        assert_ne!(
            a,
            super::derived_key(
                "p",
                "c",
                "stripe.refund.create",
                &json!({"charge": "ch_1", "amount": 6})
            )
        );
    }

    #[test]
    fn outputs_are_structured_wrapped_where_the_tool_says() {
        let list = json!([{"number": 1}]);
        let r = super::output(list.clone(), Some("value"));
        assert_eq!(r.structured_content, Some(json!({"value": list})));
        assert_eq!(r.content[0].as_text().unwrap().text, list.to_string());
        let obj = json!({"id": "cus_1"});
        let r = super::output(obj.clone(), None);
        assert_eq!((r.structured_content, r.is_error), (Some(obj), Some(false)));
    }

    #[test]
    fn invalid_params_name_the_field() {
        let body = json!({"error": {"code": "invalid_params", "message": "bad params",
            "details": {"violations": [{"field": "/amount", "message": "not an integer"}]}}});
        let r = super::failure(&body);
        assert_eq!(r.is_error, Some(true));
        let text = r.content[0].as_text().unwrap().text.clone();
        assert!(text.contains("/amount: not an integer"), "{text}");
        assert_eq!(
            r.structured_content, None,
            "checked against the output schema by clients"
        );
    }
}
