//! The emitted files pass third-party validators: every JSON Schema passes the draft 2020-12 meta-schema
//! check of Python `jsonschema` and every example validates against its schema; the OpenAPI document
//! passes `openapi-spec-validator`; MCP tool schemas are valid JSON Schemas.

mod support;

use std::path::Path;

use codegen::GenInput;
use serde_json::{Value, json};

/// The third-party checks, shared with the test of a workspace declared outside this one (`downstream.rs`).
const CHECK: &str = include_str!("support/validate.py");

/// Each example of the spec (secrets included) with the emitted schema it must satisfy.
fn example_pairs(spec: &spec_core::IntegrationSpec) -> Vec<(String, Value)> {
    let dir = format!("json-schema/{}", spec.provider_id());
    let mut pairs = vec![
        (format!("{dir}/config.schema.json"), spec.config.example.clone()),
        (format!("{dir}/secrets.schema.json"), spec.secrets.example.clone()),
    ];
    for a in &spec.actions {
        pairs.push((
            format!("{dir}/actions/{}.input.schema.json", a.id),
            a.input.example.clone(),
        ));
        pairs.push((
            format!("{dir}/actions/{}.output.schema.json", a.id),
            a.output.example.clone(),
        ));
    }
    for t in &spec.events.as_ref().unwrap().types {
        pairs.push((
            format!("{dir}/events/{}.schema.json", t.event_type),
            t.payload.example.clone(),
        ));
    }
    pairs.retain(|(_, e)| !e.is_null());
    pairs
}

#[test]
fn emitted_schemas_and_openapi_pass_python_validators() {
    let Some(python) = tests::peers::require_python() else {
        return;
    };
    let spec = support::mini_stripe();
    let files = codegen::generate(&GenInput {
        integrations: vec![&spec],
        shared: support::shared(),
        ..Default::default()
    })
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    codegen::drift::write(tmp.path(), &files).unwrap();
    let pairs = example_pairs(&spec);
    let pairs_file = tmp.path().join("pairs.json");
    std::fs::write(&pairs_file, serde_json::to_vec(&pairs).unwrap()).unwrap();

    let out = tests::peers::python_output(
        &python,
        CHECK,
        &[tmp.path().to_str().unwrap(), pairs_file.to_str().unwrap()],
    );
    let counts: Value = serde_json::from_str(out.trim()).unwrap();

    let schema_files = files.iter().filter(|f| f.path.starts_with("json-schema")).count();
    let published_examples: usize = files
        .iter()
        .filter(|f| f.path.starts_with("json-schema"))
        .map(|f| {
            let v: Value = serde_json::from_slice(&f.contents).unwrap();
            v.get("examples").and_then(Value::as_array).map_or(0, Vec::len)
        })
        .sum();
    assert_eq!(
        schema_files, 13,
        "spec format + config, secrets, 4 × (input, output), 2 events"
    );
    assert!(published_examples >= 5, "{published_examples}");
    assert!(pairs.iter().any(|(p, _)| p.ends_with("secrets.schema.json")));
    assert_eq!(
        counts,
        json!({
            "schemas": schema_files, "examples": published_examples, "spec_examples": pairs.len(),
            "openapi": 1, "tools": spec.actions.len()
        })
    );
}

#[test]
fn a_broken_schema_is_caught_by_the_metaschema_check() {
    // The check above is only worth something if it can fail: a schema with a wrong keyword type fails.
    let Some(python) = tests::peers::require_python() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("json-schema");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bad.schema.json"), r#"{"type": "object", "required": "id"}"#).unwrap();
    let pairs = tmp.path().join("pairs.json");
    std::fs::write(&pairs, "[]").unwrap();
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(CHECK)
        .args([tmp.path(), Path::new(&pairs)])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("SchemaError"));
}
