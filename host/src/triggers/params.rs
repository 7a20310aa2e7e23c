//! The params of an action target: JSON whose strings may be minijinja templates over `event`, the canonical
//! event conditions see ([`super::condition`]).
//!
//! A string that is one expression and nothing else (`"{{ event.data.customer }}"`) takes the expression's
//! value, so a number stays a number and an object an object; any other string with `{{` is rendered as text
//! (`"refund for {{ event.object_id }}"`); strings without `{{` and every other value are kept as they are.

use minijinja::value::{Serde, Value as Jinja};
use serde_json::{Map, Value};

use super::condition::{ConditionError, ENV, located};

/// Longest template string accepted.
pub const MAX_TEMPLATE: usize = 4096;

/// The expression of a string that is exactly `{{ expr }}`.
fn sole_expression(s: &str) -> Option<&str> {
    let inner = s.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.contains("{{") && !inner.contains("}}")).then_some(inner.trim())
}

fn is_template(s: &str) -> bool {
    s.contains("{{") || s.contains("{%")
}

/// A template that does not compile, with where it is in the params (`/customer`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("target.params{pointer}: {error}")]
pub struct ParamsError {
    /// JSON pointer of the string in the params.
    pub pointer: String,
    /// What is wrong with it.
    pub error: ConditionError,
}

/// Checks that every templated string of `params` compiles.
pub fn check(params: &Value) -> Result<(), ParamsError> {
    walk(params, "", &mut |pointer, s| {
        let fail = |error| ParamsError {
            pointer: pointer.to_string(),
            error,
        };
        if s.len() > MAX_TEMPLATE {
            return Err(fail(ConditionError {
                message: format!("a template has at most {MAX_TEMPLATE} bytes"),
                line: 1,
                column: 1,
                token: None,
            }));
        }
        match sole_expression(s) {
            Some(expr) => ENV
                .compile_expression(expr)
                .map(|_| ())
                .map_err(|e| fail(located(expr, &e))),
            None => ENV.template_from_str(s).map(|_| ()).map_err(|e| fail(located(s, &e))),
        }
    })
}

fn walk(
    v: &Value,
    pointer: &str,
    f: &mut impl FnMut(&str, &str) -> Result<(), ParamsError>,
) -> Result<(), ParamsError> {
    match v {
        Value::String(s) if is_template(s) => f(pointer, s),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(x, &format!("{pointer}/{i}"), f)?;
            }
            Ok(())
        }
        Value::Object(o) => {
            for (k, x) in o {
                walk(x, &format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")), f)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `params` without its templated members (what can be checked against the action's input schema before any
/// event exists), and the names of the top-level members taken out.
pub fn untemplated(params: &Value) -> (Value, Vec<String>) {
    let mut removed = Vec::new();
    let kept = match params {
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, v) in o {
                if has_template(v) {
                    removed.push(k.clone());
                } else {
                    out.insert(k.clone(), v.clone());
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    };
    removed.sort();
    (kept, removed)
}

fn has_template(v: &Value) -> bool {
    match v {
        Value::String(s) => is_template(s),
        Value::Array(a) => a.iter().any(has_template),
        Value::Object(o) => o.values().any(has_template),
        _ => false,
    }
}

/// `params` with every template rendered for `event`; an expression that is undefined for this event is an
/// error naming it (nothing is sent with a hole in it).
pub fn render(params: &Value, event: &Value) -> Result<Value, String> {
    let ctx = minijinja::context! { event => Jinja::from(Serde(event)) };
    render_value(params, &ctx, "")
}

fn render_value(v: &Value, ctx: &Jinja, pointer: &str) -> Result<Value, String> {
    match v {
        Value::String(s) if is_template(s) => {
            if let Some(expr) = sole_expression(s) {
                let compiled = ENV
                    .compile_expression(expr)
                    .map_err(|e| format!("target.params{pointer}: {e}"))?;
                let out = compiled
                    .eval(ctx.clone())
                    .map_err(|e| format!("target.params{pointer}: {e}"))?;
                if out.is_undefined() || out.is_none() {
                    return Err(format!("target.params{pointer}: `{expr}` has no value for this event"));
                }
                serde_json::to_value(&out).map_err(|e| format!("target.params{pointer}: {e}"))
            } else {
                ENV.render_str(s, ctx.clone())
                    .map(Value::String)
                    .map_err(|e| format!("target.params{pointer}: {e}"))
            }
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, x)| render_value(x, ctx, &format!("{pointer}/{i}")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, x) in o {
                out.insert(k.clone(), render_value(x, ctx, &format!("{pointer}/{k}"))?);
            }
            Ok(Value::Object(out))
        }
        other => Ok(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn templates_render_values_and_text() {
        let event = json!({"type": "stripe.invoice.paid", "object_id": "in_1",
                           "data": {"customer": "cus_9", "amount_paid": 1500, "lines": {"n": 2}}});
        let params = json!({
            "customer": "{{ event.data.customer }}",
            "amount": "{{ event.data.amount_paid }}",
            "description": "paid {{ event.object_id }}",
            "metadata": {"source": "trigger", "lines": "{{event.data.lines}}"},
            "fixed": 5
        });
        super::check(&params).unwrap();
        assert_eq!(
            super::render(&params, &event).unwrap(),
            json!({"customer": "cus_9", "amount": 1500, "description": "paid in_1",
                   "metadata": {"source": "trigger", "lines": {"n": 2}}, "fixed": 5})
        );
        let (kept, removed) = super::untemplated(&params);
        assert_eq!(kept, json!({"fixed": 5}));
        assert_eq!(removed, ["amount", "customer", "description", "metadata"]);
    }

    #[test]
    fn errors_name_the_member() {
        let e = super::check(&json!({"a": {"b": "{{ event.data. }}"}})).unwrap_err();
        assert_eq!(e.pointer, "/a/b");
        assert!(e.to_string().starts_with("target.params/a/b: "), "{e}");
        let e = super::render(&json!({"c": "{{ event.data.missing }}"}), &json!({"data": {}})).unwrap_err();
        assert!(e.contains("/c") && e.contains("no value"), "{e}");
    }
}
