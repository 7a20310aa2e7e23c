//! Schemathesis over the host's OpenAPI document, against a running host: every operation is fed generated
//! valid and invalid requests, and every answer must be declared (status, content type, schema) and never a
//! server error. Provider calls go to a local server answering `{}`.

mod common;

use std::process::Command;

use serde_json::json;

/// A provider answering every request with `200 {}`.
async fn blank_provider() -> String {
    let app = axum::Router::new().fallback(|| async { axum::Json(json!({})) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn schemathesis(doc: &std::path::Path, config: &std::path::Path, base: &str, args: &[&str]) -> (bool, String) {
    let python = tests::peers::require_python().expect("the peer venv");
    let st = python.with_file_name("st");
    let out = Command::new(&st)
        .arg("--config-file")
        .arg(config)
        .args([
            "run",
            "--url",
            base,
            "--max-examples",
            "8",
            "--seed",
            "1",
            "--workers",
            "2",
            "--no-shrink",
        ])
        .args(args)
        .arg(doc)
        // Its cache and reports go next to the document, in the test's temporary directory.
        .current_dir(doc.parent().unwrap_or(std::path::Path::new(".")))
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", st.display()));
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn schemathesis_finds_no_undeclared_answer() {
    if tests::peers::require_python().is_none() {
        return;
    }
    let provider = blank_provider().await;
    let t = common::sqlite().await;
    let mut settings = common::settings();
    for p in ["stripe", "github", "slack"] {
        settings.api_base_urls.insert(p.into(), provider.clone());
    }
    let oauth = [
        ("STRIPE_INTEGRATION_CLIENT_ID", "ca_test_client"),
        ("STRIPE_INTEGRATION_SECRET_KEY", "sk_test_platformplatform"),
        ("STRIPE_INTEGRATION_APP_BASE_URL", "http://127.0.0.1:9"),
    ];
    let h = common::serve_env(&t.store, settings, &oauth).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_x").await;
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("host.json");
    std::fs::write(&doc, host::openapi::render().unwrap()).unwrap();
    let config = dir.path().join("schemathesis.toml");
    std::fs::write(
        &config,
        format!(
            "headers = {{ Authorization = \"Bearer {key}\" }}\n\
             [parameters]\n\"path.project\" = \"{project}\"\n\"path.connection\" = \"{conn}\"\n\
             \"path.provider\" = \"stripe\"\n\"path.endpoint_id\" = \"{conn}\"\n",
            key = p.1,
            project = p.0,
        ),
    )
    .unwrap();
    // The host's own routes: every answer declared, in its schema, never a server error.
    let (d, c, b) = (doc.clone(), config.clone(), h.base.clone());
    let (ok, log) = tokio::task::spawn_blocking(move || {
        schemathesis(
            &d,
            &c,
            &b,
            &[
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "--exclude-path-regex",
                "(/events/stream$|/actions/)",
            ],
        )
    })
    .await
    .unwrap();
    assert!(ok, "{log}");
    // The action routes pass the provider's output through (here `{}`): statuses and content types declared,
    // never a server error.
    let base = h.base.clone();
    let (ok, log) = tokio::task::spawn_blocking(move || {
        schemathesis(
            &doc,
            &config,
            &base,
            &[
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance",
                "--include-path-regex",
                "/actions/stripe\\.",
            ],
        )
    })
    .await
    .unwrap();
    assert!(ok, "{log}");
}
