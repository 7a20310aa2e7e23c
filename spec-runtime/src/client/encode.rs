//! Turning an action and its input into a URL, a query string and a body, per the spec's encoding.

use serde_json::{Map, Value};
use url::Url;

use super::error::ClientError;
use spec_core::{Action, BodyEncoding, HttpMethod};

/// A request ready to send (auth, version and account are added per attempt).
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// HTTP method.
    pub(crate) method: reqwest::Method,
    /// Full URL, query included.
    pub(crate) url: Url,
    /// Encoded body, for methods that carry one.
    pub(crate) body: Option<Body>,
    /// Idempotency key to send, if any.
    pub(crate) idempotency_key: Option<String>,
}

/// An encoded request body.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    /// `Content-Type`.
    pub(crate) content_type: &'static str,
    /// Bytes.
    pub(crate) bytes: Vec<u8>,
}

/// The reqwest method for a spec method.
pub(crate) fn method(m: HttpMethod) -> reqwest::Method {
    match m {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
        HttpMethod::Put => reqwest::Method::PUT,
        HttpMethod::Patch => reqwest::Method::PATCH,
        HttpMethod::Delete => reqwest::Method::DELETE,
    }
}

/// Whether the method sends its parameters in the query string rather than a body.
pub(crate) fn params_in_query(m: HttpMethod) -> bool {
    matches!(m, HttpMethod::Get | HttpMethod::Delete)
}

/// Drops `null`s, and objects and arrays left empty, recursively: form and query encodings have no
/// spelling for "absent" other than leaving the key out (an empty string means "unset" to Stripe).
pub(crate) fn prune(value: Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Object(map) => {
            let map: Map<String, Value> = map.into_iter().filter_map(|(k, v)| prune(v).map(|v| (k, v))).collect();
            (!map.is_empty()).then_some(Value::Object(map))
        }
        Value::Array(items) => {
            let items: Vec<Value> = items.into_iter().filter_map(prune).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        other => Some(other),
    }
}

/// Bracket-nested form / query encoding: `metadata[k]=v`, `items[0][price]=p`, booleans as `true`/`false`.
pub(crate) fn form(params: Map<String, Value>) -> Result<String, String> {
    if params.is_empty() {
        return Ok(String::new());
    }
    let Some(value) = prune(Value::Object(params)) else {
        return Ok(String::new());
    };
    serde_qs::Config::new()
        .max_depth(32)
        .use_form_encoding(false)
        .array_format(serde_qs::ArrayFormat::Indexed)
        .serialize_string(&value)
        .map_err(|e| e.to_string())
}

