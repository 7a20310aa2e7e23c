//! OpenAPI 3.1 per integration, for its actions (`openapi/<provider>.json`).
//!
//! One operation per action: its path (with `{param}` path parameters from the input type), its HTTP
//! method, `operationId` = the method name; GET and DELETE inputs become query parameters, other inputs a
//! request body in the REST transport's encoding (`application/x-www-form-urlencoded` with `deepObject`
//! nesting for form, else `application/json`); object-valued query parameters and form fields, unions
//! with an object branch included, are `deepObject` with `explode`. Responses are the output type for 200
//! and the provider's error object (`components/responses/Error`) for `4XX` and `default`. Security schemes come from the auth methods; the API version (default the
//! current version, enum of the versions not sunset), the connected-account header and the idempotency
//! key (on mutating actions) are header parameters. Every schema's `$defs` are lifted into
//! `components/schemas` and `$ref`s rewritten; the schemas no operation reaches (inputs split into
//! parameters) are left out. `info.license` is the workspace's licence (SPDX), and each tag says which
//! actions it groups.
//!
//! OpenAPI objects accept only `x-` extensions, so the do-not-edit line is the `x-comment` member.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use spec_core::{Action, AuthMethod, BodyEncoding, GrantType, HttpMethod, IntegrationSpec, VersionPlacement};

use crate::names::humanize_action;
use crate::output::{LICENSE, X_COMMENT, json_file};
use crate::redact::write_only;
use crate::schema::{Pool, is_array, is_object, may_be_object, non_null, properties, required};
use crate::{GenError, GeneratedFile};

const SCHEMAS: &str = "#/components/schemas/";
const RESPONSES: &str = "#/components/responses/";
/// The shared error response, referenced as each operation's `4XX` and `default` response.
const ERROR_RESPONSE: &str = "Error";
const VERSION_PARAM: &str = "ApiVersion";
const ACCOUNT_PARAM: &str = "Account";
const IDEMPOTENCY_PARAM: &str = "IdempotencyKey";

/// `openapi/<provider>.json`.
pub fn emit(spec: &IntegrationSpec) -> Result<Vec<GeneratedFile>, GenError> {
    Ok(vec![json_file(
        format!("openapi/{}.json", spec.provider_id()),
        X_COMMENT,
        document(spec)?,
    )?])
}

