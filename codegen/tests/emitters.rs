//! Each emitter on the small test spec: snapshots of its files, determinism, the do-not-edit line, and
//! the properties of each format that a snapshot alone would not make obvious.

mod support;

use std::path::Path;

use codegen::{GenInput, GeneratedFile};
use serde_json::Value;

fn render(files: &[GeneratedFile]) -> String {
    let mut out = String::new();
    for f in files {
        out.push_str(&format!("=== {} ===\n", f.path.display()));
        out.push_str(std::str::from_utf8(&f.contents).expect("generated files are UTF-8"));
    }
    out
}

fn json(files: &[GeneratedFile], path: &str) -> Value {
    let f = files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("{path} is not generated"));
    serde_json::from_slice(&f.contents).unwrap()
}

#[test]
fn json_schema_snapshot() {
    let spec = support::mini_stripe();
    insta::assert_snapshot!(render(&codegen::json_schema::emit(&spec).unwrap()));
}

#[test]
fn manifest_snapshot() {
    let spec = support::mini_stripe();
    insta::assert_snapshot!(render(&codegen::manifest::emit(&spec).unwrap()));
}

#[test]
fn openapi_snapshot() {
    let spec = support::mini_stripe();
    insta::assert_snapshot!(render(&codegen::openapi::emit(&spec).unwrap()));
}

#[test]
fn typescript_snapshot() {
    let spec = support::mini_stripe();
    let mut files = codegen::typescript::emit_package(&[&spec], &[]).unwrap();
    files.extend(codegen::typescript::emit(&spec).unwrap());
    insta::assert_snapshot!(render(&files));
}

#[test]
fn mcp_snapshot() {
    let spec = support::mini_stripe();
    insta::assert_snapshot!(render(&codegen::mcp::emit(&spec).unwrap()));
}

#[test]
fn docs_snapshot() {
    let spec = support::mini_stripe();
    insta::assert_snapshot!(render(&codegen::docs::emit(&spec).unwrap()));
}

