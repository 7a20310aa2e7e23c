use serde_json::Value;

use super::EnvSource;
use spec_core::Secret;

/// A credential template could not be resolved. Never carries a resolved value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// `{{env.NAME}}` names a variable that is unset or empty.
    #[error("environment variable {name} is not set (referenced as `{{{{env.{name}}}}}`{})", at(.path))]
    MissingVariable {
        /// Variable name.
        name: String,
        /// Where the template sits in a JSON document (`credentials.stripe.secretKey`); empty for text.
        path: String,
    },
    /// `{{` without a closing `}}`.
    #[error("unterminated `{{{{` in a credential template{}", at(.path))]
    Unterminated {
        /// Where the template sits in a JSON document; empty for text.
        path: String,
    },
    /// A template other than `{{env.NAME}}`; credentials can only come from the environment.
    #[error("unsupported credential template `{{{{{expression}}}}}`; only `{{{{env.NAME}}}}` is allowed{}", at(.path))]
    Unsupported {
        /// The expression between the braces.
        expression: String,
        /// Where the template sits in a JSON document; empty for text.
        path: String,
    },
}

fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" at `{path}`")
    }
}

fn is_var_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn resolve_at<E: EnvSource + ?Sized>(text: &str, env: &E, path: &str) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| TemplateError::Unterminated { path: path.to_string() })?;
        let expression = after[..end].trim();
        let name = expression
            .strip_prefix("env.")
            .filter(|n| is_var_name(n))
            .ok_or_else(|| TemplateError::Unsupported {
                expression: expression.to_string(),
                path: path.to_string(),
            })?;
        let value = env.non_empty(name).ok_or_else(|| TemplateError::MissingVariable {
            name: name.to_string(),
            path: path.to_string(),
        })?;
        out.push_str(&value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Replaces every `{{env.NAME}}` in `text` with the variable's value (spaces inside the braces are
/// allowed). An unset or empty variable is an error naming it.
pub fn resolve_template<E: EnvSource + ?Sized>(text: &str, env: &E) -> Result<String, TemplateError> {
    resolve_at(text, env, "")
}

/// [`resolve_template`] for a credential, wrapped as a [`Secret`].
pub fn resolve_secret<E: EnvSource + ?Sized>(text: &str, env: &E) -> Result<Secret, TemplateError> {
    resolve_template(text, env).map(Secret::new)
}

/// Resolves the templates in every string of a JSON credentials document
/// (`{"stripe": {"secretKey": "{{env.STRIPE_SECRET_KEY}}"}}`); errors carry the JSON path.
/// Deserialize the result into a type whose credential fields are [`Secret`]s.
pub fn resolve_json<E: EnvSource + ?Sized>(value: &Value, env: &E) -> Result<Value, TemplateError> {
    walk(value, env, &mut String::new())
}

fn walk<E: EnvSource + ?Sized>(value: &Value, env: &E, path: &mut String) -> Result<Value, TemplateError> {
    Ok(match value {
        Value::String(s) => Value::String(resolve_at(s, env, path)?),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                out.push(walk(item, env, path)?);
                path.truncate(len);
            }
            Value::Array(out)
        }
        Value::Object(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (key, item) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                out.insert(key.clone(), walk(item, env, path)?);
                path.truncate(len);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}
