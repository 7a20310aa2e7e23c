//! Working with the JSON Schemas schemars produces: reading properties, following local `$ref`s, and a
//! [`Pool`] that lifts every document's `$defs` into one flat namespace with `$ref`s rewritten.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::names::type_ident;

/// The draft 2020-12 meta-schema URI.
pub(crate) const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Keywords whose values are data, not schemas: never rewritten or searched for `$ref`.
const DATA_KEYWORDS: &[&str] = &["const", "enum", "default", "examples", "example"];

/// Integer formats schemars writes for Rust's integer types that no JSON Schema validator knows
/// (`uint32`, `uint64`, `int8`, …), with the range each stands for: `(minimum, maximum)`, `None` where the
/// range needs no bound on that side or does not fit a JSON number exactly.
const RANGE_FORMATS: &[(&str, Option<i64>, Option<u64>)] = &[
    ("int8", Some(i8::MIN as i64), Some(i8::MAX as u64)),
    ("int16", Some(i16::MIN as i64), Some(i16::MAX as u64)),
    ("uint8", Some(0), Some(u8::MAX as u64)),
    ("uint16", Some(0), Some(u16::MAX as u64)),
    ("uint32", Some(0), Some(u32::MAX as u64)),
    ("uint64", Some(0), Some(u64::MAX)),
    ("uint", Some(0), Some(u64::MAX)),
    ("uint128", Some(0), None),
    ("int", None, None),
    ("int128", None, None),
];

/// Rewrites, everywhere in `schema`, the integer `format`s that are not standard (see [`RANGE_FORMATS`])
/// into the standard `minimum`/`maximum` keywords; a bound already declared is kept (it is tighter).
/// The formats JSON Schema and the OpenAPI format registry define (`int32`, `int64`, `float`, `double`,
/// `date-time`, `uri`, …, all known to ajv-formats) are left as they are. The model's `x-declared`
/// spellings, read by the declaration reference only, are removed (validators in strict mode refuse unknown
/// keywords).
pub(crate) fn standardize(schema: &mut Value) {
    match schema {
        Value::Object(o) => {
            o.remove(crate::reference::DECLARED);
            let range = o
                .get("format")
                .and_then(Value::as_str)
                .and_then(|f| RANGE_FORMATS.iter().find(|(name, _, _)| *name == f));
            if let Some((_, min, max)) = range {
                o.remove("format");
                let lower = o.contains_key("minimum") || o.contains_key("exclusiveMinimum");
                if let (Some(min), false) = (min, lower) {
                    o.insert("minimum".into(), (*min).into());
                }
                let upper = o.contains_key("maximum") || o.contains_key("exclusiveMaximum");
                if let (Some(max), false) = (max, upper) {
                    o.insert("maximum".into(), (*max).into());
                }
            }
            inline_single_branch(o);
            for (k, v) in o.iter_mut() {
                if !DATA_KEYWORDS.contains(&k.as_str()) {
                    standardize(v);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(standardize),
        _ => {}
    }
}

/// A `oneOf`/`anyOf` with a single branch (schemars' form of a one-variant enum) merged into its parent,
/// when none of the branch's keywords clash with the parent's (the parent's `description` and `title`
/// win): generators and linters read `{ "const": "now" }` better than a choice of one.
fn inline_single_branch(o: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = o.get(key) else {
            continue;
        };
        let [Value::Object(branch)] = branches.as_slice() else {
            continue;
        };
        let annotation = |k: &str| k == "description" || k == "title";
        if branch.keys().any(|k| o.contains_key(k) && !annotation(k)) {
            continue;
        }
        let branch = branch.clone();
        o.remove(key);
        for (k, v) in branch {
            o.entry(k).or_insert(v);
        }
    }
}

/// [`standardize`] on a copy.
pub(crate) fn standardized(schema: &Value) -> Value {
    let mut s = schema.clone();
    standardize(&mut s);
    s
}

/// Follows local `$ref`s (`#/$defs/X`, `#/definitions/X`, `#`) of `schema` inside `doc`, a bounded
/// number of times; returns the first schema that is not a bare reference.
pub(crate) fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(r) = schema.get("$ref").and_then(Value::as_str) else {
            return schema;
        };
        match pointer_target(doc, r) {
            Some(target) => schema = target,
            None => return schema,
        }
    }
    schema
}

fn pointer_target<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(doc);
    }
    doc.pointer(pointer)
}