/// The OpenAPI 3.1 document of one integration.
pub fn document(spec: &IntegrationSpec) -> Result<Value, GenError> {
    let mut pool = Pool::new(SCHEMAS, &[]);
    let names: Vec<(String, String)> = spec
        .actions
        .iter()
        .map(|a| {
            (
                pool.add(&a.input.type_name, &a.input.schema),
                pool.add(&a.output.type_name, &a.output.schema),
            )
        })
        .collect();
    let error_name = pool.add("ProviderError", &error_schema(spec));
    let lookup = json!({ "components": { "schemas": pool.entries() } });

    let mut parameters = Map::new();
    if let Some(p) = version_parameter(spec) {
        parameters.insert(VERSION_PARAM.into(), p);
    }
    let rest = spec.rest();
    if let Some(h) = spec.account_header() {
        parameters.insert(
            ACCOUNT_PARAM.into(),
            json!({
                "name": h, "in": "header", "required": false, "schema": { "type": "string" },
                "description": "The connected account the request acts for (the connection's `account_id`)."
            }),
        );
    }
    if let Some(header) = spec.idempotency_header()
        && spec.actions.iter().any(|a| a.mutates)
    {
        parameters.insert(
            IDEMPOTENCY_PARAM.into(),
            json!({
                "name": header, "in": "header", "required": false,
                "schema": { "type": "string", "maxLength": 255 },
                "description": "Makes a retried write safe: the provider applies the request once per key."
            }),
        );
    }

    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut seen: BTreeMap<(String, String), &str> = BTreeMap::new();
    for (a, (input, output)) in spec.actions.iter().zip(&names) {
        let method = a.method.as_str().to_ascii_lowercase();
        if let Some(first) = seen.insert((method.clone(), a.path.clone()), &a.id) {
            return Err(GenError::DuplicateOperation {
                key: spec.meta.key.clone(),
                method: a.method.to_string(),
                path: a.path.clone(),
                first: first.to_string(),
                second: a.id.clone(),
            });
        }
        let op = Operation {
            spec,
            action: a,
            input,
            output,
            lookup: &lookup,
            headers: &parameters,
        }
        .build();
        paths.entry(a.path.clone()).or_default().insert(method, op);
    }

    let (schemes, security) = security(spec);
    let responses = json!({ ERROR_RESPONSE: {
        "description": "The provider's error.",
        "content": { "application/json": { "schema": { "$ref": format!("{SCHEMAS}{error_name}") } } }
    } });
    let used = used_schemas(&pool, &[&json!(paths), &Value::Object(parameters.clone()), &responses]);
    let schemas: Map<String, Value> = pool
        .entries()
        .iter()
        .filter(|(k, _)| used.contains(k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut components = Map::new();
    components.insert("schemas".into(), Value::Object(schemas));
    components.insert("responses".into(), responses);
    if !parameters.is_empty() {
        components.insert("parameters".into(), Value::Object(parameters));
    }
    if !schemes.is_empty() {
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }

    let mut info = Map::new();
    info.insert("title".into(), spec.meta.title.clone().into());
    info.insert("version".into(), spec.meta.version.clone().into());
    info.insert("license".into(), json!({ "name": LICENSE, "identifier": LICENSE }));
    if !spec.meta.description.is_empty() {
        info.insert("description".into(), spec.meta.description.clone().into());
    }
    let mut doc = Map::new();
    doc.insert("openapi".into(), "3.1.0".into());
    doc.insert("info".into(), Value::Object(info));
    if let Some(r) = rest {
        doc.insert("servers".into(), json!([{ "url": r.base_url }]));
    }
    doc.insert("paths".into(), json!(paths));
    doc.insert("components".into(), Value::Object(components));
    if !security.is_empty() {
        doc.insert("security".into(), Value::Array(security));
    }
    let mut tags: Vec<String> = spec.actions.iter().map(|a| tag(&a.id)).collect();
    tags.sort();
    tags.dedup();
    if !tags.is_empty() {
        let tags: Vec<Value> = tags
            .iter()
            .map(|t| json!({ "name": t, "description": tag_description(spec, t) }))
            .collect();
        doc.insert("tags".into(), Value::Array(tags));
    }
    if let Some(url) = &spec.docs_url {
        doc.insert("externalDocs".into(), json!({ "url": url }));
    }
    doc.insert("x-integration-key".into(), spec.meta.key.clone().into());
    Ok(Value::Object(doc))
}

struct Operation<'a> {
    spec: &'a IntegrationSpec,
    action: &'a Action,
    input: &'a str,
    output: &'a str,
    lookup: &'a Value,
    headers: &'a Map<String, Value>,
}

impl Operation<'_> {
    fn build(&self) -> Value {
        let a = self.action;
        let input = self.lookup["components"]["schemas"][self.input].clone();
        let path_params = a.path_params();
        let props = properties(&input);
        let req = required(&input);

        let mut params = Vec::new();
        for p in &path_params {
            let schema = props
                .iter()
                .find(|(k, _)| k == p)
                .map(|(_, s)| non_null(s))
                .unwrap_or_else(|| json!({ "type": "string" }));
            params.push(parameter(p, "path", true, schema));
        }
        let query = matches!(a.method, HttpMethod::Get | HttpMethod::Delete);
        if query {
            for (name, schema) in &props {
                if path_params.contains(name) {
                    continue;
                }
                let mut p = parameter(name, "query", req.contains(name), non_null(schema));
                if may_be_object(self.lookup, schema) || is_array(self.lookup, schema) {
                    p["style"] = "deepObject".into();
                    p["explode"] = true.into();
                }
                params.push(p);
            }
        }
        for (name, wanted) in [
            (VERSION_PARAM, true),
            (ACCOUNT_PARAM, true),
            (IDEMPOTENCY_PARAM, a.mutates),
        ] {
            if wanted && self.headers.contains_key(name) {
                params.push(json!({ "$ref": format!("#/components/parameters/{name}") }));
            }
        }

        let mut op = Map::new();
        op.insert("operationId".into(), a.method_name.clone().into());
        op.insert("summary".into(), humanize_action(&a.id).into());
        if !a.description.is_empty() {
            op.insert("description".into(), a.description.clone().into());
        }
        op.insert("tags".into(), json!([tag(&a.id)]));
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        if !query && let Some(body) = self.request_body(&input, &path_params) {
            op.insert("requestBody".into(), body);
        }
        op.insert(
            "responses".into(),
            json!({
                "200": {
                    "description": format!("The `{}`.", a.output.type_name),
                    "content": { "application/json": { "schema": { "$ref": format!("{SCHEMAS}{}", self.output) } } }
                },
                "4XX": { "$ref": format!("{RESPONSES}{ERROR_RESPONSE}") },
                "default": { "$ref": format!("{RESPONSES}{ERROR_RESPONSE}") }
            }),
        );
        op.insert("x-action-id".into(), a.id.clone().into());
        op.insert("x-mutates".into(), a.mutates.into());
        op.insert("x-idempotent".into(), a.is_idempotent().into());
        if a.high_impact {
            op.insert("x-high-impact".into(), true.into());
        }
        if a.paginated {
            op.insert("x-paginated".into(), true.into());
        }
        if !a.permissions.is_empty() {
            op.insert("x-permissions".into(), json!(a.permissions));
        }
        Value::Object(op)
    }

    /// The request body: the input without its path parameters, in the transport's encoding.
    fn request_body(&self, input: &Value, path_params: &[&str]) -> Option<Value> {
        let a = self.action;
        let props = properties(input);
        let body_props: Vec<&(&str, &Value)> = props.iter().filter(|(k, _)| !path_params.contains(k)).collect();
        if is_object(self.lookup, input) && body_props.is_empty() {
            return None;
        }
        let schema = if path_params.is_empty() {
            json!({ "$ref": format!("{SCHEMAS}{}", self.input) })
        } else {
            let mut s = input.clone();
            if let Some(o) = s.get_mut("properties").and_then(Value::as_object_mut) {
                o.retain(|k, _| !path_params.contains(&k.as_str()));
            }
            if let Some(r) = s.get_mut("required").and_then(Value::as_array_mut) {
                r.retain(|k| !k.as_str().is_some_and(|k| path_params.contains(&k)));
            }
            s
        };
        let form = self.spec.rest().is_some_and(|r| r.body == BodyEncoding::Form);
        let mut media = Map::new();
        media.insert("schema".into(), schema);
        if form {
            let encoding: Map<String, Value> = body_props
                .iter()
                .filter(|(_, s)| may_be_object(self.lookup, s) || is_array(self.lookup, s))
                .map(|(k, _)| (k.to_string(), json!({ "style": "deepObject", "explode": true })))
                .collect();
            if !encoding.is_empty() {
                media.insert("encoding".into(), Value::Object(encoding));
            }
        }
        if !a.input.example.is_null() {
            let mut example = write_only(&a.input.schema, &a.input.schema, &a.input.example);
            if let Some(o) = example.as_object_mut() {
                o.retain(|k, _| !path_params.contains(&k.as_str()));
            }
            media.insert("example".into(), example);
        }
        let content_type = if form {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        };
        Some(json!({
            "required": !required(input).iter().all(|r| path_params.contains(r)),
            "content": { content_type: media }
        }))
    }
}

