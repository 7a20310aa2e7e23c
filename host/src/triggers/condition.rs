//! Conditions over the canonical event, written in minijinja's expression language
//! (`event.type == "stripe.invoice.paid" and event.data.amount_paid > 1000`).
//!
//! The expression sees one variable, `event`: the event exactly as the event log and the deliveries show it
//! (`id`, `type`, `connection`, `provider`, `account`, `created`, `livemode`, `object_id`, `object_type`,
//! `data` — the changed object —, `previous_attributes`, `raw` — the provider's delivery —, `received_at`).
//! A missing attribute is undefined (chainable: `event.data.missing.deeper` is undefined, not an error), and an
//! undefined value is false. Conditions are checked when a trigger is created and evaluated in Rust when an
//! event fans out, before its delivery row is written: an event whose condition is false gets no row.

use std::sync::LazyLock;

use minijinja::value::{Serde, Value};
use minijinja::{Environment, UndefinedBehavior};

/// Longest condition accepted.
pub const MAX_LEN: usize = 4096;

pub(crate) static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_debug(true);
    env
});

/// Why a condition is not valid, pointing into it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line}, column {column}{}", token.as_deref().map(|t| format!(" (near `{t}`)")).unwrap_or_default())]
pub struct ConditionError {
    /// What is wrong (minijinja's words).
    pub message: String,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
    /// The text at the error, when minijinja names a span.
    pub token: Option<String>,
}

pub(crate) fn located(src: &str, e: &minijinja::Error) -> ConditionError {
    let message = e
        .detail()
        .map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()));
    let range = e.range().filter(|r| r.start <= r.end && src.get(r.clone()).is_some());
    let (line, column) = match &range {
        Some(r) => {
            let before = src.get(..r.start).unwrap_or_default();
            let line = before.matches('\n').count().saturating_add(1);
            let start_of_line = before.rfind('\n').map_or(0, |i| i.saturating_add(1));
            let column = before
                .get(start_of_line..)
                .map_or(0, |s| s.chars().count())
                .saturating_add(1);
            (line, column)
        }
        None => (e.line().unwrap_or(1), 1),
    };
    let token = range
        .and_then(|r| src.get(r))
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(80).collect());
    ConditionError {
        message,
        line,
        column,
        token,
    }
}

/// Checks that `src` is an expression minijinja compiles.
pub fn check(src: &str) -> Result<(), ConditionError> {
    if src.len() > MAX_LEN {
        return Err(ConditionError {
            message: format!("a condition has at most {MAX_LEN} bytes"),
            line: 1,
            column: 1,
            token: None,
        });
    }
    ENV.compile_expression(src).map(|_| ()).map_err(|e| located(src, &e))
}

/// Evaluates `src` with `event` bound to the canonical event; `true` when the result is truthy.
pub fn evaluate(src: &str, event: &serde_json::Value) -> Result<bool, ConditionError> {
    let expr = ENV.compile_expression(src).map_err(|e| located(src, &e))?;
    let ctx = minijinja::context! { event => Value::from(Serde(event)) };
    expr.eval(ctx).map(|v| v.is_true()).map_err(|e| located(src, &e))
}

#[cfg(test)]
mod tests {
    use super::{check, evaluate};

    #[test]
    fn conditions_evaluate_over_the_event() {
        let ev = serde_json::json!({"type": "stripe.invoice.paid", "data": {"amount_paid": 1500}});
        let c = r#"event.type == "stripe.invoice.paid" and event.data.amount_paid > 1000"#;
        assert!(evaluate(c, &ev).unwrap());
        assert!(!evaluate("event.data.amount_paid > 2000", &ev).unwrap());
        assert!(!evaluate("event.data.missing.deeper", &ev).unwrap());
        assert!(evaluate("event.type is startingwith('stripe.')", &ev).unwrap());
    }

    #[test]
    fn bad_conditions_point_at_the_error() {
        let e = check("event.type ==").unwrap_err();
        assert_eq!(e.line, 1);
        let e = check("event.type == \"a\" and\n  event.data.x >> 3").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.column > 1, "{e}");
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