/// Builds the URL (path parameters substituted and removed from the input), query and body.
pub(crate) fn prepare(
    base: &Url,
    action: &Action,
    encoding: BodyEncoding,
    input: Value,
    idempotency_key: Option<String>,
) -> Result<Prepared, ClientError> {
    let encode_err = |message: String| ClientError::Encode {
        action: action.id.clone(),
        message,
    };
    let mut params = match input {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        other => {
            return Err(encode_err(format!(
                "the input must be a JSON object, not {}",
                json_kind(&other)
            )));
        }
    };
    let mut url = render_path(base, action, &mut params)?;
    let body = if params_in_query(action.method) {
        let query = form(params).map_err(encode_err)?;
        if !query.is_empty() {
            url.set_query(Some(&query));
        }
        None
    } else {
        Some(match encoding {
            BodyEncoding::Form => Body {
                content_type: "application/x-www-form-urlencoded",
                bytes: form(params).map_err(encode_err)?.into_bytes(),
            },
            BodyEncoding::Json => Body {
                content_type: "application/json",
                bytes: serde_json::to_vec(&Value::Object(params)).map_err(|e| encode_err(e.to_string()))?,
            },
        })
    };
    Ok(Prepared {
        method: method(action.method),
        url,
        body,
        idempotency_key,
    })
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `base` joined with the action's path, each `{param}` replaced by the input's field (percent-encoded as
/// a path segment) and that field removed from `params`.
fn render_path(base: &Url, action: &Action, params: &mut Map<String, Value>) -> Result<Url, ClientError> {
    let mut used: Vec<&str> = Vec::new();
    let mut url = base.clone();
    let Ok(mut path) = url.path_segments_mut() else {
        return Err(ClientError::Encode {
            action: action.id.clone(),
            message: "the base URL cannot carry a path".into(),
        });
    };
    path.pop_if_empty();
    for seg in action.path.split('/').filter(|s| !s.is_empty()) {
        if seg.contains('{') {
            path.push(&render_segment(seg, action, params, &mut used)?);
        } else {
            path.push(seg);
        }
    }
    if action.path.len() > 1 && action.path.ends_with('/') {
        path.push("");
    }
    drop(path);
    for name in used {
        params.remove(name);
    }
    Ok(url)
}

fn render_segment<'a>(
    seg: &'a str,
    action: &Action,
    params: &Map<String, Value>,
    used: &mut Vec<&'a str>,
) -> Result<String, ClientError> {
    let mut out = String::new();
    let mut rest = seg;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start + 1..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..start + 1 + len];
        match params.get(name) {
            None | Some(Value::Null) => {
                return Err(ClientError::MissingPathParam {
                    action: action.id.clone(),
                    param: name.to_string(),
                });
            }
            Some(Value::String(s)) if s.is_empty() => {
                return Err(ClientError::MissingPathParam {
                    action: action.id.clone(),
                    param: name.to_string(),
                });
            }
            Some(Value::String(s)) => out.push_str(s),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => out.push_str(&v.to_string()),
            Some(other) => {
                return Err(ClientError::Encode {
                    action: action.id.clone(),
                    message: format!(
                        "path parameter `{name}` must be a string or number, not {}",
                        json_kind(other)
                    ),
                });
            }
        }
        used.push(name);
        rest = &rest[start + 2 + len..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use spec_core::TypeSchema;

    fn action(method: HttpMethod, path: &str) -> Action {
        Action {
            id: "demo.thing.do".into(),
            method_name: "thing_do".into(),
            method,
            path: path.into(),
            input: TypeSchema::named("In"),
            output: TypeSchema::named("Out"),
            mutates: method != HttpMethod::Get,
            idempotent: None,
            high_impact: false,
            destructive: None,
            paginated: false,
            items_field: None,
            item: None,
            permissions: vec![],
            description: String::new(),
        }
    }

    #[test]
    fn stripe_style_form_nesting() {
        let body = form(
            json!({
                "line_items": [{"price": "price_1", "quantity": 2}, {"price": "price_2", "quantity": 1}],
                "metadata": {"order": "A&B 1+1"},
                "recurring": {"interval": "month"},
                "active": false,
                "nickname": null,
                "empty": {},
            })
            .as_object()
            .cloned()
            .unwrap(),
        )
        .unwrap();
        let mut pairs: Vec<&str> = body.split('&').collect();
        pairs.sort_unstable();
        assert_eq!(
            pairs,
            [
                "active=false",
                "line_items[0][price]=price_1",
                "line_items[0][quantity]=2",
                "line_items[1][price]=price_2",
                "line_items[1][quantity]=1",
                "metadata[order]=A%26B+1%2B1",
                "recurring[interval]=month",
            ]
        );
    }

    #[test]
    fn path_params_are_substituted_encoded_and_removed() {
        let base = Url::parse("https://api.example.test/base/").unwrap();
        let p = prepare(
            &base,
            &action(HttpMethod::Get, "/v1/customers/{customer}/items/{n}.json"),
            BodyEncoding::Form,
            json!({"customer": "cus 1/2", "n": 7, "limit": 2}),
            None,
        )
        .unwrap();
        assert_eq!(
            p.url.as_str(),
            "https://api.example.test/base/v1/customers/cus%201%2F2/items/7.json?limit=2"
        );
        assert!(p.body.is_none());
    }

    #[test]
    fn missing_path_param_names_the_field() {
        let base = Url::parse("https://api.example.test").unwrap();
        let err = prepare(
            &base,
            &action(HttpMethod::Post, "/v1/customers/{customer}"),
            BodyEncoding::Json,
            json!({"name": "x"}),
            None,
        )
        .unwrap_err();
        assert!(
            matches!(&err, ClientError::MissingPathParam { param, .. } if param == "customer"),
            "{err}"
        );
    }

    #[test]
    fn json_bodies_keep_nulls_and_remove_path_params() {
        let base = Url::parse("https://api.example.test").unwrap();
        let p = prepare(
            &base,
            &action(HttpMethod::Patch, "/repos/{owner}"),
            BodyEncoding::Json,
            json!({"owner": "o", "milestone": null}),
            None,
        )
        .unwrap();
        let body = p.body.unwrap();
        assert_eq!(body.content_type, "application/json");
        assert_eq!(
            serde_json::from_slice::<Value>(&body.bytes).unwrap(),
            json!({"milestone": null})
        );
        assert_eq!(p.url.as_str(), "https://api.example.test/repos/o");
    }
}
