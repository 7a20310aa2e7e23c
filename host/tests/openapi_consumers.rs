//! The host's OpenAPI document as its consumers read it: openapi-spec-validator, the Redocly linter and
//! openapi-python-client (a typed method per action), all installed by the test command.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

fn document() -> (tempfile::TempDir, PathBuf, Value) {
    let dir = tempfile::tempdir().unwrap();
    let text = host::openapi::render().unwrap();
    let path = dir.path().join("host.json");
    std::fs::write(&path, &text).unwrap();
    (dir, path, serde_json::from_str(&text).unwrap())
}

#[test]
fn openapi_spec_validator_accepts_the_document() {
    let Some(python) = tests::peers::require_python() else {
        return;
    };
    let (_dir, path, _) = document();
    let out = Command::new(python.with_file_name("openapi-spec-validator"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Operations that can answer no client error at all (no input, no key); Redocly's `operation-4xx-response`
/// warns about them and nothing else may be reported.
const NO_CLIENT_ERROR: &[&str] = &[
    "#/paths/~1healthz/get/responses",
    "#/paths/~1v1~1providers/get/responses",
];

#[test]
fn redocly_lints_the_document_with_no_error() {
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let (dir, path, _) = document();
    let out = Command::new(node_modules.join(".bin/redocly"))
        .args(["lint", "--format=json"])
        .arg(&path)
        .current_dir(dir.path())
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .unwrap_or_else(|e| panic!("cannot run redocly: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    let unexpected: Vec<&Value> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            !(p["ruleId"] == "operation-4xx-response"
                && NO_CLIENT_ERROR.contains(&p["location"][0]["pointer"].as_str().unwrap_or_default()))
        })
        .collect();
    assert_eq!(unexpected, Vec::<&Value>::new(), "redocly problems");
    assert_eq!(report["totals"]["errors"], 0);
    assert_eq!(report["totals"]["warnings"], json!(NO_CLIENT_ERROR.len()));
}

#[test]
fn openapi_python_client_generates_a_typed_function_per_action() {
    let Some(python) = tests::peers::require_python() else {
        return;
    };
    let (dir, path, doc) = document();
    let config = dir.path().join("opc.yaml");
    std::fs::write(&config, "post_hooks: []\n").unwrap();
    let out_dir = dir.path().join("host_client");
    let out = Command::new(python.with_file_name("openapi-python-client"))
        .args(["generate", "--meta", "none", "--path"])
        .arg(&path)
        .arg("--output-path")
        .arg(&out_dir)
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{log}");
    assert!(!log.contains("Warning") && !log.contains("Error"), "{log}");
    // One module per operation, each importable; the action modules' request bodies are the actions' inputs.
    let script = "import importlib, pkgutil, sys\n\
                  sys.path.insert(0, sys.argv[1])\n\
                  api = importlib.import_module('host_client.api')\n\
                  ops = [m.name for m in pkgutil.walk_packages(api.__path__, api.__name__ + '.') if not m.ispkg]\n\
                  mods = [importlib.import_module(o) for o in ops]\n\
                  refund = importlib.import_module('host_client.api.stripe_actions.stripe_refund_create')\n\
                  import inspect\n\
                  print(len(ops), inspect.signature(refund.sync_detailed).parameters['body'].annotation)";
    let printed = tests::peers::python_output(&python, script, &[dir.path().to_str().unwrap()]);
    let ops: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    let actions: usize = integrations::all().iter().map(|s| s.actions.len()).sum();
    assert!(ops > actions);
    let mut words = printed.split_whitespace();
    assert_eq!(words.next(), Some(ops.to_string().as_str()), "{printed}");
    assert!(printed.contains("RefundCreateParams"), "{printed}");
}