fn parameter(name: &str, location: &str, required: bool, mut schema: Value) -> Value {
    let description = schema
        .as_object_mut()
        .and_then(|o| o.remove("description"))
        .filter(Value::is_string);
    let mut p = json!({ "name": name, "in": location, "required": required, "schema": schema });
    if let Some(d) = description {
        p["description"] = d;
    }
    p
}

/// The action's tag: its id without the provider and the verb (`stripe.customer.list` → `customer`).
fn tag(id: &str) -> String {
    let parts: Vec<&str> = id.split('.').collect();
    if parts.len() > 2 {
        parts[1..parts.len() - 1].join(".")
    } else {
        parts.last().copied().unwrap_or(id).to_string()
    }
}

/// A tag's description: the actions it groups (`Stripe actions on customer objects: list, get, create.`).
fn tag_description(spec: &IntegrationSpec, tag_name: &str) -> String {
    let verbs: Vec<&str> = spec
        .actions
        .iter()
        .filter(|a| tag(&a.id) == tag_name)
        .map(|a| a.id.rsplit('.').next().unwrap_or(&a.id))
        .collect();
    format!(
        "{} actions on {} objects: {}.",
        spec.meta.title,
        tag_name.replace(['_', '.'], " "),
        verbs.join(", ")
    )
}

