//! The Rust client, the generated TypeScript client and the OpenAPI document agree on the headers of every
//! request: for each integration, and for a minimal spec that declares no optional field, one read and one
//! write are sent by the Rust client and by the TypeScript client (compiled with `tsc`, run with Node) to
//! local recording servers, and the auth, version, idempotency and content-type headers each sends are
//! compared with each other and with what the OpenAPI document declares for the operation.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use codegen::GenInput;
use schemars::{JsonSchema, schema_for};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use spec_core::{Action, IntegrationSpec, TypeSchema};
use spec_runtime::client::{Credential, RestClient};

/// Headers every HTTP client adds on its own; they say nothing about the spec.
const TRANSPORT_HEADERS: &[&str] = &[
    "accept",
    "accept-encoding",
    "accept-language",
    "connection",
    "content-length",
    "host",
    "sec-fetch-mode",
    "transfer-encoding",
    "user-agent",
];

const CREDENTIAL: &str = "cred_test_4eC39HqLyjWDarjtT1zdp7dc";

/// Minimal spec types.
#[derive(Serialize, Deserialize, JsonSchema)]
struct MinimalConfig {
    region: Option<String>,
}
#[derive(Serialize, Deserialize, JsonSchema)]
struct MinimalSecrets {
    token: String,
}
#[derive(Serialize, Deserialize, JsonSchema)]
struct ItemListParams {
    limit: Option<u32>,
}
#[derive(Serialize, Deserialize, JsonSchema)]
struct ItemCreateParams {
    name: String,
}
#[derive(Serialize, Deserialize, JsonSchema)]
struct Item {
    id: String,
}

fn schema<T: JsonSchema>(name: &str) -> TypeSchema {
    TypeSchema {
        type_name: name.into(),
        schema: serde_json::to_value(schema_for!(T)).unwrap(),
        example: Value::Null,
    }
}

/// A spec declaring only the required fields: no version policy, no idempotency header, JSON body by default.
fn minimal() -> &'static IntegrationSpec {
    let mut spec: IntegrationSpec = serde_json::from_value(json!({
        "meta": {"key": "custom.minimal", "version": "1.0.0", "category": "custom", "title": "Minimal",
                 "domain": "custom", "stability": "beta"},
        "supported_modes": ["managed"],
        "transports": [{"type": "rest", "base_url": "https://api.minimal.test"}],
        "preferred_transport": "rest",
        "supported_auth_methods": [{"type": "bearer"}],
        "config": {"type_name": "MinimalConfig"},
        "secrets": {"type_name": "MinimalSecrets"},
        "actions": [
            {"id": "minimal.item.list", "method_name": "item_list", "method": "GET", "path": "/items",
             "input": {"type_name": "ItemListParams"}, "output": {"type_name": "Item"}},
            {"id": "minimal.item.create", "method_name": "item_create", "method": "POST", "path": "/items",
             "input": {"type_name": "ItemCreateParams"}, "output": {"type_name": "Item"}, "mutates": true}
        ]
    }))
    .unwrap();
    spec.config = schema::<MinimalConfig>("MinimalConfig");
    spec.secrets = schema::<MinimalSecrets>("MinimalSecrets");
    spec.actions[0].input = schema::<ItemListParams>("ItemListParams");
    spec.actions[0].output = schema::<Item>("Item");
    spec.actions[1].input = schema::<ItemCreateParams>("ItemCreateParams");
    spec.actions[1].output = schema::<Item>("Item");
    spec_core::validate(&spec).unwrap_or_else(|e| panic!("the minimal spec is invalid: {e:#?}"));
    support::leak(spec)
}

/// Resolves a local `$ref` (`#/$defs/X`) against the root schema.
fn resolve<'a>(root: &'a Value, s: &'a Value) -> &'a Value {
    match s.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => root.pointer(pointer).map_or(s, |t| resolve(root, t)),
        None => s,
    }
}

