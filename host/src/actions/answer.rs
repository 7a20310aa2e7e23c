//! What a call answers: the action's output with the provider's request id, or an error with the status it
//! maps to. Answers are what stored idempotency repeats, so they are plain data (status, JSON body, headers).

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use spec_runtime::client::{ClientError, ResponseMeta};

use crate::error::ApiError;
use crate::store::StoredAnswer;

/// Response header carrying the provider's request id.
pub const PROVIDER_REQUEST_ID: &str = "provider-request-id";
/// Response header carrying the idempotency key sent to the provider.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Response header set to `true` on an answer repeated from storage.
pub const REPLAYED: &str = "idempotent-replayed";

/// A call's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// HTTP status.
    pub status: StatusCode,
    /// JSON body.
    pub body: Value,
    /// Headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// Whether the answer may be stored under an idempotency key: a success, or the provider's refusal of the
    /// request as sent. Nothing sent (invalid params), a provider that failed or was unreachable, and rate
    /// limits are not stored, so a retry with the key makes the call again.
    pub storable: bool,
    /// The provider's request id.
    pub provider_request_id: Option<String>,
}

impl Answer {
    /// The action's output.
    pub fn output(output: Value, meta: &ResponseMeta) -> Self {
        let mut headers = Vec::new();
        if let Some(id) = &meta.request_id {
            headers.push((PROVIDER_REQUEST_ID.to_string(), id.clone()));
        }
        if let Some(k) = &meta.idempotency_key {
            headers.push((IDEMPOTENCY_KEY.to_string(), k.clone()));
        }
        Self {
            status: StatusCode::OK,
            body: output,
            headers,
            storable: true,
            provider_request_id: meta.request_id.clone(),
        }
    }

    /// An error of the host.
    pub fn error(e: &ApiError) -> Self {
        let mut headers = Vec::new();
        if let Some(secs) = e.retry_after() {
            headers.push(("retry-after".to_string(), secs.to_string()));
        }
        Self {
            status: e.status(),
            body: serde_json::to_value(e.body()).unwrap_or(Value::Null),
            headers,
            storable: false,
            provider_request_id: None,
        }
    }

    /// A failed provider call, mapped to the status the caller should see.
    pub fn client_error(e: &ClientError) -> Self {
        let message = e.to_string();
        let request_id = e.request_id().map(str::to_string);
        let (error, storable) = match e {
            ClientError::InvalidInput { violations, .. } => {
                let list: Vec<Value> = violations
                    .iter()
                    .map(|v| json!({"field": if v.instance_path.is_empty() { "/" } else { &v.instance_path }, "message": v.message}))
                    .collect();
                (
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_params", message)
                        .with_details(json!({ "violations": list })),
                    false,
                )
            }
            ClientError::MissingPathParam { param, .. } => (
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_params", message)
                    .with_details(json!({ "violations": [{"field": format!("/{param}"), "message": "required"}] })),
                false,
            ),
            ClientError::Encode { .. } | ClientError::InvalidIdempotencyKey { .. } => (
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_params", message),
                false,
            ),
            ClientError::Api(api) => {
                let details = json!({
                    "provider_status": api.status,
                    "provider_request_id": api.request_id,
                    "provider_error": api.error.as_ref().map(|p| p.raw.clone()),
                });
                let (status, code, storable) = match api.status {
                    429 => (StatusCode::TOO_MANY_REQUESTS, "provider_rate_limited", false),
                    401 | 403 => (StatusCode::BAD_GATEWAY, "provider_unauthorized", true),
                    409 => (StatusCode::CONFLICT, "provider_conflict", false),
                    s @ 400..=499 => (
                        StatusCode::from_u16(s).unwrap_or(StatusCode::BAD_REQUEST),
                        "provider_rejected",
                        true,
                    ),
                    _ => (StatusCode::BAD_GATEWAY, "provider_failed", false),
                };
                let mut err = ApiError::new(status, code, message).with_details(details);
                if let Some(wait) = api.retry_after {
                    err = err.with_retry_after(wait.as_secs().max(1));
                }
                (err, storable)
            }
            ClientError::Timeout { .. } => (
                ApiError::new(StatusCode::GATEWAY_TIMEOUT, "provider_timeout", message),
                false,
            ),
            ClientError::RateLimited { retry_in, .. } => (
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
                    .with_retry_after(retry_in.as_secs().max(1)),
                false,
            ),
            ClientError::UnknownAction { .. } | ClientError::Unsupported { .. } => {
                (ApiError::new(StatusCode::NOT_FOUND, "unknown_action", message), false)
            }
            _ => (
                ApiError::new(StatusCode::BAD_GATEWAY, "provider_failed", message),
                false,
            ),
        };
        let mut answer = Self::error(&error);
        answer.storable = storable;
        answer.provider_request_id = request_id;
        answer
    }

    /// The answer as stored under an idempotency key.
    pub fn to_stored(&self) -> StoredAnswer {
        let headers: serde_json::Map<String, Value> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        StoredAnswer {
            status: self.status.as_u16(),
            body: self.body.to_string(),
            headers: Value::Object(headers).to_string(),
        }
    }

    /// A stored answer, repeated (with `Idempotent-Replayed: true`).
    pub fn replayed(stored: &StoredAnswer) -> Self {
        let body = serde_json::from_str(&stored.body).unwrap_or(Value::Null);
        let mut headers: Vec<(String, String)> =
            serde_json::from_str::<serde_json::Map<String, Value>>(&stored.headers)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_string())))
                .collect();
        let provider_request_id = headers
            .iter()
            .find(|(k, _)| k == PROVIDER_REQUEST_ID)
            .map(|(_, v)| v.clone());
        headers.push((REPLAYED.to_string(), "true".to_string()));
        Self {
            status: StatusCode::from_u16(stored.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body,
            headers,
            storable: false,
            provider_request_id,
        }
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        for (k, v) in &self.headers {
            if let (Ok(name), Ok(value)) = (HeaderName::try_from(k.as_str()), HeaderValue::from_str(v)) {
                response.headers_mut().insert(name, value);
            }
        }
        response
    }
}
