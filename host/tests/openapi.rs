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