/// The schema with a nullable wrapper removed: `anyOf: [X, {type: null}]` → X, `type: [T, "null"]` →
/// `type: T`. Other schemas are returned unchanged.
pub(crate) fn non_null(schema: &Value) -> Value {
    if let Some(branches) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        let rest: Vec<&Value> = branches.iter().filter(|b| !is_null_schema(b)).collect();
        if rest.len() == 1 && rest.len() < branches.len() {
            let mut out = rest[0].clone();
            if let (Some(o), Some(d)) = (out.as_object_mut(), schema.get("description")) {
                o.entry("description").or_insert_with(|| d.clone());
            }
            return out;
        }
    }
    if let Some(types) = schema.get("type").and_then(Value::as_array) {
        let rest: Vec<&Value> = types.iter().filter(|t| t.as_str() != Some("null")).collect();
        if rest.len() == 1 && rest.len() < types.len() {
            let mut out = schema.clone();
            if let Some(o) = out.as_object_mut() {
                o.insert("type".into(), rest[0].clone());
            }
            return out;
        }
    }
    schema.clone()
}

fn is_null_schema(s: &Value) -> bool {
    s.get("type").and_then(Value::as_str) == Some("null")
}

/// The top-level `properties` of a schema, in sorted order; empty when there are none.
pub(crate) fn properties(schema: &Value) -> Vec<(&str, &Value)> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default()
}

/// The names listed in the schema's `required`.
pub(crate) fn required(schema: &Value) -> BTreeSet<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The JSON type names a schema allows (`type` as a string or a list).
pub(crate) fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether the schema (after resolving references and dropping `null`) describes a JSON object.
pub(crate) fn is_object(doc: &Value, schema: &Value) -> bool {
    let s = non_null(resolve(doc, schema));
    let s = resolve(doc, &s).clone();
    types(&s).contains(&"object") || (types(&s).is_empty() && s.get("properties").is_some())
}

/// Whether the schema (after resolving references and dropping `null`) may hold a JSON object: it
/// describes one, or one of its `anyOf`/`oneOf` branches may (Stripe's `created`: a timestamp or an object
/// of bounds). Such a value is sent as `deepObject` in a query or a form.
pub(crate) fn may_be_object(doc: &Value, schema: &Value) -> bool {
    may_be_object_within(doc, schema, 16)
}

fn may_be_object_within(doc: &Value, schema: &Value, depth: u8) -> bool {
    let Some(depth) = depth.checked_sub(1) else {
        return false;
    };
    if is_object(doc, schema) {
        return true;
    }
    let s = non_null(resolve(doc, schema));
    let s = resolve(doc, &s);
    s.get("anyOf")
        .or_else(|| s.get("oneOf"))
        .and_then(Value::as_array)
        .is_some_and(|branches| branches.iter().any(|b| may_be_object_within(doc, b, depth)))
}

/// Whether the schema (after resolving references and dropping `null`) describes a JSON array.
pub(crate) fn is_array(doc: &Value, schema: &Value) -> bool {
    let s = non_null(resolve(doc, schema));
    types(resolve(doc, &s)).contains(&"array")
}

/// A short human description of a schema's type (`string`, `integer`, `array of string`, `Address`).
pub(crate) fn type_label(schema: &Value) -> String {
    let s = non_null(schema);
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().map(type_ident).unwrap_or_else(|| "object".into());
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        let vs: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        return format!("one of {}", vs.join(", "));
    }
    if let Some(branches) = s.get("oneOf").or_else(|| s.get("anyOf")).and_then(Value::as_array) {
        let consts: Vec<String> = branches
            .iter()
            .filter_map(|b| b.get("const"))
            .map(|v| format!("`{v}`"))
            .collect();
        if consts.len() == branches.len() {
            return format!("one of {}", consts.join(", "));
        }
        let labels: Vec<String> = branches.iter().map(type_label).collect();
        return labels.join(" or ");
    }
    let ts = types(&s);
    match ts.first().copied() {
        Some("array") => {
            let items = s.get("items").map(type_label).unwrap_or_else(|| "any".into());
            format!("array of {items}")
        }
        Some("object") if s.get("properties").is_none() => match s.get("additionalProperties") {
            Some(v) if v.is_object() => format!("map of {}", type_label(v)),
            _ => "object".into(),
        },
        Some(t) => t.to_string(),
        None if s.get("properties").is_some() => "object".into(),
        None => "any".into(),
    }
}