/// The names of the pool's schemas referenced from `roots`, directly or through other schemas: the
/// inputs split into parameters and the inlined bodies leave their own entries unused, and those are
/// not written.
fn used_schemas(pool: &Pool, roots: &[&Value]) -> std::collections::BTreeSet<String> {
    let mut used = std::collections::BTreeSet::new();
    let mut todo: Vec<String> = Vec::new();
    for r in roots {
        collect_refs(r, &mut todo);
    }
    while let Some(name) = todo.pop() {
        if used.insert(name.clone())
            && let Some(schema) = pool.get(&name)
        {
            collect_refs(schema, &mut todo);
        }
    }
    used
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(o) => {
            if let Some(name) = o
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(SCHEMAS))
            {
                let name = name.split('/').next().unwrap_or(name);
                out.push(name.replace("~1", "/").replace("~0", "~"));
            }
            for (k, v) in o {
                if !matches!(k.as_str(), "example" | "examples" | "default" | "enum" | "const") {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

fn version_parameter(spec: &IntegrationSpec) -> Option<Value> {
    let policy = spec.version_policy.as_ref()?;
    let (name, location) = match spec.version_placement()? {
        VersionPlacement::Header(h) => (h, "header"),
        VersionPlacement::Query(q) => (q, "query"),
        VersionPlacement::Path => return None,
    };
    Some(json!({
        "name": name, "in": location, "required": false,
        "schema": { "type": "string", "default": policy.current_version, "enum": spec.usable_versions() },
        "description": format!("API version; `{}` when absent.", policy.current_version)
    }))
}

/// The error response body: the provider's error object at the REST transport's `error_pointer`.
fn error_schema(spec: &IntegrationSpec) -> Value {
    let mut schema = json!({
        "type": "object",
        "description": "The provider's error object.",
        "properties": {
            "type": { "type": "string" }, "code": { "type": "string" },
            "message": { "type": "string" }, "param": { "type": "string" }
        },
        "additionalProperties": true
    });
    let pointer = spec.rest().and_then(|r| r.error_pointer.as_deref()).unwrap_or("");
    for segment in pointer.split('/').filter(|s| !s.is_empty()).rev() {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        schema = json!({
            "type": "object",
            "properties": { segment.clone(): schema },
            "required": [segment],
            "additionalProperties": true
        });
    }
    schema
}

/// Security schemes from the auth methods, and the alternatives a request may satisfy.
fn security(spec: &IntegrationSpec) -> (Map<String, Value>, Vec<Value>) {
    let mut schemes = Map::new();
    let mut requirements = Vec::new();
    for method in &spec.supported_auth_methods {
        let (name, scheme, scopes): (&str, Value, Vec<String>) = match method {
            AuthMethod::ApiKey(k) => {
                let scheme = match (&k.header_name, &k.query_param) {
                    (Some(h), _) if is_bearer(h, k.prefix.as_deref()) => {
                        json!({ "type": "http", "scheme": "bearer", "description": "API key sent as a bearer token." })
                    }
                    (Some(h), _) => json!({ "type": "apiKey", "in": "header", "name": h }),
                    (None, Some(q)) => json!({ "type": "apiKey", "in": "query", "name": q }),
                    (None, None) => continue,
                };
                ("apiKey", scheme, Vec::new())
            }
            AuthMethod::OAuth2(o) => {
                let scopes: Map<String, Value> = o.scopes.iter().map(|s| (s.clone(), Value::from(""))).collect();
                let flow = match o.grant_type {
                    GrantType::AuthorizationCode => {
                        let Some(auth_url) = &o.authorization_url else { continue };
                        json!({ "authorizationCode": {
                            "authorizationUrl": auth_url, "tokenUrl": o.token_url,
                            "refreshUrl": o.token_url, "scopes": scopes
                        } })
                    }
                    GrantType::ClientCredentials => {
                        json!({ "clientCredentials": { "tokenUrl": o.token_url, "scopes": scopes } })
                    }
                    GrantType::RefreshToken | GrantType::DeviceCode => continue,
                };
                ("oauth2", json!({ "type": "oauth2", "flows": flow }), o.scopes.clone())
            }
            AuthMethod::Bearer(b) => {
                let scheme = match b.header_name.as_deref() {
                    Some(h) if !h.eq_ignore_ascii_case("authorization") => {
                        json!({ "type": "apiKey", "in": "header", "name": h })
                    }
                    _ => json!({ "type": "http", "scheme": "bearer" }),
                };
                ("bearer", scheme, Vec::new())
            }
            AuthMethod::Basic(_) => ("basic", json!({ "type": "http", "scheme": "basic" }), Vec::new()),
            AuthMethod::Header(h) => (
                "header",
                json!({ "type": "apiKey", "in": "header", "name": h.header_name }),
                Vec::new(),
            ),
            AuthMethod::WebhookSigning(_) | AuthMethod::ServiceAccount(_) => continue,
        };
        let name = (1..)
            .map(|n| if n == 1 { name.to_string() } else { format!("{name}{n}") })
            .find(|n| !schemes.contains_key(n))
            .unwrap_or_else(|| name.to_string());
        schemes.insert(name.clone(), scheme);
        requirements.push(json!({ name: scopes }));
    }
    (schemes, requirements)
}

/// Whether a header and prefix amount to `Authorization: Bearer <key>`.
pub(crate) fn is_bearer(header: &str, prefix: Option<&str>) -> bool {
    header.eq_ignore_ascii_case("authorization") && prefix.is_some_and(|p| p.trim().eq_ignore_ascii_case("bearer"))
}
