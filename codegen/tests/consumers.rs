//! The generated files as their consumers read them: ajv's draft 2020-12 validator in strict mode over
//! every JSON Schema and MCP tool schema, the manifests against the spec format's own schema, Redocly's
//! linter and openapi-python-client over every OpenAPI document, and the MCP hints and OpenAPI shapes those
//! consumers rely on. The peers come from `cargo xtask peers` (a missing peer skips, or fails under
//! `CI=true`).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::GenInput;
use serde_json::{Value, json};

const AJV_SCRIPT: &str = include_str!("consumers/ajv.js");
const PROVIDERS: [&str; 3] = ["github", "slack", "stripe"];

/// Every file generated from `integrations::all()`, written into a temporary directory.
fn generate() -> tempfile::TempDir {
    let files = codegen::generate(&GenInput {
        integrations: integrations::all(),
        shared: support::shared(),
        ..Default::default()
    })
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    codegen::drift::write(tmp.path(), &files).unwrap();
    tmp
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn openapi(dir: &Path, provider: &str) -> Value {
    read_json(&dir.join(format!("openapi/{provider}.json")))
}

fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((format!("{method} {path}"), op));
        }
    }
    out
}

#[test]
fn every_schema_and_tool_schema_compiles_in_ajv_2020_strict_and_manifests_match_the_format() {
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let dir = generate();
    let out = tests::peers::node_output(&node_modules, AJV_SCRIPT, &[dir.path().to_str().unwrap()]);
    let report: Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(report["failures"], json!([]), "ajv strict failures");
    assert!(report["schemas"].as_u64().unwrap() >= 100, "{report}");
    assert!(report["toolSchemas"].as_u64().unwrap() >= 50, "{report}");
    assert_eq!(report["manifests"], integrations::all().len());
}

#[test]
fn no_emitted_schema_uses_a_nonstandard_format() {
    let dir = generate();
    let known = [
        "int32",
        "int64",
        "float",
        "double",
        "date",
        "time",
        "date-time",
        "duration",
        "uri",
        "uri-reference",
        "email",
        "hostname",
        "ipv4",
        "ipv6",
        "uuid",
        "byte",
        "binary",
        "password",
        "regex",
    ];
    let mut bad = Vec::new();
    for entry in walk(dir.path()) {
        if entry.extension().is_some_and(|e| e == "json") {
            formats(&read_json(&entry), &mut |f| {
                if !known.contains(&f) {
                    bad.push(format!("{}: {f}", entry.display()));
                }
            });
        }
    }
    assert!(bad.is_empty(), "non-standard formats: {bad:#?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn formats<'a>(v: &'a Value, f: &mut impl FnMut(&'a str)) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(s)) = o.get("format") {
                f(s);
            }
            for (k, x) in o {
                if !["example", "examples", "default", "const", "enum"].contains(&k.as_str()) {
                    formats(x, f);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| formats(x, f)),
        _ => {}
    }
}