/// Rewrites local `$ref`s of `value` with `map` (a definition name → its new reference); `#` (the
/// document itself) becomes `root`. References whose target is not in `map` are left as they are.
fn rewrite_refs(value: &mut Value, map: &BTreeMap<String, String>, root: &str) {
    match value {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref")
                && let Some(new) = rewrite_ref(r, map, root)
            {
                *r = new;
            }
            for (k, v) in o.iter_mut() {
                if !DATA_KEYWORDS.contains(&k.as_str()) {
                    rewrite_refs(v, map, root);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|v| rewrite_refs(v, map, root)),
        _ => {}
    }
}

fn rewrite_ref(r: &str, map: &BTreeMap<String, String>, root: &str) -> Option<String> {
    if r == "#" {
        return Some(root.to_string());
    }
    let rest = r
        .strip_prefix("#/$defs/")
        .or_else(|| r.strip_prefix("#/definitions/"))?;
    let (name, tail) = rest.split_once('/').map_or((rest, ""), |(n, t)| (n, t));
    let name = name.replace("~1", "/").replace("~0", "~");
    let new = map.get(&name)?;
    Some(if tail.is_empty() {
        new.clone()
    } else {
        format!("{new}/{tail}")
    })
}

/// Many schema documents flattened into one namespace of named schemas.
///
/// Each added document contributes its root (under the given type name) and its `$defs`; identical
/// definitions (ignoring `title`) are shared, different ones with the same name get a numeric suffix.
/// References are rewritten to `<prefix><name>`.
pub(crate) struct Pool {
    prefix: String,
    reserved: BTreeSet<String>,
    entries: BTreeMap<String, Value>,
}

impl Pool {
    /// An empty pool whose references read `<prefix><name>`; `reserved` names are never used.
    pub(crate) fn new(prefix: &str, reserved: &[&str]) -> Self {
        Self {
            prefix: prefix.to_string(),
            reserved: reserved.iter().map(|s| s.to_string()).collect(),
            entries: BTreeMap::new(),
        }
    }

    /// Adds a document as `type_name` (made an identifier) with its `$defs`; returns the name its root
    /// got.
    pub(crate) fn add(&mut self, type_name: &str, doc: &Value) -> String {
        let doc = &standardized(doc);
        let mut root = match doc {
            Value::Object(o) => o.clone(),
            Value::Bool(false) => serde_json::json!({ "not": {} })
                .as_object()
                .cloned()
                .unwrap_or_default(),
            _ => Map::new(),
        };
        let mut defs: Vec<(String, Value)> = Vec::new();
        for key in ["$defs", "definitions"] {
            if let Some(Value::Object(d)) = root.remove(key) {
                defs.extend(d);
            }
        }
        root.remove("$schema");
        root.remove("$id");
        root.remove(crate::output::JSON_COMMENT);

        // Local names: index 0 is the root, then the definitions.
        let mut locals: Vec<(String, Value)> = vec![(String::new(), Value::Object(root))];
        locals.extend(defs);
        let mut assigned: Vec<String> = locals
            .iter()
            .enumerate()
            .map(|(i, (k, _))| if i == 0 { type_ident(type_name) } else { type_ident(k) })
            .collect();

        // Rename until every assigned name is free or holds an identical schema.
        let mut rewritten;
        let mut rounds = 0;
        loop {
            let map: BTreeMap<String, String> = locals
                .iter()
                .zip(&assigned)
                .skip(1)
                .map(|((k, _), n)| (k.clone(), format!("{}{n}", self.prefix)))
                .collect();
            let root_ref = format!("{}{}", self.prefix, assigned[0]);
            rewritten = locals
                .iter()
                .map(|(_, v)| {
                    let mut v = v.clone();
                    rewrite_refs(&mut v, &map, &root_ref);
                    v
                })
                .collect::<Vec<_>>();
            let mut changed = false;
            for i in 0..assigned.len() {
                let clash_here = assigned[..i].contains(&assigned[i]);
                let clash_pool = self.reserved.contains(&assigned[i])
                    || self
                        .entries
                        .get(&assigned[i])
                        .is_some_and(|existing| !same_schema(existing, &rewritten[i]));
                if clash_here || clash_pool {
                    assigned[i] = self.free_name(&assigned[i], &assigned);
                    changed = true;
                }
            }
            rounds += 1;
            if !changed || rounds > locals.len() + 1 {
                break;
            }
        }
        for (name, mut schema) in assigned.iter().zip(rewritten) {
            // The entry's name is its title; a root's own title would make it differ from the same type
            // met as a definition.
            if let Some(o) = schema.as_object_mut() {
                o.remove("title");
            }
            self.entries.entry(name.clone()).or_insert(schema);
        }
        assigned.swap_remove(0)
    }

    fn free_name(&self, base: &str, taken: &[String]) -> String {
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|n| !self.entries.contains_key(n) && !self.reserved.contains(n) && !taken.contains(n))
            .unwrap_or_else(|| base.to_string())
    }

    /// The schema named `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.entries.get(name)
    }

    /// Every named schema, sorted by name.
    pub(crate) fn entries(&self) -> &BTreeMap<String, Value> {
        &self.entries
    }

    /// The pool as one JSON Schema document whose `$defs` hold every entry (references must use the
    /// `#/$defs/` prefix), for resolving references.
    pub(crate) fn as_document(&self) -> Value {
        let defs: Map<String, Value> = self.entries.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        serde_json::json!({ "$defs": defs })
    }
}

