//! The declaration's JSON → the spec-core model → spec-core's validator, with every error placed on the
//! token that caused it. Sections and list items are deserialized one by one so that one compile reports
//! every mistake, not just the first.

use proc_macro2::Span;
use serde::de::DeserializeOwned;
use serde_json::Value;
use spec_core::model::*;

use crate::to_json::Spans;

/// An error to report at a span.
pub(crate) struct Located {
    pub span: Span,
    pub message: String,
}

const TOP_KEYS: &[&str] = &[
    "meta",
    "supported_modes",
    "transports",
    "preferred_transport",
    "supported_auth_methods",
    "version_policy",
    "capabilities",
    "config",
    "secrets",
    "health_check",
    "docs_url",
    "constraints",
    "byok_setup",
    "actions",
    "events",
];

/// Checks one tagged item's body against its variant's struct.
type VariantCheck = for<'c, 'v, 'p> fn(&mut Checker<'c>, &'v Value, &'p str);

struct Checker<'a> {
    spans: &'a Spans,
    errors: Vec<Located>,
}

/// Pulls the backticked field name out of serde's "unknown field `x`" / "duplicate field `x`" messages.
fn quoted_field(msg: &str) -> Option<&str> {
    let rest = msg
        .strip_prefix("unknown field `")
        .or_else(|| msg.strip_prefix("duplicate field `"))
        .or_else(|| msg.strip_prefix("unknown variant `"))?;
    rest.split('`').next()
}

/// serde lists each enum value's Rust-spelling alias next to its canonical name (`ai-llm`, `ai_llm`);
/// keep one spelling per value, the one a declaration writes (underscores).
fn canonical_names_only(msg: &str) -> String {
    let Some((head, list)) = msg.split_once("expected one of ") else {
        return msg.to_string();
    };
    let names: Vec<&str> = list.split(", ").collect();
    let kept: Vec<String> = names
        .iter()
        .filter(|n| !(n.contains('-') && names.contains(&n.replace('-', "_").as_str())))
        .map(|n| n.replace('-', "_"))
        .collect();
    format!("{head}expected one of {}", kept.join(", "))
}

impl Checker<'_> {
    fn push(&mut self, path: &str, message: String) {
        let span = self.spans.value(path);
        self.errors.push(Located { span, message });
    }

    fn de<T: DeserializeOwned>(&mut self, value: &Value, path: &str) {
        if let Err(e) = serde_path_to_error::deserialize::<_, T>(value) {
            let inner = e.path().to_string();
            let full = match (path.is_empty(), inner.as_str()) {
                (_, ".") => path.to_string(),
                (true, p) => p.to_string(),
                (false, p) if p.starts_with('[') => format!("{path}{p}"),
                (false, p) => format!("{path}.{p}"),
            };
            let msg = canonical_names_only(&e.inner().to_string());
            let span = if msg.starts_with("unknown field") || msg.starts_with("duplicate field") {
                quoted_field(&msg).and_then(|f| self.spans.key_of(&full).or_else(|| self.spans.key(&full, f)))
            } else {
                None
            };
            let span = span.unwrap_or_else(|| self.spans.value(&full));
            let shown = if full.is_empty() {
                String::new()
            } else {
                format!("`{full}`: ")
            };
            self.errors.push(Located {
                span,
                message: format!("{shown}{msg}"),
            });
        }
    }

    fn each<T: DeserializeOwned>(&mut self, value: &Value, path: &str) {
        match value.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.de::<T>(item, &format!("{path}[{i}]"));
                }
            }
            None => self.de::<Vec<T>>(value, path),
        }
    }

    /// A tagged list (`transports`, `supported_auth_methods`): check each body against its variant's
    /// struct so that errors keep their full path.
    fn tagged(&mut self, value: &Value, path: &str, variants: &[(&str, VariantCheck)]) {
        let Some(items) = value.as_array() else {
            return self.push(path, format!("`{path}` must be a list `[ … ]`"));
        };
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let tag = item.get("type").and_then(Value::as_str).unwrap_or_default();
            let mut body = item.clone();
            if let Some(m) = body.as_object_mut() {
                m.remove("type");
                m.remove("description");
            }
            match variants
                .iter()
                .find(|(name, _)| *name == tag || name.replace('-', "_") == tag)
            {
                Some((_, check)) => check(self, &body, &p),
                None => {
                    let names: Vec<String> = variants.iter().map(|(n, _)| n.replace('-', "_")).collect();
                    self.push(
                        &format!("{p}.type"),
                        format!("unknown `{tag}`; expected one of {}", names.join(", ")),
                    );
                }
            }
        }
    }
}

