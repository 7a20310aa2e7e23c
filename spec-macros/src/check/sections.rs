//! Each top-level section deserialized as the model type of its field, so that one compile reports a mistake in
//! every section. Tagged lists (`transports`, `supported_auth_methods`) go item by item, each body as its
//! variant's struct so that errors keep their full path (serde's tagged enums lose it).

use serde_json::{Map, Value};
use spec_core::*;

use super::Checker;
use super::keys::join;

impl Checker<'_> {
    /// Checks the top-level section `key`, whose schema is `schema`.
    pub(super) fn section(&mut self, key: &str, schema: &Value, value: &Value) {
        match key {
            "meta" => self.fit::<Meta>(schema, value, key),
            "supported_modes" => {
                self.each::<Mode>(schema, value, key);
            }
            "transports" => self.tagged::<TransportKind>(schema, value, key, transport),
            "preferred_transport" => self.fit::<TransportKind>(schema, value, key),
            "supported_auth_methods" => self.tagged::<AuthKind>(schema, value, key, auth_method),
            "version_policy" => self.fit::<VersionPolicy>(schema, value, key),
            "capabilities" => self.fit::<Capabilities>(schema, value, key),
            "config" | "secrets" => self.fit::<TypeSchema>(schema, value, key),
            "health_check" => self.fit::<HealthCheck>(schema, value, key),
            "docs_url" => self.fit::<String>(schema, value, key),
            "constraints" => self.fit::<Constraints>(schema, value, key),
            "byok_setup" => self.fit::<ByokSetup>(schema, value, key),
            "actions" => self.partial.actions = self.each::<Action>(schema, value, key),
            "events" => {
                if let Some(events) = self.typed::<Events>(schema, value, key) {
                    self.partial.event_types = events.types;
                }
            }
            // A model field without an arm (a test keeps this list complete): its keys are still checked, and
            // deserializing the whole spec reports the rest.
            _ => self.keys(schema, value, key),
        }
    }

    /// A list of tagged items (`rest { … }`): the tag must name a `K`, and the body fit that variant's struct,
    /// which `body` deserializes.
    fn tagged<K: Spelled>(&mut self, schema: &Value, value: &Value, path: &str, body: fn(&mut Self, K, &Value, &str)) {
        let model = self.model;
        let (Some(items), Some(union)) = (value.as_array(), model.items(schema)) else {
            return self.push(path, format!("`{path}` must be a list `[ … ]`"));
        };
        let Some(tag_key) = model.tag_key(union) else {
            return self.keys(schema, value, path);
        };
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let tag = item.get(tag_key).and_then(Value::as_str).unwrap_or_default();
            let Some(kind) = K::from_name(tag) else {
                let names = K::declared_names().join(", ");
                self.push(&join(&p, tag_key), format!("unknown `{tag}`; expected one of {names}"));
                continue;
            };
            let mut fields: Map<String, Value> = item.as_object().cloned().unwrap_or_default();
            fields.remove(tag_key);
            let before = self.errors.len();
            if let Some(variant) = model.variant(union, tag_key, kind.json_name()) {
                self.object(variant, &fields, &p, Some(tag_key));
            }
            if self.errors.len() == before {
                body(self, kind, &Value::Object(fields), &p);
            }
        }
    }
}

fn transport(c: &mut Checker<'_>, kind: TransportKind, body: &Value, path: &str) {
    match kind {
        TransportKind::Rest => c.fit_de::<RestTransport>(body, path),
        TransportKind::Webhook => c.fit_de::<WebhookTransport>(body, path),
        TransportKind::Sdk => c.fit_de::<SdkTransport>(body, path),
        TransportKind::Mcp => c.fit_de::<McpTransport>(body, path),
    }
}

fn auth_method(c: &mut Checker<'_>, kind: AuthKind, body: &Value, path: &str) {
    match kind {
        AuthKind::ApiKey => c.fit_de::<ApiKeyAuth>(body, path),
        AuthKind::OAuth2 => c.fit_de::<OAuth2Auth>(body, path),
        AuthKind::Bearer => c.fit_de::<BearerAuth>(body, path),
        AuthKind::Basic => c.fit_de::<BasicAuth>(body, path),
        AuthKind::Header => c.fit_de::<HeaderAuth>(body, path),
        AuthKind::WebhookSigning => c.fit_de::<WebhookSigningAuth>(body, path),
        AuthKind::ServiceAccount => c.fit_de::<ServiceAccountAuth>(body, path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ModelSchema, properties};
    use crate::to_json::Spans;

    /// Every field of the model has an arm in `section`: `null` is no valid value of any section, so an arm
    /// reports it, while the fallback (keys only) does not.
    #[test]
    fn every_model_field_is_a_section() {
        let model = ModelSchema::new();
        let spans = Spans::default();
        for (key, schema) in properties(model.root()).unwrap() {
            let mut c = Checker {
                spans: &spans,
                model: &model,
                errors: Vec::new(),
                partial: Default::default(),
            };
            c.section(key, schema, &Value::Null);
            assert!(!c.errors.is_empty(), "no arm for the section `{key}`");
        }
    }
}
