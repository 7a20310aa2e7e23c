//! Scrubbing credential values out of text that reaches errors and logs.

use spec_core::Secret;

/// Replaces every occurrence of the connection's secret values with `[REDACTED]`.
///
/// Providers sometimes echo a credential back in an error message; everything taken from a response
/// (error fields, body excerpts) and every transport error message passes through here before it is
/// stored in an error or logged.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    secrets: Vec<Secret>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

const MASK: &str = "[REDACTED]";

impl Redactor {
    /// A redactor for these values; empty values are ignored, longest values are replaced first.
    pub(crate) fn new(secrets: impl IntoIterator<Item = Secret>) -> Self {
        let mut secrets: Vec<Secret> = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.expose().len()));
        secrets.dedup();
        Self { secrets }
    }

    /// `text` with every secret value masked.
    pub(crate) fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.expose()) {
                out = out.replace(s.expose(), MASK);
            }
        }
        out
    }

    /// `value` with every string (keys included) masked.
    pub(crate) fn json(&self, value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.text(&s)),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.json(v)).collect()),
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (self.text(&k), self.json(v))).collect()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_secret_in_text_and_json() {
        let r = Redactor::new([
            Secret::new("sk_test_abc"),
            Secret::new("Bearer sk_test_abc"),
            Secret::new(""),
        ]);
        assert_eq!(
            r.text("Invalid key sk_test_abc (Bearer sk_test_abc)"),
            "Invalid key [REDACTED] ([REDACTED])"
        );
        let v = r.json(serde_json::json!({"message": "bad sk_test_abc", "n": 1, "sk_test_abc": ["sk_test_abc"]}));
        assert_eq!(
            v,
            serde_json::json!({"message": "bad [REDACTED]", "n": 1, "[REDACTED]": ["[REDACTED]"]})
        );
    }
}
