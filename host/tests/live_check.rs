//! `live_check: true` runs the spec's health check with the new connection's key before saving it: against a
//! local server standing in for the provider's API (`Settings::api_base_urls`).

mod common;

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode as AxumStatus, Uri};
use common::TestStore;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Answers every request like Stripe: an empty list for `sk_test_good…`, 401 otherwise; remembers what it saw.
async fn fake_api() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let s = seen.clone();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let s = s.clone();
        async move {
            let auth = headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            s.lock().unwrap().push(format!("{uri} {auth}"));
            if auth.starts_with("Bearer sk_test_good") {
                (
                    AxumStatus::OK,
                    axum::Json(json!({"object": "list", "data": [], "has_more": false, "url": uri.path()})),
                )
            } else {
                (
                    AxumStatus::UNAUTHORIZED,
                    axum::Json(
                        json!({"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}}),
                    ),
                )
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

async fn live_check_saves_only_working_keys(t: TestStore) {
    let (api, seen) = fake_api().await;
    let mut settings = common::settings();
    settings.api_base_urls.insert("stripe".into(), api);
    let h = common::serve_with(&t.store, settings).await;
    let p = common::project(&t.store, "p").await;
    let post = |key: &str, name: &str| {
        h.http
            .post(format!("{}/v1/projects/{}/connections", h.base, p.0))
            .bearer_auth(&p.1)
            .json(&json!({"provider": "stripe", "name": name, "live_check": true,
                          "secrets": {"api_key": key, "webhook_secret": "whsec_x"}}))
            .send()
    };
    let bad = post("sk_test_revokedrevoked", "bad").await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(text.contains("health_check_failed"), "{text}");
    assert!(!text.contains("sk_test_revokedrevoked"), "{text}");
    assert!(
        t.store.connections(&p.0).await.unwrap().is_empty(),
        "a failing key is not saved"
    );
    let good = post("sk_test_goodgoodgood", "good").await.unwrap();
    assert_eq!(good.status(), StatusCode::CREATED);
    let c: Value = good.json().await.unwrap();
    assert_eq!(c["health"]["ok"], true, "{c}");
    assert!(c["health"]["checked_at"].as_i64().is_some());
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .any(|s| s.ends_with("Bearer sk_test_goodgoodgood"))
    );
}

on_both_engines!(live_check_saves_only_working_keys);
