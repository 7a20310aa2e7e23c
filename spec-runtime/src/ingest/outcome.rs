//! What happened to a delivery, and the HTTP answer for it.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::resolver::ConnectionId;
use crate::event::EventError;
use crate::webhook::WebhookError;

/// The result of ingesting one delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The event was handed to the application.
    Delivered {
        /// The event id.
        event_id: String,
        /// The connection it was delivered for.
        connection: ConnectionId,
    },
    /// The event had been delivered before; acknowledged, not handed on again.
    Duplicate {
        /// The event id.
        event_id: String,
        /// The connection it belongs to.
        connection: ConnectionId,
    },
    /// A verified URL-verification handshake, as the envelope declares it (Slack's `url_verification`); the
    /// challenge is echoed back and nothing is delivered.
    Challenge(String),
    /// The delivery was refused.
    Rejected(Rejection),
}

/// Why a delivery was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// The body exceeds the limit (413).
    #[error("the body is over the {limit}-byte limit")]
    BodyTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The body could not be read (400).
    #[error("the body could not be read")]
    UnreadableBody,
    /// Verification failed (400; 413 for [`WebhookError::BodyTooLarge`]).
    #[error(transparent)]
    Signature(#[from] WebhookError),
    /// The verified body is not an event (400).
    #[error(transparent)]
    InvalidEvent(#[from] EventError),
    /// The event's account is not connected (404).
    #[error("the event's account is not connected")]
    UnknownAccount,
    /// The event has no account and no platform connection is configured (404).
    #[error("the event has no account and no platform connection is configured")]
    NoAccount,
    /// Another copy of the event is being delivered and did not finish in time (409 with `Retry-After`); the
    /// provider will retry, and the retry is acknowledged once the first copy is delivered.
    #[error("another copy of the event is being delivered")]
    InFlight {
        /// The pause asked of the provider (sent as `Retry-After`, in whole seconds).
        retry_after: std::time::Duration,
    },
    /// The resolver or the consumer failed (503); the provider will retry.
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
}

impl Rejection {
    /// The HTTP status answered.
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::BodyTooLarge { .. } | Rejection::Signature(WebhookError::BodyTooLarge { .. }) => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            Rejection::UnreadableBody | Rejection::Signature(_) | Rejection::InvalidEvent(_) => StatusCode::BAD_REQUEST,
            Rejection::UnknownAccount | Rejection::NoAccount => StatusCode::NOT_FOUND,
            Rejection::InFlight { .. } => StatusCode::CONFLICT,
            Rejection::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// A stable snake_case name, sent as `error` in the response body.
    pub fn kind(&self) -> &'static str {
        match self {
            Rejection::BodyTooLarge { .. } => "body_too_large",
            Rejection::UnreadableBody => "unreadable_body",
            Rejection::Signature(e) => e.kind(),
            Rejection::InvalidEvent(_) => "invalid_event",
            Rejection::UnknownAccount => "unknown_account",
            Rejection::NoAccount => "no_account",
            Rejection::InFlight { .. } => "in_flight",
            Rejection::Unavailable(_) => "unavailable",
        }
    }
}

impl Outcome {
    /// The HTTP status answered.
    pub fn status(&self) -> StatusCode {
        match self {
            Outcome::Delivered { .. } | Outcome::Duplicate { .. } | Outcome::Challenge(_) => StatusCode::OK,
            Outcome::Rejected(r) => r.status(),
        }
    }
}

impl IntoResponse for Outcome {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            Outcome::Delivered { event_id, .. } => json!({"received": true, "duplicate": false, "event_id": event_id}),
            Outcome::Duplicate { event_id, .. } => json!({"received": true, "duplicate": true, "event_id": event_id}),
            Outcome::Challenge(challenge) => json!({"challenge": challenge}),
            // Internal failures are not described to the caller.
            Outcome::Rejected(r @ Rejection::Unavailable(_)) => json!({"error": r.kind()}),
            Outcome::Rejected(r) => json!({"error": r.kind(), "message": r.to_string()}),
        };
        let mut response = (status, Json(body)).into_response();
        if let Outcome::Rejected(Rejection::InFlight { retry_after }) = &self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after.as_secs().max(1)));
        }
        response
    }
}
