//! The model's own JSON Schema (schemars, generated once per compiler process), the one source of the names the
//! macro checks against: the properties of every struct (listed as the published schema lists them, by name),
//! and, through [`Spelled`], both spellings of every enum value (the schema holds only the JSON one).

use std::collections::HashMap;

use schemars::JsonSchema;
use serde_json::{Map, Value};
use spec_core::*;

/// The spec's schema and the names of its enums.
pub(crate) struct ModelSchema {
    root: Value,
    enums: HashMap<String, EnumNames>,
}

/// Every value of one enum: (JSON spelling, declared spelling).
pub(crate) struct EnumNames(Vec<(&'static str, &'static str)>);

impl EnumNames {
    fn of<E: Spelled + JsonSchema>() -> (String, Self) {
        let values = E::values().iter().map(|v| (v.json_name(), v.declared_name()));
        (E::schema_name().into_owned(), EnumNames(values.collect()))
    }

    /// Whether `name` spells a value, in either spelling.
    pub fn accepts(&self, name: &str) -> bool {
        self.0.iter().any(|(json, declared)| *json == name || *declared == name)
    }

    /// The spellings a declaration writes, in declaration order.
    pub fn declared(&self) -> Vec<&'static str> {
        self.0.iter().map(|(_, declared)| *declared).collect()
    }
}