#[test]
fn redocly_lints_every_openapi_document_with_no_error_and_no_warning() {
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let dir = generate();
    for provider in PROVIDERS {
        let file = dir.path().join(format!("openapi/{provider}.json"));
        let out = Command::new(node_modules.join(".bin/redocly"))
            .args(["lint", "--format=json"])
            .arg(&file)
            .current_dir(dir.path())
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
            .output()
            .unwrap_or_else(|e| panic!("cannot run redocly: {e}"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let report: Value = serde_json::from_str(stdout.trim())
            .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(report["problems"], json!([]), "{provider}: redocly problems");
        assert_eq!(report["totals"]["errors"], 0, "{provider}");
        assert_eq!(report["totals"]["warnings"], 0, "{provider}");
        assert!(out.status.success(), "{provider}: redocly exited with {}", out.status);
    }
}

#[test]
fn openapi_python_client_generates_a_client_from_every_document() {
    let Some(python) = tests::peers::require_python() else {
        return;
    };
    let generator = python.with_file_name("openapi-python-client");
    let dir = generate();
    let config = dir.path().join("opc.yaml");
    // No formatter hooks: the generated code is checked by importing it.
    std::fs::write(&config, "post_hooks: []\n").unwrap();
    for provider in PROVIDERS {
        let out_dir = dir.path().join(format!("py-{provider}"));
        let out = Command::new(&generator)
            .args(["generate", "--meta", "none", "--path"])
            .arg(dir.path().join(format!("openapi/{provider}.json")))
            .arg("--output-path")
            .arg(&out_dir)
            .arg("--config")
            .arg(&config)
            .output()
            .unwrap_or_else(|e| panic!("cannot run openapi-python-client: {e}"));
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{provider}: {log}");
        assert!(!log.contains("Warning") && !log.contains("Error"), "{provider}: {log}");
        // The package imports, with a module per operation.
        let package = format!("py_{provider}");
        std::fs::rename(&out_dir, dir.path().join(&package)).unwrap();
        let script = "import importlib, pkgutil, sys\n\
                      sys.path.insert(0, sys.argv[1])\n\
                      pkg = importlib.import_module(sys.argv[2])\n\
                      api = importlib.import_module(sys.argv[2] + '.api')\n\
                      ops = [m.name for m in pkgutil.walk_packages(api.__path__, api.__name__ + '.') if not m.ispkg]\n\
                      [importlib.import_module(o) for o in ops]\n\
                      print(len(ops))";
        let count = tests::peers::python_output(&python, script, &[dir.path().to_str().unwrap(), &package]);
        let ops = operations(&openapi(dir.path(), provider)).len();
        assert_eq!(count.trim(), ops.to_string(), "{provider}: one module per operation");
    }
}

#[test]
fn openapi_documents_say_what_generators_need() {
    let dir = generate();
    for provider in PROVIDERS {
        let doc = openapi(dir.path(), provider);
        assert_eq!(
            doc["info"]["license"],
            json!({"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"})
        );
        for t in doc["tags"].as_array().unwrap() {
            assert!(
                t["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{provider}: {t}"
            );
        }
        for (at, op) in operations(&doc) {
            assert!(op["responses"].get("4XX").is_some(), "{provider} {at}: no 4XX response");
        }
        let text = doc.to_string();
        assert!(!text.contains(r#""items":true"#), "{provider}: untyped array items");
    }
    // Stripe's range filters are objects in a union with a timestamp: deepObject all the same.
    let stripe = openapi(dir.path(), "stripe");
    let mut ranges = 0;
    for (at, op) in operations(&stripe) {
        for p in op["parameters"].as_array().into_iter().flatten() {
            if ["created", "due_date"].contains(&p["name"].as_str().unwrap_or("")) {
                assert_eq!(p["style"], "deepObject", "{at} {}", p["name"]);
                assert_eq!(p["explode"], true, "{at} {}", p["name"]);
                ranges += 1;
            }
        }
    }
    assert_eq!(ranges, 5);
}

fn tool<'a>(tools: &'a Value, name: &str) -> &'a Value {
    tools["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no tool {name}"))
}

#[test]
fn mcp_hints_follow_what_each_action_does() {
    let dir = generate();
    let stripe = read_json(&dir.path().join("mcp/stripe.json"));
    let hints = |name: &str| {
        let a = &tool(&stripe, name)["annotations"];
        (
            a["readOnlyHint"].clone(),
            a["destructiveHint"].clone(),
            a["idempotentHint"].clone(),
        )
    };
    assert_eq!(
        hints("stripe_subscription_cancel"),
        (json!(false), json!(true), json!(false))
    );
    assert_eq!(
        hints("stripe_customer_update"),
        (json!(false), json!(true), json!(false))
    );
    assert_eq!(
        hints("stripe_invoice_create"),
        (json!(false), json!(false), json!(false))
    );
    assert_eq!(hints("stripe_customer_list"), (json!(true), json!(false), json!(true)));

    let github = read_json(&dir.path().join("mcp/github.json"));
    let list = tool(&github, "github_issue_list");
    let out = &list["outputSchema"];
    assert_eq!(out["type"], "object");
    assert_eq!(out["required"], json!(["value"]));
    assert_eq!(out["properties"]["value"]["type"], "array");
    assert_eq!(list["_meta"]["output_field"], "value");
    assert!(tool(&github, "github_repo_get")["_meta"].get("output_field").is_none());

    // Slack's Web API is all `POST`s: `chat.delete` declares what its method cannot tell.
    let slack = read_json(&dir.path().join("mcp/slack.json"));
    let annotations = |name: &str| tool(&slack, name)["annotations"].clone();
    assert_eq!(annotations("slack_chat_delete")["destructiveHint"], true);
    assert_eq!(annotations("slack_chat_post_message")["destructiveHint"], false);
}