/// The smallest value of a schema: every required member filled, first enum value or branch.
fn sample(root: &Value, s: &Value) -> Value {
    let s = resolve(root, s);
    if let Some(first) = s.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    if let Some(c) = s.get("const") {
        return c.clone();
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(first) = s
            .get(key)
            .and_then(|b| b.as_array())
            .and_then(|b| b.iter().find(|x| resolve(root, x).get("type") != Some(&json!("null"))))
        {
            return sample(root, first);
        }
    }
    let ty = match s.get("type") {
        Some(Value::Array(types)) => types.iter().find(|t| *t != "null").cloned().unwrap_or(Value::Null),
        Some(t) => t.clone(),
        None => json!("object"),
    };
    match ty.as_str() {
        Some("string") => json!("x"),
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(true),
        Some("array") => json!([]),
        Some("null") => Value::Null,
        _ => {
            let mut out = serde_json::Map::new();
            for name in s.get("required").and_then(Value::as_array).into_iter().flatten() {
                let Some(name) = name.as_str() else { continue };
                let prop = s.pointer(&format!("/properties/{name}")).unwrap_or(&Value::Null);
                out.insert(name.to_string(), sample(root, prop));
            }
            Value::Object(out)
        }
    }
}

/// One read (non-mutating) and one write (mutating) action of a spec, with sample inputs.
fn read_and_write(spec: &IntegrationSpec) -> Vec<(&Action, Value)> {
    let read = spec.actions.iter().find(|a| !a.mutates);
    let write = spec.actions.iter().find(|a| a.mutates);
    read.into_iter()
        .chain(write)
        .map(|a| (a, sample(&a.input.schema, &a.input.schema)))
        .collect()
}

/// The credential both clients use: an API key when the spec takes one, else a bearer token.
fn takes_api_key(spec: &IntegrationSpec) -> bool {
    spec.auth_method(spec_core::AuthKind::ApiKey).is_some()
}

/// A request as a recording server saw it: method, path and lower-cased headers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    method: String,
    headers: BTreeMap<String, String>,
}

/// A one-request-per-connection HTTP/1.1 server on 127.0.0.1 answering `{"ok":true}`, recording each request.
fn recorder() -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let method = line.split(' ').next().unwrap_or_default().to_string();
            let mut headers = BTreeMap::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
                }
            }
            let len: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            log.lock().unwrap().push(Seen { method, headers });
            let reply = "{\"ok\":true}";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, seen)
}

/// What the Rust client sends for each `(action id, input)`.
fn rust_requests(spec: &'static IntegrationSpec, calls: &[(&Action, Value)]) -> Vec<Seen> {
    let (url, seen) = recorder();
    let credential = if takes_api_key(spec) {
        Credential::api_key(CREDENTIAL)
    } else {
        Credential::bearer(CREDENTIAL)
    };
    let client = RestClient::builder(spec)
        .base_url(&url)
        .credential(credential)
        .build()
        .unwrap_or_else(|e| panic!("{}: {e}", spec.meta.key));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for (action, input) in calls {
        // Only the request matters; the canned answer may not decode as the action's output.
        let _ = rt.block_on(client.invoke(&action.id, input.clone()));
    }
    let out = seen.lock().unwrap().clone();
    assert_eq!(
        out.len(),
        calls.len(),
        "{}: the Rust client sent {out:?}",
        spec.meta.key
    );
    out
}

const TS_SCRIPT: &str = r#"
const http = require("http");
const path = require("path");
const { pathToFileURL } = require("url");

