//! The one secret redactor: masks credential values in text and JSON that reach errors and logs.
//!
//! Providers sometimes echo a credential back (in an error message, or in a field of the wrong type that
//! a decoder then quotes), so everything taken from a response and every transport or decoder message
//! passes through a [`Redactor`] before it is stored in an error or logged. The REST client scrubs each
//! error it returns with one; the OAuth flow is meant to use the same type for its endpoint errors.

use spec_core::Secret;

/// What a secret value is replaced with.
pub const MASK: &str = "[REDACTED]";

/// Replaces every occurrence of a connection's secret values with [`MASK`].
///
/// Each secret is masked as written, and also in the escaped forms it takes when quoted by Rust's
/// `Debug` (serde's "invalid type: string \"…\"" messages) or inside a JSON string, so a value with a
/// quote, backslash or control character is masked too. `Debug` shows only how many values it holds.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Every form to mask, longest first (so a secret containing another is masked whole).
    forms: Vec<Secret>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor").field("forms", &self.forms.len()).finish()
    }
}

impl Redactor {
    /// A redactor for these values; empty values are ignored.
    pub fn new<S: Into<Secret>>(secrets: impl IntoIterator<Item = S>) -> Self {
        let mut forms: Vec<Secret> = Vec::new();
        for secret in secrets {
            let secret: Secret = secret.into();
            if secret.is_empty() {
                continue;
            }
            let raw = secret.expose();
            let debug = format!("{raw:?}");
            let json = serde_json::to_string(raw).unwrap_or_default();
            for form in [quoted_inner(&debug), quoted_inner(&json)].into_iter().flatten() {
                if form != raw && !form.is_empty() {
                    forms.push(Secret::new(form));
                }
            }
            forms.push(secret);
        }
        forms.sort_by_key(|s| std::cmp::Reverse(s.expose().len()));
        forms.dedup();
        Self { forms }
    }

    /// Whether this redactor masks nothing.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// `text` with every secret value masked.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.forms {
            if out.contains(s.expose()) {
                out = out.replace(s.expose(), MASK);
            }
        }
        out
    }

    /// `text` masked in place (no allocation when it holds no secret).
    pub fn in_place(&self, text: &mut String) {
        if self.forms.iter().any(|s| text.contains(s.expose())) {
            *text = self.text(text);
        }
    }

    /// `value` with every string (keys included) masked.
    pub fn json(&self, value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.text(&s)),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.json(v)).collect()),
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (self.text(&k), self.json(v))).collect()),
            other => other,
        }
    }
}

/// The inside of a `"…"`-quoted string.
fn quoted_inner(quoted: &str) -> Option<&str> {
    quoted.strip_prefix('"')?.strip_suffix('"')
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

    #[test]
    fn masks_the_escaped_forms_decoders_print() {
        let secret = "sk_\"q\\uote\n";
        let r = Redactor::new([secret]);
        // serde's message quotes the value with `Debug` escapes.
        let err = serde_json::from_value::<u32>(serde_json::Value::String(secret.into())).unwrap_err();
        let text = r.text(&err.to_string());
        assert!(
            text.contains(MASK) && !text.contains("q\\\\uote") && !text.contains("uote"),
            "{text}"
        );
        // A body excerpt holds the JSON-escaped form.
        let body = serde_json::json!({"key": secret}).to_string();
        assert_eq!(r.text(&body), r#"{"key":"[REDACTED]"}"#);
        assert_eq!(r.text(secret), MASK);
        let mut s = format!("a {secret} b");
        r.in_place(&mut s);
        assert_eq!(s, "a [REDACTED] b");
        assert!(!format!("{r:?}").contains("uote"));
        assert!(Redactor::new(Vec::<Secret>::new()).is_empty());
    }
}