impl ModelSchema {
    /// The schema, generated on first use: once per compiler process, however many declarations it expands.
    pub fn get() -> &'static Self {
        static MODEL: std::sync::OnceLock<ModelSchema> = std::sync::OnceLock::new();
        MODEL.get_or_init(ModelSchema::new)
    }

    /// Generates the schema of [`IntegrationSpec`].
    pub fn new() -> Self {
        let root = schemars::SchemaGenerator::default()
            .into_root_schema_for::<IntegrationSpec>()
            .to_value();
        // Every enum declared with `spelled_enum!` (a test checks that each enum of the schema is here).
        let enums = [
            EnumNames::of::<Category>(),
            EnumNames::of::<Stability>(),
            EnumNames::of::<Mode>(),
            EnumNames::of::<TransportKind>(),
            EnumNames::of::<AuthKind>(),
            EnumNames::of::<GrantType>(),
            EnumNames::of::<PaginationStyle>(),
            EnumNames::of::<BodyEncoding>(),
            EnumNames::of::<SigningAlgorithm>(),
            EnumNames::of::<SignatureScheme>(),
            EnumNames::of::<SignatureEncoding>(),
            EnumNames::of::<SecretEncoding>(),
            EnumNames::of::<McpWire>(),
            EnumNames::of::<HttpMethod>(),
            EnumNames::of::<VersionStatus>(),
            EnumNames::of::<HealthCheckMethod>(),
            EnumNames::of::<ClientAuth>(),
            EnumNames::of::<RevocationStyle>(),
            EnumNames::of::<KeyKind>(),
            EnumNames::of::<KeyMode>(),
        ];
        ModelSchema {
            root,
            enums: enums.into_iter().collect(),
        }
    }

    /// The schema of the whole spec.
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// The schema of the property `key` of the struct `schema` describes.
    pub fn property<'s>(&'s self, schema: &'s Value, key: &str) -> Option<&'s Value> {
        properties(self.resolve(schema).0)?.get(key)
    }

    /// `schema` with its `$ref` followed, and the name of the definition it referred to.
    pub fn resolve<'s>(&'s self, schema: &'s Value) -> (&'s Value, Option<&'s str>) {
        let Some(name) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        else {
            return (schema, None);
        };
        match self.root.get("$defs").and_then(|d| d.get(name)) {
            Some(def) => (def, Some(name)),
            None => (schema, None),
        }
    }

    /// The names of the enum defined as `def`, when it is one.
    pub fn enum_names(&self, def: &str) -> Option<&EnumNames> {
        self.enums.get(def)
    }

    /// Whether `schema` describes a [`TypeSchema`]: a key whose value is a Rust type. Looks through `Option`.
    pub fn is_type_schema(&self, schema: &Value) -> bool {
        let name = TypeSchema::schema_name();
        let is = |s: &Value| self.resolve(s).1 == Some(&*name);
        is(schema) || branches(schema).is_some_and(|b| b.iter().any(is))
    }

    /// The schema of the elements of the array `schema` describes, looking through `Option`.
    pub fn items<'s>(&'s self, schema: &'s Value) -> Option<&'s Value> {
        let s = self.resolve(schema).0;
        s.get("items")
            .or_else(|| branches(s)?.iter().find_map(|b| self.resolve(b).0.get("items")))
    }

    /// The struct schema behind `schema`, looking through `$ref` and `Option`.
    pub fn object<'s>(&'s self, schema: &'s Value) -> Option<&'s Value> {
        let s = self.resolve(schema).0;
        if properties(s).is_some() {
            return Some(s);
        }
        let mut objects = branches(s)?
            .iter()
            .map(|b| self.resolve(b).0)
            .filter(|b| properties(b).is_some());
        match (objects.next(), objects.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// The property that tells the variants of the tagged union `schema` apart (`type`): the one its variants
    /// give a constant.
    pub fn tag_key<'s>(&'s self, schema: &'s Value) -> Option<&'s str> {
        let first = branches(self.resolve(schema).0)?.first()?;
        properties(first)?
            .iter()
            .find(|(_, p)| p.get("const").is_some())
            .map(|(k, _)| k.as_str())
    }

    /// The variant of the tagged union `schema` whose `tag_key` is `tag`.
    pub fn variant<'s>(&'s self, schema: &'s Value, tag_key: &str, tag: &str) -> Option<&'s Value> {
        branches(self.resolve(schema).0)?.iter().find(|b| {
            properties(b)
                .and_then(|p| p.get(tag_key))
                .and_then(|p| p.get("const"))
                .and_then(Value::as_str)
                == Some(tag)
        })
    }

    /// The one alternative of a union schema that can describe `value`, if exactly one can.
    pub fn branch<'s>(&'s self, schema: &'s Value, value: &Value) -> Option<&'s Value> {
        let mut fitting = branches(self.resolve(schema).0)?.iter().filter(|b| self.fits(b, value));
        match (fitting.next(), fitting.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// Whether `value` has the JSON type, the required keys and the constant members of `branch`.
    fn fits(&self, branch: &Value, value: &Value) -> bool {
        let (b, _) = self.resolve(branch);
        let kind = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let type_ok = match b.get("type") {
            Some(Value::String(t)) => t == kind || (t == "number" && kind == "integer"),
            Some(Value::Array(ts)) => ts.iter().any(|t| t == kind || (t == "number" && kind == "integer")),
            _ => true,
        };
        let required_ok = b
            .get("required")
            .and_then(Value::as_array)
            .is_none_or(|r| r.iter().filter_map(Value::as_str).all(|k| value.get(k).is_some()));
        let consts_ok = properties(b).is_none_or(|props| {
            props
                .iter()
                .all(|(k, p)| p.get("const").is_none_or(|c| value.get(k) == Some(c)))
        });
        let const_ok = b.get("const").is_none_or(|c| c == value);
        type_ok && required_ok && consts_ok && const_ok
    }
}

/// The `properties` of an object schema.
pub(crate) fn properties(schema: &Value) -> Option<&Map<String, Value>> {
    schema.get("properties").and_then(Value::as_object)
}

/// The alternatives of a `oneOf` / `anyOf` schema.
pub(crate) fn branches(schema: &Value) -> Option<&Vec<Value>> {
    schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_enum_of_the_schema_has_its_names() {
        let m = ModelSchema::new();
        let defs = m.root()["$defs"].as_object().unwrap();
        let mut enums = 0;
        for (name, def) in defs {
            let all_consts = branches(def).is_some_and(|b| b.iter().all(|v| v.get("const").is_some()));
            if all_consts {
                enums += 1;
                assert!(
                    m.enum_names(name).is_some(),
                    "enum `{name}` is missing from ModelSchema::new"
                );
            }
        }
        assert!(enums >= 10, "found only {enums} enums");
    }

    #[test]
    fn the_root_lists_every_field_of_the_spec() {
        let m = ModelSchema::new();
        let keys: Vec<&str> = properties(m.root()).unwrap().keys().map(String::as_str).collect();
        for key in [
            "meta",
            "supported_modes",
            "transports",
            "config",
            "secrets",
            "actions",
            "events",
        ] {
            assert!(keys.contains(&key), "{key} in {keys:?}");
        }
    }

    #[test]
    fn finds_type_schemas_variants_and_items() {
        let m = ModelSchema::new();
        let root = m.root();
        assert!(m.is_type_schema(m.property(root, "config").unwrap()));
        assert!(!m.is_type_schema(m.property(root, "meta").unwrap()));
        let action = m.items(m.property(root, "actions").unwrap()).unwrap();
        for key in ["input", "output", "item"] {
            assert!(m.is_type_schema(m.property(action, key).unwrap()), "{key}");
        }
        let transport = m.items(m.property(root, "transports").unwrap()).unwrap();
        let tag = m.tag_key(transport).unwrap();
        assert_eq!(tag, "type");
        let rest = m.variant(transport, tag, "rest").unwrap();
        assert!(properties(rest).unwrap().contains_key("base_url"));
        assert!(m.variant(transport, tag, "grpc").is_none());
        let names = m.enum_names("Category").unwrap();
        assert!(names.accepts("ai-llm") && names.accepts("ai_llm") && !names.accepts("ai"));
    }
}
