//! Triggers: which events (type patterns, a connection, a condition) go to which target.
//!
//! | module | holds |
//! |---|---|
//! | [`model`] | the target kinds and the statuses of triggers and deliveries |
//! | [`patterns`] | `*` type patterns, the event log filter's semantics |
//! | [`condition`] | conditions over the canonical event, in minijinja's expression language |
//! | [`params`] | the templated params of action targets |
//! | [`secret`] | the `whsec_…` signing secrets of HTTP targets |

pub mod condition;
pub mod model;
pub mod params;
pub mod patterns;
pub mod secret;

pub use model::{DeliveryStatus, Target, TriggerStatus};

/// What a trigger matches, as fan-out and replay read it.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Type patterns; an event matches when one of them does.
    pub event_types: Vec<String>,
    /// Only this connection's events.
    pub connection_id: Option<String>,
    /// A condition over the canonical event.
    pub condition: Option<String>,
}

impl Matcher {
    /// Whether the event of type `event_type`, for `connection_id`, canonically `event`, matches. A condition
    /// that fails to evaluate (a type error) does not match; the failure is logged.
    pub fn matches(&self, event_type: &str, connection_id: &str, event: &serde_json::Value) -> bool {
        if self.connection_id.as_deref().is_some_and(|c| c != connection_id) {
            return false;
        }
        if !self.event_types.iter().any(|p| patterns::matches(p, event_type)) {
            return false;
        }
        match &self.condition {
            None => true,
            Some(c) => match condition::evaluate(c, event) {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(error = %e, "a trigger condition failed to evaluate; the event does not match");
                    false
                }
            },
        }
    }
}