fn de_as<T: DeserializeOwned>(c: &mut Checker<'_>, v: &Value, p: &str) {
    c.de::<T>(v, p);
}

/// Builds and validates the spec; returns it, or every error with its span.
pub(crate) fn check(json: &Value, spans: &Spans) -> Result<IntegrationSpec, Vec<Located>> {
    let mut c = Checker {
        spans,
        errors: spans
            .duplicates
            .iter()
            .map(|(span, message)| Located {
                span: *span,
                message: message.clone(),
            })
            .collect(),
    };
    let Some(top) = json.as_object() else {
        return Err(vec![Located {
            span: spans.value(""),
            message: "expected `{ meta: …, … }`".into(),
        }]);
    };
    for (key, value) in top {
        match key.as_str() {
            "meta" => c.de::<Meta>(value, key),
            "supported_modes" => c.each::<Mode>(value, key),
            "transports" => c.tagged(
                value,
                key,
                &[
                    ("rest", de_as::<RestTransport>),
                    ("webhook", de_as::<WebhookTransport>),
                    ("sdk", de_as::<SdkTransport>),
                    ("mcp", de_as::<McpTransport>),
                ],
            ),
            "preferred_transport" => c.de::<TransportKind>(value, key),
            "supported_auth_methods" => c.tagged(
                value,
                key,
                &[
                    ("api-key", de_as::<ApiKeyAuth>),
                    ("oauth2", de_as::<OAuth2Auth>),
                    ("bearer", de_as::<BearerAuth>),
                    ("basic", de_as::<BasicAuth>),
                    ("header", de_as::<HeaderAuth>),
                    ("webhook-signing", de_as::<WebhookSigningAuth>),
                    ("service-account", de_as::<ServiceAccountAuth>),
                ],
            ),
            "version_policy" => c.de::<VersionPolicy>(value, key),
            "capabilities" => c.de::<Capabilities>(value, key),
            "config" | "secrets" => c.de::<TypeSchema>(value, key),
            "health_check" => c.de::<HealthCheck>(value, key),
            "docs_url" => c.de::<String>(value, key),
            "constraints" => c.de::<Constraints>(value, key),
            "byok_setup" => c.de::<ByokSetup>(value, key),
            "actions" => c.each::<Action>(value, key),
            "events" => c.de::<Events>(value, key),
            other => {
                let span = spans.key("", other).unwrap_or_else(|| spans.value(other));
                c.errors.push(Located {
                    span,
                    message: format!("unknown key `{other}`; expected one of {}", TOP_KEYS.join(", ")),
                });
            }
        }
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let spec = match serde_path_to_error::deserialize::<_, IntegrationSpec>(json) {
        Ok(s) => s,
        Err(e) => {
            return Err(vec![Located {
                span: spans.root.unwrap_or_else(Span::call_site),
                message: e.inner().to_string(),
            }]);
        }
    };
    match spec_core::validate(&spec) {
        Ok(()) => Ok(spec),
        Err(errs) => Err(errs
            .into_iter()
            .map(|e| Located {
                span: spans.value(&e.path),
                message: format!("{} ({}, at `{}`)", e.message, e.code, e.path),
            })
            .collect()),
    }
}