#[test]
fn generating_twice_yields_identical_bytes_sorted_by_path() {
    let spec = support::mini_stripe();
    let input = GenInput {
        integrations: vec![&spec],
        shared: support::shared(),
    };
    let a = codegen::generate(&input).unwrap();
    let b = codegen::generate(&input).unwrap();
    assert_eq!(a, b);
    let paths: Vec<_> = a.iter().map(|f| f.path.clone()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(paths, sorted, "files are sorted by path, without duplicates");
}

#[test]
fn every_file_starts_with_the_do_not_edit_line() {
    let spec = support::mini_stripe();
    let files = codegen::generate(&GenInput {
        integrations: vec![&spec],
        shared: support::shared(),
    })
    .unwrap();
    assert!(files.len() > 20, "{} files", files.len());
    for f in &files {
        let text = std::str::from_utf8(&f.contents).unwrap();
        let path = f.path.to_string_lossy();
        let first = if path.ends_with(".json") {
            // The first member of the top-level object.
            text.lines().nth(1).unwrap_or_default().trim().to_string()
        } else {
            text.lines().next().unwrap_or_default().to_string()
        };
        let expected = if path.starts_with("openapi/") {
            format!("\"x-comment\": {:?},", codegen::DO_NOT_EDIT)
        } else if path.ends_with(".json") {
            format!("\"$comment\": {:?},", codegen::DO_NOT_EDIT)
        } else if path.ends_with(".ts") {
            format!("// {}", codegen::DO_NOT_EDIT)
        } else if path.ends_with(".md") {
            format!("<!-- {} -->", codegen::DO_NOT_EDIT)
        } else if path.ends_with(".gitignore") {
            format!("# {}", codegen::DO_NOT_EDIT)
        } else {
            panic!("unexpected file {path}")
        };
        assert_eq!(first, expected, "{path}");
        assert!(codegen::DO_NOT_EDIT.contains("cargo xtask gen"));
        assert!(text.ends_with('\n'), "{path} ends with a newline");
    }
}

#[test]
fn json_schemas_are_2020_12_with_write_only_secrets_and_no_secret_examples() {
    let spec = support::mini_stripe();
    let files = codegen::json_schema::emit(&spec).unwrap();
    for f in &files {
        let v: Value = serde_json::from_slice(&f.contents).unwrap();
        assert_eq!(
            v["$schema"],
            "https://json-schema.org/draft/2020-12/schema",
            "{}",
            f.path.display()
        );
        assert!(v["title"].is_string());
    }
    let secrets = json(&files, "json-schema/stripe/secrets.schema.json");
    assert_eq!(secrets["properties"]["api_key"]["writeOnly"], true);
    assert_eq!(secrets["properties"]["webhook_secret"]["writeOnly"], true);
    assert!(secrets.get("examples").is_none(), "secret examples are not published");
    let config = json(&files, "json-schema/stripe/config.schema.json");
    assert_eq!(config["examples"][0], spec.config.example);
    let list = json(
        &files,
        "json-schema/stripe/actions/stripe.customer.list.output.schema.json",
    );
    assert_eq!(list["properties"]["data"]["items"]["$ref"], "#/$defs/Customer");
    assert!(list["$defs"]["Customer"].is_object(), "documents keep their $defs");
    let shared = codegen::json_schema::emit_shared(&support::shared()).unwrap();
    assert_eq!(shared[0].path, Path::new("json-schema/integration-spec.schema.json"));
}

#[test]
fn manifest_is_the_spec_without_secret_examples() {
    let spec = support::mini_stripe();
    let mut v = json(&codegen::manifest::emit(&spec).unwrap(), "manifest/stripe.json");
    let text = v.to_string();
    assert!(!text.contains("sk_live_***"), "no secret example in the manifest");
    assert!(!text.contains("whsec_***"));
    assert_eq!(v["secrets"]["schema"]["properties"]["api_key"]["writeOnly"], true);
    v.as_object_mut().unwrap().remove("$comment");
    let back: spec_core::IntegrationSpec = serde_json::from_value(v).unwrap();
    let mut expected = spec.clone();
    expected.secrets.example = Value::Null;
    // Schemas are written with standard keywords only.
    let standard = |ts: &mut spec_core::TypeSchema| ts.schema = codegen::standard_schema(&ts.schema);
    standard(&mut expected.config);
    standard(&mut expected.secrets);
    for a in &mut expected.actions {
        standard(&mut a.input);
        standard(&mut a.output);
    }
    for t in expected.events.iter_mut().flat_map(|e| &mut e.types) {
        standard(&mut t.payload);
    }
    assert_eq!(back, expected);
}

#[test]
fn manifest_redacts_write_only_values_in_other_examples() {
    let mut spec = support::mini_stripe();
    let input = &mut spec.actions[2].input;
    input.schema["properties"]["name"]["writeOnly"] = true.into();
    let v = json(&codegen::manifest::emit(&spec).unwrap(), "manifest/stripe.json");
    assert_eq!(v["actions"][2]["input"]["example"]["name"], "[REDACTED]");
    assert_eq!(v["actions"][2]["input"]["example"]["email"], "ada@example.com");
}

#[test]
fn openapi_operations_follow_the_spec() {
    let spec = support::mini_stripe();
    let doc = json(&codegen::openapi::emit(&spec).unwrap(), "openapi/stripe.json");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "https://api.stripe.com");

    let get = &doc["paths"]["/v1/customers/{id}"]["get"];
    assert_eq!(get["operationId"], "customer_get");
    let params = get["parameters"].as_array().unwrap();
    assert_eq!(params[0]["name"], "id");
    assert_eq!(params[0]["in"], "path");
    assert_eq!(params[0]["required"], true);
    assert!(params.iter().any(|p| p["$ref"] == "#/components/parameters/ApiVersion"));
    assert!(
        !params
            .iter()
            .any(|p| p["$ref"] == "#/components/parameters/IdempotencyKey"),
        "reads carry no idempotency key"
    );
    assert_eq!(
        get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Customer"
    );

    let list = &doc["paths"]["/v1/customers"]["get"];
    let names: Vec<&str> = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["created", "email", "limit", "starting_after"]);
    let created = &list["parameters"][0];
    assert_eq!(created["style"], "deepObject");
    assert_eq!(created["in"], "query");
    assert!(list.get("requestBody").is_none());

    let create = &doc["paths"]["/v1/customers"]["post"];
    let media = &create["requestBody"]["content"]["application/x-www-form-urlencoded"];
    assert_eq!(media["schema"]["$ref"], "#/components/schemas/CustomerCreate");
    assert_eq!(media["encoding"]["metadata"]["style"], "deepObject");
    assert!(
        create["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["$ref"] == "#/components/parameters/IdempotencyKey")
    );

    let delete = &doc["paths"]["/v1/customers/{id}"]["delete"];
    assert_eq!(delete["operationId"], "customer_delete");
    assert_eq!(delete["x-high-impact"], true);
    assert!(
        delete.get("requestBody").is_none(),
        "the only input field is in the path"
    );

    let version = &doc["components"]["parameters"]["ApiVersion"];
    assert_eq!(version["name"], "Stripe-Version");
    assert_eq!(version["in"], "header");
    assert_eq!(version["schema"]["default"], "2024-11-20.acacia");
    assert_eq!(
        version["schema"]["enum"],
        serde_json::json!(["2024-11-20.acacia", "2024-06-20"])
    );

    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["apiKey"]["type"], "http");
    assert_eq!(schemes["apiKey"]["scheme"], "bearer");
    let flow = &schemes["oauth2"]["flows"]["authorizationCode"];
    assert_eq!(flow["authorizationUrl"], "https://connect.stripe.com/oauth/authorize");
    assert!(flow["scopes"].get("read_write").is_some());
    assert_eq!(doc["security"][1]["oauth2"][0], "read_write");

    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "Address",
        "Customer",
        "ListCustomer",
        "RangeQuery",
        "TaxExempt",
        "InvoiceDelivery",
        "ProviderError",
    ] {
        assert!(schemas.contains_key(name), "components/schemas/{name}");
    }
    let text = doc.to_string();
    assert!(!text.contains("#/$defs/"), "every $ref is rewritten into components");
    assert_eq!(doc["components"]["schemas"]["ProviderError"]["required"][0], "error");
}

