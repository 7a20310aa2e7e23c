//! The params of a call: their digest, the caller's idempotency key, and action id patterns.

use serde_json::Value;
use sha2::{Digest as _, Sha256};
use spec_runtime::client::IDEMPOTENCY_KEY_FIELD;

use crate::error::ApiError;

/// Longest idempotency key accepted (Stripe's limit).
pub const MAX_KEY_LEN: usize = 255;

/// The canonical text of `v`: object members sorted by name, no whitespace.
pub fn canonical(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                if let Some(inner) = m.get(*k) {
                    write_canonical(inner, out);
                }
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, inner) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(inner, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// SHA-256 (hex) of the canonical text of `v`: equal for params equal as JSON values.
pub fn digest(v: &Value) -> String {
    hex(&Sha256::digest(canonical(v).as_bytes()))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The caller's idempotency key: the `Idempotency-Key` header, or the params' `idempotency_key` member (taken
/// out of the params). Both given and different, or a key that is empty, too long or not visible ASCII, is a
/// 400.
pub fn take_key(header: Option<&str>, params: &mut Value) -> Result<Option<String>, ApiError> {
    let member = match params.as_object_mut() {
        Some(obj) => match obj.get(IDEMPOTENCY_KEY_FIELD) {
            Some(Value::String(_)) => obj
                .remove(IDEMPOTENCY_KEY_FIELD)
                .and_then(|v| v.as_str().map(str::to_owned)),
            Some(_) => {
                return Err(ApiError::bad_request(
                    "invalid_idempotency_key",
                    format!("`{IDEMPOTENCY_KEY_FIELD}` must be a string"),
                ));
            }
            None => None,
        },
        None => None,
    };
    let key = match (header, member) {
        (Some(h), Some(m)) if h != m => {
            return Err(ApiError::bad_request(
                "invalid_idempotency_key",
                format!("the Idempotency-Key header and `{IDEMPOTENCY_KEY_FIELD}` differ; send one of them"),
            ));
        }
        (Some(h), _) => Some(h.to_string()),
        (None, m) => m,
    };
    if let Some(k) = &key
        && (k.is_empty() || k.len() > MAX_KEY_LEN || !k.bytes().all(|b| b.is_ascii_graphic()))
    {
        return Err(ApiError::bad_request(
            "invalid_idempotency_key",
            format!("an idempotency key is 1 to {MAX_KEY_LEN} visible ASCII characters"),
        ));
    }
    Ok(key)
}

/// Whether action id `id` matches `pattern`, where `*` matches any run of characters (`stripe.*`).
pub fn matches(pattern: &str, id: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == id;
    };
    let Some(mut rest) = id.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn digests_ignore_member_order_but_not_values() {
        let a = json!({"amount": 100, "meta": {"b": 1, "a": [1, 2]}});
        let b = json!({"meta": {"a": [1, 2], "b": 1}, "amount": 100});
        assert_eq!(super::digest(&a), super::digest(&b));
        assert_ne!(
            super::digest(&a),
            super::digest(&json!({"amount": 101, "meta": {"b": 1, "a": [1, 2]}}))
        );
        assert_ne!(
            super::digest(&a),
            super::digest(&json!({"amount": 100, "meta": {"b": 1, "a": [2, 1]}}))
        );
        assert_eq!(
            super::canonical(&json!({"b": "x\"", "a": null})),
            r#"{"a":null,"b":"x\""}"#
        );
    }

    #[test]
    fn keys_come_from_the_header_or_the_params() {
        let mut p = json!({"amount": 1, "idempotency_key": "k1"});
        assert_eq!(super::take_key(None, &mut p).unwrap().as_deref(), Some("k1"));
        assert_eq!(p, json!({"amount": 1}));
        let mut p = json!({"amount": 1});
        assert_eq!(super::take_key(Some("h"), &mut p).unwrap().as_deref(), Some("h"));
        let mut p = json!({"idempotency_key": "a"});
        assert!(super::take_key(Some("b"), &mut p).is_err());
        let mut p = json!({});
        assert!(super::take_key(Some("with space"), &mut p).is_err());
        assert!(super::take_key(Some(&"x".repeat(256)), &mut p).is_err());
        let mut p = json!({"idempotency_key": 5});
        assert!(super::take_key(None, &mut p).is_err());
    }

    #[test]
    fn patterns_match_action_ids() {
        assert!(super::matches("stripe.refund.create", "stripe.refund.create"));
        assert!(!super::matches("stripe.refund.create", "stripe.refund.created"));
        assert!(super::matches("stripe.*", "stripe.invoice.create"));
        assert!(super::matches("*.create", "stripe.invoice.create"));
        assert!(super::matches("stripe.*.create", "stripe.invoice.create"));
        assert!(!super::matches("stripe.*.create", "stripe.invoice.list"));
        assert!(!super::matches("github.*", "stripe.invoice.create"));
        assert!(super::matches("*", "anything"));
        assert!(!super::matches("a*a", "a"));
    }
}
