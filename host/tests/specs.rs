//! Integrations declared as JSON spec files: validated at start with errors naming file and path, then served
//! (connections, signed deliveries, the event log) without recompiling.

mod common;

use serde_json::{Value, json};

/// Stripe's spec as JSON, renamed to another provider.
fn acme_spec() -> Value {
    let text = serde_json::to_string(integrations::stripe::spec())
        .unwrap()
        .replace("\"stripe.", "\"acme.");
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["meta"]["key"] = json!("payments.acme");
    v["meta"]["title"] = json!("Acme Payments");
    v["events"]["prefix"] = json!("acme.");
    v
}

#[test]
fn invalid_files_are_named_with_the_path_of_each_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = acme_spec();
    bad["version_policy"]["current_version"] = json!("1999-01-01");
    std::fs::write(dir.path().join("acme.json"), bad.to_string()).unwrap();
    std::fs::write(dir.path().join("broken.json"), "{ nope").unwrap();
    let dup = serde_json::to_value(integrations::stripe::spec()).unwrap();
    std::fs::write(dir.path().join("dup.json"), dup.to_string()).unwrap();
    let e = host::specs::load_dir(dir.path(), &integrations::all())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("acme.json: version_policy.current_version: [E_CURRENT_VERSION_UNSUPPORTED]"),
        "{e}"
    );
    assert!(e.contains("broken.json:1:"), "{e}");
    assert!(
        e.contains("dup.json: meta.key: provider `stripe` is already served"),
        "{e}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_spec_is_served_without_recompiling() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("acme.json"), acme_spec().to_string()).unwrap();
    let mut specs = integrations::all();
    specs.extend(host::specs::load_dir(dir.path(), &specs).unwrap());
    let t = common::sqlite().await;
    let env = std::collections::BTreeMap::<String, String>::new();
    let providers = host::providers::load(&specs, &env).unwrap();
    assert!(providers.contains_key("acme"));
    let sealer = host::seal::Sealer::new("test", common::SEAL_KEY, None).unwrap();
    let state = host::state::AppState::new(t.store.clone(), sealer, providers, common::settings());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(host::server::serve(listener, state, std::future::pending()));
    let p = common::project(&t.store, "p").await;
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{base}/v1/projects/{}/connections", p.0))
        .bearer_auth(&p.1)
        .json(&json!({"provider": "acme", "name": "default",
                      "secrets": {"api_key": "anything", "webhook_secret": "whsec_acme"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let conn: Value = r.json().await.unwrap();
    let body = common::stripe_event("evt_acme", "customer.created", None);
    let mut req = http
        .post(format!("{base}{}", conn["webhook_path"].as_str().unwrap()))
        .body(body.clone());
    for (k, v) in common::stripe_signature("whsec_acme", &body) {
        req = req.header(k, v);
    }
    assert_eq!(req.send().await.unwrap().status(), 200);
    let page: Value = http
        .get(format!("{base}/v1/projects/{}/events?type=acme.*", p.0))
        .bearer_auth(&p.1)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["data"][0]["type"], "acme.customer.created", "{page}");
}