#[test]
fn mcp_tools_have_names_schemas_and_annotations() {
    let spec = support::mini_stripe();
    let doc = json(&codegen::mcp::emit(&spec).unwrap(), "mcp/stripe.json");
    let tools = doc["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "stripe_customer_list",
            "stripe_customer_get",
            "stripe_customer_create",
            "stripe_customer_delete"
        ]
    );
    for t in tools {
        let name = t["name"].as_str().unwrap();
        assert!(name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        assert_eq!(t["inputSchema"]["type"], "object");
        assert!(t["inputSchema"].get("$schema").is_none());
    }
    let a = |i: usize, k: &str| tools[i]["annotations"][k].clone();
    assert_eq!(
        (a(0, "readOnlyHint"), a(0, "destructiveHint")),
        (true.into(), false.into())
    );
    assert_eq!(
        (a(2, "readOnlyHint"), a(2, "idempotentHint")),
        (false.into(), false.into())
    );
    assert_eq!(
        (a(3, "destructiveHint"), a(3, "idempotentHint")),
        (true.into(), true.into())
    );
    assert_eq!(tools[3]["_meta"]["action_id"], "stripe.customer.delete");
    assert!(tools[3]["description"].as_str().unwrap().contains("confirm"));
    assert_eq!(tools[0]["inputSchema"]["$defs"]["RangeQuery"]["type"], "object");
}

