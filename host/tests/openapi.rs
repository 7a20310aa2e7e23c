//! The committed OpenAPI document of the host is the one its code generates.

use std::path::Path;

#[test]
fn committed_document_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(host::openapi::COMMITTED_PATH);
    let want = host::openapi::render().unwrap();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is out of date with the host's routes: run `{}` and commit the result",
        host::openapi::COMMITTED_PATH,
        host::openapi::COMMAND
    );
}

#[test]
fn document_is_openapi_3_1_with_every_route_and_the_key_scheme() {
    let doc: serde_json::Value = serde_json::from_str(&host::openapi::render().unwrap()).unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert!(doc["x-comment"].as_str().unwrap().contains(host::openapi::COMMAND));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/v1/projects/{project}",
        "/v1/projects/{project}/connections",
        "/v1/projects/{project}/connections/{connection}",
        "/v1/projects/{project}/events",
        "/v1/projects/{project}/events/stream",
        "/v1/provider/{provider}/webhook/events",
        "/v1/hooks/{endpoint_id}",
        "/v1/projects/{project}/triggers",
        "/v1/projects/{project}/triggers/{trigger}",
        "/v1/projects/{project}/triggers/{trigger}/deliveries",
        "/v1/projects/{project}/triggers/{trigger}/replay",
        "/v1/projects/{project}/deliveries/{delivery}/retry",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
    assert_eq!(doc["components"]["securitySchemes"]["project_key"]["scheme"], "bearer");
    let secrets = &doc["components"]["schemas"]["CreateConnection"]["properties"]["secrets"];
    assert_eq!(secrets["writeOnly"], true, "{secrets}");
}

#[test]
fn every_action_has_an_operation_with_its_own_schemas() {
    let doc: serde_json::Value = serde_json::from_str(&host::openapi::render().unwrap()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for spec in integrations::all() {
        for action in &spec.actions {
            let op = &doc["paths"][host::openapi::action_path(&action.id)]["post"];
            assert_eq!(op["x-action-id"], action.id.as_str(), "{}", action.id);
            assert!(
                ids.insert(op["operationId"].as_str().unwrap().to_string()),
                "{} id reused",
                action.id
            );
            let input = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap();
            let output = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap();
            for r in [input, output] {
                let name = r.strip_prefix("#/components/schemas/").unwrap();
                assert!(schemas.contains_key(name), "{}: {r} missing", action.id);
            }
            assert_eq!(
                op["responses"].get("202").is_some(),
                action.high_impact,
                "{}",
                action.id
            );
            assert_eq!(op["responses"].get("409").is_some(), action.mutates, "{}", action.id);
            let takes_key = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "Idempotency-Key");
            assert_eq!(takes_key, action.mutates, "{}", action.id);
        }
    }
    let refund = &doc["paths"][host::openapi::action_path("stripe.refund.create")]["post"];
    assert_eq!(
        refund["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/RefundCreateParams"
    );
    assert_eq!(
        refund["responses"]["202"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Interaction"
    );
}