(async () => {
  const [pkg, plan] = process.argv.slice(1);
  const out = {};
  for (const [provider, p] of Object.entries(JSON.parse(plan))) {
    const mod = await import(pathToFileURL(path.join(pkg, `dist/${provider}/index.js`)).href);
    const seen = [];
    const server = http.createServer((req, res) => {
      req.on("data", () => {});
      req.on("end", () => {
        seen.push({ method: req.method, headers: req.headers });
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      });
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const Client = Object.values(mod).find((v) => typeof v === "function" && /Client$/.test(v.name) && v.name !== "BaseClient");
    const baseUrl = `http://127.0.0.1:${server.address().port}`;
    const client = new Client(p.apiKey ? { apiKey: p.credential, baseUrl } : { accessToken: p.credential, baseUrl });
    for (const call of p.calls) {
      const name = Object.entries(mod.ACTIONS).find(([, a]) => a.id === call.id)[0];
      try { await client[name](call.input); } catch (e) { /* only the request matters */ }
    }
    server.close();
    out[provider] = seen;
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"#;

/// What the generated TypeScript client sends, per provider.
fn ts_requests(specs: &[&'static IntegrationSpec], node_modules: &Path) -> BTreeMap<String, Vec<Seen>> {
    let files = codegen::generate(&GenInput {
        integrations: specs.to_vec(),
        shared: support::shared(),
        ..Default::default()
    })
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    codegen::drift::write(tmp.path(), &files).unwrap();
    let pkg = tmp.path().join("typescript");
    let tsc = Command::new(node_modules.join(".bin/tsc"))
        .arg("-p")
        .arg(&pkg)
        .arg("--strict")
        .output()
        .unwrap();
    assert!(tsc.status.success(), "tsc: {}", String::from_utf8_lossy(&tsc.stdout));
    let plan: serde_json::Map<String, Value> = specs
        .iter()
        .map(|s| {
            let calls: Vec<Value> = read_and_write(s)
                .into_iter()
                .map(|(a, input)| json!({"id": a.id, "input": input}))
                .collect();
            let p = json!({"apiKey": takes_api_key(s), "credential": CREDENTIAL, "calls": calls});
            (s.provider_id().to_string(), p)
        })
        .collect();
    let out = tests::peers::node_output(
        &node_modules.to_path_buf(),
        TS_SCRIPT,
        &[pkg.to_str().unwrap(), &Value::Object(plan).to_string()],
    );
    let all: BTreeMap<String, Vec<Value>> = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    all.into_iter()
        .map(|(provider, seen)| {
            let seen = seen
                .into_iter()
                .map(|r| Seen {
                    method: r["method"].as_str().unwrap_or_default().to_string(),
                    headers: r["headers"]
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap_or_default().to_string()))
                        .collect(),
                })
                .collect();
            (provider, seen)
        })
        .collect()
}

/// The headers that carry a fact of the spec: everything but what HTTP clients add on their own.
fn spec_headers(seen: &Seen) -> BTreeMap<String, String> {
    seen.headers
        .iter()
        .filter(|(k, _)| !TRANSPORT_HEADERS.contains(&k.as_str()))
        .map(|(k, v)| {
            // The media type only: `application/json; charset=utf-8` and `application/json` agree.
            let v = if k == "content-type" {
                v.split(';').next().unwrap_or_default().trim().to_string()
            } else {
                v.clone()
            };
            (k.clone(), v)
        })
        .collect()
}

/// The header parameters, security headers and request media types the OpenAPI document declares for
/// the operation of `action`.
struct Documented {
    header_params: BTreeSet<String>,
    auth_headers: BTreeSet<String>,
    media_types: BTreeSet<String>,
}

fn documented(doc: &Value, action: &Action) -> Documented {
    let op = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .find(|op| op["operationId"] == action.method_name.as_str())
        .unwrap_or_else(|| panic!("no operation {} in the OpenAPI document", action.method_name));
    let header_params = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| match p["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => doc.pointer(pointer).unwrap(),
            None => p,
        })
        .filter(|p| p["in"] == "header")
        .map(|p| p["name"].as_str().unwrap().to_ascii_lowercase())
        .collect();
    let requirements = op.get("security").unwrap_or(&doc["security"]);
    let auth_headers = requirements
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r.as_object().unwrap().keys())
        .map(|name| &doc["components"]["securitySchemes"][name])
        .filter_map(|s| match (s["type"].as_str(), s["in"].as_str()) {
            (Some("apiKey"), Some("header")) => s["name"].as_str().map(str::to_ascii_lowercase),
            (Some("http" | "oauth2" | "openIdConnect"), _) => Some("authorization".into()),
            _ => None,
        })
        .collect();
    let media_types = op["requestBody"]["content"]
        .as_object()
        .into_iter()
        .flat_map(|c| c.keys().cloned())
        .collect();
    Documented {
        header_params,
        auth_headers,
        media_types,
    }
}

fn check(spec: &'static IntegrationSpec, rust: &[Seen], ts: &[Seen], openapi: &Value) -> Vec<String> {
    let key = &spec.meta.key;
    let mut problems = Vec::new();
    let idempotency = spec.idempotency_header().map(str::to_ascii_lowercase);
    let account = spec.account_header().map(str::to_ascii_lowercase);
    let defaults: BTreeSet<String> = spec
        .rest()
        .into_iter()
        .flat_map(|r| r.default_headers.keys())
        .map(|k| k.to_ascii_lowercase())
        .collect();
    for (((action, _), r), t) in read_and_write(spec).iter().zip(rust).zip(ts) {
        let id = &action.id;
        let (rh, th) = (spec_headers(r), spec_headers(t));
        let names = |h: &BTreeMap<String, String>| h.keys().cloned().collect::<BTreeSet<_>>();
        if names(&rh) != names(&th) {
            problems.push(format!(
                "{key} {id}: the Rust client sends {:?}, the TypeScript client {:?}",
                names(&rh),
                names(&th)
            ));
        }
        for (name, value) in &rh {
            // Idempotency keys are random per client; that one is sent must agree, not its value.
            if Some(name) != idempotency.as_ref() && th.get(name).is_some_and(|v| v != value) {
                problems.push(format!(
                    "{key} {id}: `{name}` is `{value}` from Rust, `{}` from TypeScript",
                    th[name]
                ));
            }
        }
        let doc = documented(openapi, action);
        let auth: BTreeSet<String> = names(&rh).intersection(&doc.auth_headers).cloned().collect();
        if auth.is_empty() {
            problems.push(format!(
                "{key} {id}: no header sent carries a credential the document declares ({:?})",
                doc.auth_headers
            ));
        }
        // Every header parameter sent is documented, and every documented one is sent (the account header
        // only when an account is configured, which it is not here).
        let sent: BTreeSet<String> = names(&rh)
            .into_iter()
            .filter(|h| h != "content-type" && !auth.contains(h) && !defaults.contains(h))
            .collect();
        let declared: BTreeSet<String> = doc
            .header_params
            .iter()
            .filter(|h| Some(*h) != account.as_ref())
            .cloned()
            .collect();
        if sent != declared {
            problems.push(format!(
                "{key} {id}: header parameters sent {sent:?}, documented {declared:?}"
            ));
        }
        match rh.get("content-type") {
            Some(ct) if !doc.media_types.contains(ct) => problems.push(format!(
                "{key} {id}: sent `content-type: {ct}`, documented {:?}",
                doc.media_types
            )),
            None if !doc.media_types.is_empty() && r.method != "GET" => problems.push(format!(
                "{key} {id}: no content-type sent, documented {:?}",
                doc.media_types
            )),
            _ => {}
        }
    }
    problems
}

#[test]
fn rust_client_typescript_client_and_openapi_agree_on_every_header() {
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let mut specs: Vec<&'static IntegrationSpec> = integrations::all();
    specs.push(minimal());
    let ts = ts_requests(&specs, &node_modules);
    let files = codegen::generate(&GenInput {
        integrations: specs.clone(),
        shared: support::shared(),
        ..Default::default()
    })
    .unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    for spec in &specs {
        let calls = read_and_write(spec);
        assert!(!calls.is_empty(), "{} has no action to check", spec.meta.key);
        let rust = rust_requests(spec, &calls);
        let ts = &ts[spec.provider_id()];
        assert_eq!(
            ts.len(),
            calls.len(),
            "{}: the TypeScript client sent {ts:?}",
            spec.meta.key
        );
        let path = format!("openapi/{}.json", spec.provider_id());
        let file = files
            .iter()
            .find(|f| f.path.to_string_lossy() == path)
            .unwrap_or_else(|| panic!("no {path} generated"));
        let openapi: Value = serde_json::from_slice(&file.contents).unwrap();
        problems.extend(check(spec, &rust, ts, &openapi));
        checked += calls.len();
    }
    // Three integrations with a read and a write each, and the minimal spec's two.
    assert!(checked >= 8, "only {checked} requests were compared");
    assert!(
        problems.is_empty(),
        "the clients and the document disagree:\n{}",
        problems.join("\n")
    );
}