#[test]
fn docs_hold_the_capability_map_env_vars_and_urls() {
    let spec = support::mini_stripe();
    let files = codegen::docs::emit(&spec).unwrap();
    let md = std::str::from_utf8(&files[0].contents).unwrap();
    for needle in [
        "| Provider ID | `stripe` |",
        "| Events | Yes (2) |",
        "| Live status | Yes",
        "STRIPE_INTEGRATION_CLIENT_ID=",
        "STRIPE_INTEGRATION_SECRET_KEY=",
        "STRIPE_INTEGRATION_APP_BASE_URL=",
        "STRIPE_INTEGRATION_SIGNING_SECRET=",
        "STRIPE_INTEGRATION_WEBHOOK_SECRET=",
        "{STRIPE_INTEGRATION_APP_BASE_URL}/v1/provider/stripe/callback",
        "{STRIPE_INTEGRATION_APP_BASE_URL}/v1/provider/stripe/webhook/events",
        "| `stripe.customer.create` | `customer_write` |",
        "\"email\": \"ada@example.com\"",
        "| `stripe.customer.created` | `customer.created` | `Customer` |",
    ] {
        assert!(md.contains(needle), "docs lack {needle:?}");
    }
    assert!(
        !md.contains("sk_live_***") && !md.contains("whsec_***"),
        "no secret example in the docs"
    );
}

#[test]
fn generation_fails_on_broken_input() {
    let spec = support::mini_stripe();

    let mut missing = spec.clone();
    missing.actions[1].output.schema = Value::Null;
    let err = codegen::generate(&GenInput {
        integrations: vec![&missing],
        shared: vec![],
    })
    .unwrap_err();
    assert!(err.to_string().contains("actions[1].output"), "{err}");

    let mut invalid = spec.clone();
    invalid.config.example["account_id"] = 5.into();
    let err = codegen::generate(&GenInput {
        integrations: vec![&invalid],
        shared: vec![],
    })
    .unwrap_err();
    assert!(err.to_string().contains("E_EXAMPLE_INVALID"), "{err}");

    let err = codegen::generate(&GenInput {
        integrations: vec![&spec, &spec],
        shared: vec![],
    })
    .unwrap_err();
    assert!(matches!(err, codegen::GenError::DuplicateProvider { .. }), "{err}");

    let mut clash = spec.clone();
    let mut twin = clash.actions[1].clone();
    twin.id = "stripe.customer_get".into();
    twin.method_name = "customer_get_again".into();
    twin.path = "/v1/customers/{id}/again".into();
    clash.actions.push(twin);
    let err = codegen::mcp::emit(&clash).unwrap_err();
    assert!(err.to_string().contains("stripe_customer_get"), "{err}");

    let mut same_route = spec.clone();
    let mut twin = same_route.actions[1].clone();
    twin.id = "stripe.customer.fetch".into();
    twin.method_name = "customer_fetch".into();
    same_route.actions.push(twin);
    let err = codegen::openapi::emit(&same_route).unwrap_err();
    assert!(err.to_string().contains("GET /v1/customers/{id}"), "{err}");

    let bad = codegen::NamedSchema {
        name: "../x".into(),
        schema: Value::Bool(true),
    };
    let err = codegen::generate(&GenInput {
        integrations: vec![],
        shared: vec![bad],
    })
    .unwrap_err();
    assert!(matches!(err, codegen::GenError::BadSharedName(_)), "{err}");
}

#[test]
fn no_integrations_still_yields_the_package_and_shared_schemas() {
    let files = codegen::generate(&GenInput {
        integrations: vec![],
        shared: support::shared(),
    })
    .unwrap();
    let paths: Vec<String> = files.iter().map(|f| f.path.to_string_lossy().into_owned()).collect();
    assert_eq!(
        paths,
        [
            "json-schema/integration-spec.schema.json",
            "typescript/.gitignore",
            "typescript/README.md",
            "typescript/index.ts",
            "typescript/package.json",
            "typescript/runtime.ts",
            "typescript/shared.ts",
            "typescript/tsconfig.json",
            "typescript/version.ts",
        ]
    );
}
