//! Dynamic calls by action id with JSON input, for workflow engines and agents.

use serde_json::Value;

use super::error::ClientError;
use super::redact::scrub;
use super::request::{ActionRequest, ResponseMeta};
use super::rest_client::RestClient;
use spec_core::Action;
use spec_core::check_against_schema;

/// The input member that carries the caller's idempotency key rather than a provider parameter.
pub const IDEMPOTENCY_KEY_FIELD: &str = "idempotency_key";

impl RestClient {
    /// Calls action `action_id` with a JSON input and returns the JSON output.
    ///
    /// The input is checked against the action's input JSON Schema first (nothing is sent when it does
    /// not match; the error names each offending field). The check needs the `schema-check` feature (on
    /// by default); without it the input is sent as given and the provider's error comes back instead. A string member `idempotency_key` becomes the
    /// idempotency header and is not sent as a parameter.
    pub async fn invoke(&self, action_id: &str, input: Value) -> Result<Value, ClientError> {
        self.invoke_with_meta(action_id, input).await.map(|(output, _)| output)
    }

    /// Like [`invoke`](RestClient::invoke), also returning the status, the provider's request id, the
    /// attempts made and the idempotency key sent.
    pub async fn invoke_with_meta(&self, action_id: &str, input: Value) -> Result<(Value, ResponseMeta), ClientError> {
        let action = self.action(action_id)?;
        let (input, key) = split_input(action, input).map_err(|e| scrub(&self.inner.redactor, e))?;
        let mut request: ActionRequest<'_, Value> = ActionRequest::new(self, action, Ok(input));
        if let Some(key) = key {
            request = request.idempotency_key(key);
        }
        request.send_with_meta().await
    }
}

/// Checks `input` against the action's schema and takes out the idempotency key.
pub(crate) fn split_input(action: &Action, mut input: Value) -> Result<(Value, Option<String>), ClientError> {
    let declared = action
        .input
        .schema
        .pointer(&format!("/properties/{IDEMPOTENCY_KEY_FIELD}"))
        .is_some();
    if declared {
        check_input(action, &input)?;
    }
    let key = match input.as_object_mut() {
        Some(obj) if obj.get(IDEMPOTENCY_KEY_FIELD).is_some_and(Value::is_string) => obj
            .remove(IDEMPOTENCY_KEY_FIELD)
            .and_then(|v| v.as_str().map(str::to_owned)),
        _ => None,
    };
    if !declared {
        check_input(action, &input)?;
    }
    Ok((input, key))
}

/// Checks `input` against the action's input schema (skipped while the schema is `null`).
pub(crate) fn check_input(action: &Action, input: &Value) -> Result<(), ClientError> {
    if action.input.schema.is_null() {
        return Ok(());
    }
    check_against_schema(&action.input.schema, input).map_err(|violations| ClientError::InvalidInput {
        action: action.id.clone(),
        violations,
    })
}