/// Whether two schemas are equal, ignoring their top-level `title`.
fn same_schema(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let untitled = |m: &Map<String, Value>| m.len() - usize::from(m.contains_key("title"));
            untitled(a) == untitled(b)
                && a.iter()
                    .filter(|(k, _)| k.as_str() != "title")
                    .all(|(k, v)| b.get(k) == Some(v))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pool_lifts_defs_shares_identical_and_renames_different() {
        let mut pool = Pool::new("#/components/schemas/", &["Record"]);
        let a = json!({
            "$schema": DRAFT_2020_12, "title": "A", "type": "object",
            "properties": {"x": {"$ref": "#/$defs/X"}, "me": {"$ref": "#"}},
            "$defs": {"X": {"type": "string"}}
        });
        let b = json!({
            "type": "object", "properties": {"x": {"$ref": "#/$defs/X/properties/y"}},
            "$defs": {"X": {"type": "object", "properties": {"y": {"type": "integer"}}}}
        });
        let c = json!({"type": "array", "items": {"$ref": "#/$defs/X"}, "$defs": {"X": {"type": "string"}}});
        assert_eq!(pool.add("A", &a), "A");
        assert_eq!(pool.add("B", &b), "B");
        assert_eq!(pool.add("Record", &c), "Record2");
        let names: Vec<&String> = pool.entries().keys().collect();
        assert_eq!(names, ["A", "B", "Record2", "X", "X2"]);
        assert_eq!(
            pool.get("A").unwrap()["properties"]["x"]["$ref"],
            "#/components/schemas/X"
        );
        assert_eq!(
            pool.get("A").unwrap()["properties"]["me"]["$ref"],
            "#/components/schemas/A"
        );
        assert_eq!(
            pool.get("B").unwrap()["properties"]["x"]["$ref"],
            "#/components/schemas/X2/properties/y"
        );
        assert_eq!(pool.get("Record2").unwrap()["items"]["$ref"], "#/components/schemas/X");
        assert!(pool.get("A").unwrap().get("$schema").is_none());
    }

    #[test]
    fn nonstandard_integer_formats_become_bounds() {
        let mut s = json!({
            "type": "object",
            "properties": {
                "limit": {"type": ["integer", "null"], "format": "uint32", "minimum": 1, "maximum": 100},
                "count": {"type": "integer", "format": "uint64", "minimum": 0},
                "small": {"type": "integer", "format": "int8"},
                "id": {"type": "integer", "format": "int64"},
                "ratio": {"type": "number", "format": "double"},
                "at": {"type": "string", "format": "date-time"}
            },
            "examples": [{"format": "uint32"}]
        });
        standardize(&mut s);
        let p = &s["properties"];
        assert_eq!(
            p["limit"],
            json!({"type": ["integer", "null"], "minimum": 1, "maximum": 100})
        );
        assert_eq!(
            p["count"],
            json!({"type": "integer", "minimum": 0, "maximum": u64::MAX})
        );
        assert_eq!(p["small"], json!({"type": "integer", "minimum": -128, "maximum": 127}));
        assert_eq!(p["id"]["format"], "int64");
        assert_eq!(p["ratio"]["format"], "double");
        assert_eq!(p["at"]["format"], "date-time");
        assert_eq!(s["examples"][0]["format"], "uint32", "data is not a schema");
    }

    #[test]
    fn single_branch_choices_are_inlined() {
        let mut s = json!({"description": "Now.", "oneOf": [{"const": "now", "type": "string", "description": "n"}]});
        standardize(&mut s);
        assert_eq!(s, json!({"description": "Now.", "const": "now", "type": "string"}));
        let mut clash = json!({"type": "object", "anyOf": [{"type": "string"}]});
        standardize(&mut clash);
        assert_eq!(clash["anyOf"][0]["type"], "string", "clashing keywords are kept apart");
    }

    #[test]
    fn nullable_wrappers_are_removed() {
        assert_eq!(
            non_null(&json!({"type": ["string", "null"]})),
            json!({"type": "string"})
        );
        assert_eq!(
            non_null(&json!({"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}], "description": "d"})),
            json!({"$ref": "#/$defs/A", "description": "d"})
        );
        let doc = json!({"$defs": {"A": {"type": "object"}}});
        assert!(is_object(
            &doc,
            &json!({"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]})
        ));
        assert!(!is_object(&doc, &json!({"type": "string"})));
        let doc = json!({"$defs": {
            "Range": {"type": "object", "properties": {"gte": {"type": "integer"}}},
            "RangeQuery": {"anyOf": [{"type": "integer"}, {"$ref": "#/$defs/Range"}]}
        }});
        let created = json!({"anyOf": [{"$ref": "#/$defs/RangeQuery"}, {"type": "null"}]});
        assert!(!is_object(&doc, &created));
        assert!(may_be_object(&doc, &created), "a branch of the union is an object");
        assert!(!may_be_object(
            &doc,
            &json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})
        ));
    }
}
