//! The OAuth connect flow end to end against a local token endpoint, on both engines: connect, callback, the
//! stored connection (account id, sealed tokens, scopes), routing of the account's events, single-use state,
//! and the deauthorization event disconnecting.

mod common;

use std::sync::{Arc, Mutex};

use axum::routing::post;
use common::{PLATFORM_SECRET, TestStore};
use reqwest::StatusCode;
use serde_json::{Value, json};

const ACCESS_TOKEN: &str = "sk_test_OAuthAccessTokenMustNotLeak";
const REFRESH_TOKEN: &str = "rt_OAuthRefreshTokenMustNotLeak";

/// A token endpoint answering like Stripe's, remembering the bodies it received.
async fn token_endpoint() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let s = seen.clone();
    let app = axum::Router::new().route(
        "/oauth/token",
        post(move |body: String| {
            let s = s.clone();
            async move {
                s.lock().unwrap().push(body);
                axum::Json(json!({
                    "access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN, "token_type": "bearer",
                    "stripe_user_id": "acct_oauth", "scope": "read_write", "livemode": false,
                    "stripe_publishable_key": "pk_test_x"
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/oauth/token", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

async fn connect_by_oauth_end_to_end(t: TestStore) {
    let (token_url, seen) = token_endpoint().await;
    let mut settings = common::settings();
    settings.oauth_token_urls.insert("stripe".into(), token_url);
    let env = [
        ("STRIPE_INTEGRATION_CLIENT_ID", "ca_test_client"),
        ("STRIPE_INTEGRATION_SECRET_KEY", "sk_test_platformplatform"),
        ("STRIPE_INTEGRATION_APP_BASE_URL", "http://127.0.0.1:9"),
    ];
    let h = common::serve_env(&t.store, settings, &env).await;
    let p = common::project(&t.store, "p").await;
    let other = common::project(&t.store, "other").await;
    let connect = format!("{}/v1/projects/{}/integrations/providers/stripe/connect", h.base, p.0);
    let r = h
        .http
        .post(&connect)
        .json(&json!({"name": "default"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = h
        .http
        .post(&connect)
        .bearer_auth(&other.1)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = h
        .http
        .post(&connect)
        .bearer_auth(&p.1)
        .json(&json!({"name": "default"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let redirect: Value = r.json().await.unwrap();
    let url = url::Url::parse(redirect["redirect_url"].as_str().unwrap()).unwrap();
    assert_eq!(url.host_str(), Some("connect.stripe.com"));
    let q: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(q["client_id"], "ca_test_client");
    assert_eq!(q["redirect_uri"], "http://127.0.0.1:9/v1/provider/stripe/callback");
    let state = &q["state"];

    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let callback = format!("{}/v1/provider/stripe/callback", h.base);
    let tampered = no_redirect
        .get(&callback)
        .query(&[("code", "ac_test"), ("state", &format!("{state}x"))])
        .send()
        .await
        .unwrap();
    assert_eq!(tampered.status(), StatusCode::BAD_REQUEST);
    let r = no_redirect
        .get(&callback)
        .query(&[("code", "ac_test"), ("state", state)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let location = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(location.host_str(), Some("app.example"));
    let back: std::collections::HashMap<String, String> = location.query_pairs().into_owned().collect();
    assert_eq!(back["status"], "connected");
    let conn = back["connection"].clone();
    assert!(
        seen.lock().unwrap()[0].contains("code=ac_test"),
        "the code was exchanged"
    );
    let replay = no_redirect
        .get(&callback)
        .query(&[("code", "ac_test"), ("state", state)])
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST, "a state is single-use");

    let c: Value = h
        .get(&format!("/v1/projects/{}/connections/{conn}", p.0), &p.1)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["auth_kind"], "oauth2");
    assert_eq!(c["account_id"], "acct_oauth");
    assert_eq!(c["scopes"], json!(["read_write"]));
    let raw = t.store.dump_table_text("connections").await.unwrap();
    for secret in [ACCESS_TOKEN, REFRESH_TOKEN] {
        assert!(
            !raw.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "a token is stored in clear"
        );
    }

    // The account's events reach the connection; its deauthorization disconnects it.
    let path = "/v1/provider/stripe/webhook/events";
    let event = common::stripe_event("evt_o1", "customer.created", Some("acct_oauth"));
    assert_eq!(h.deliver(path, PLATFORM_SECRET, &event).await.status(), StatusCode::OK);
    let deauth = serde_json::to_vec(&json!({"id": "evt_o2", "object": "event", "type": "account.application.deauthorized",
        "account": "acct_oauth", "created": 1, "livemode": false, "data": {"object": {"id": "ca_test_client", "object": "application"}}}))
    .unwrap();
    assert_eq!(h.deliver(path, PLATFORM_SECRET, &deauth).await.status(), StatusCode::OK);
    assert_eq!(
        t.store.count_events(&conn, None).await.unwrap(),
        2,
        "the deauthorization event is stored too"
    );
    assert_eq!(
        h.get(&format!("/v1/projects/{}/connections/{conn}", p.0), &p.1)
            .await
            .status(),
        404
    );
    let after = common::stripe_event("evt_o3", "customer.created", Some("acct_oauth"));
    assert_eq!(
        h.deliver(path, PLATFORM_SECRET, &after).await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn connect_without_deployment_settings_names_the_variables(t: TestStore) {
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "p").await;
    let r = h
        .http
        .post(format!(
            "{}/v1/projects/{}/integrations/providers/stripe/connect",
            h.base, p.0
        ))
        .bearer_auth(&p.1)
        .json(&json!({"name": "default"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "oauth_not_configured");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("STRIPE_INTEGRATION_CLIENT_ID"),
        "{v}"
    );
}

/// A token endpoint whose first token expires at once and whose refreshed tokens last an hour; counts refreshes.
async fn expiring_token_endpoint() -> (String, Arc<Mutex<usize>>) {
    let refreshes: Arc<Mutex<usize>> = Arc::default();
    let r = refreshes.clone();
    let revoked = refreshes.clone();
    let app = axum::Router::new().route(
        "/oauth/deauthorize",
        post(move |body: String| {
            let revoked = revoked.clone();
            async move {
                assert!(body.contains("stripe_user_id=acct_refresh"), "{body}");
                *revoked.lock().unwrap() += 100;
                axum::Json(json!({"stripe_user_id": "acct_refresh"}))
            }
        }),
    );
    let app = app.route(
        "/oauth/token",
        post(move |body: String| {
            let r = r.clone();
            async move {
                let refresh = body.contains("grant_type=refresh_token");
                if refresh {
                    *r.lock().unwrap() += 1;
                    // Slow enough for the other host to try meanwhile.
                    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                }
                axum::Json(json!({
                    "access_token": if refresh { "at_refreshed" } else { "at_first" },
                    "refresh_token": REFRESH_TOKEN, "token_type": "bearer", "expires_in": if refresh { 3600 } else { 1 },
                    "stripe_user_id": "acct_refresh", "scope": "read_write"
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/oauth/token", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, refreshes)
}

async fn two_hosts_refresh_a_token_once(t: TestStore) {
    let (token_url, refreshes) = expiring_token_endpoint().await;
    let env = [
        ("STRIPE_INTEGRATION_CLIENT_ID", "ca_test_client"),
        ("STRIPE_INTEGRATION_SECRET_KEY", "sk_test_platformplatform"),
        ("STRIPE_INTEGRATION_APP_BASE_URL", "http://127.0.0.1:9"),
    ];
    let settings = || {
        let mut s = common::settings();
        s.oauth_token_urls.insert("stripe".into(), token_url.clone());
        s.oauth_revocation_urls
            .insert("stripe".into(), token_url.replace("/oauth/token", "/oauth/deauthorize"));
        s.refresh_every = std::time::Duration::from_millis(50);
        s
    };
    let second = host::store::Store::open(&t.url).await.unwrap();
    let a = common::serve_env(&t.store, settings(), &env).await;
    let b = common::serve_env(&second, settings(), &env).await;
    let p = common::project(&t.store, "p").await;
    let r: Value = a
        .http
        .post(format!(
            "{}/v1/projects/{}/integrations/providers/stripe/connect",
            a.base, p.0
        ))
        .bearer_auth(&p.1)
        .json(&json!({"name": "default"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = url::Url::parse(r["redirect_url"].as_str().unwrap()).unwrap();
    let state = url.query_pairs().find(|(k, _)| k == "state").unwrap().1.into_owned();
    // The callback lands on the other host: the pending state is in the database.
    let done = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/v1/provider/stripe/callback", b.base))
        .query(&[("code", "ac_1"), ("state", &state)])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let conn = loop {
        let list: Value = a
            .get(&format!("/v1/projects/{}/connections", p.0), &p.1)
            .await
            .json()
            .await
            .unwrap();
        let c = list["data"][0].clone();
        if c["refresh"]["last_ok_at"].is_i64() || std::time::Instant::now() > deadline {
            break c;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(conn["refresh"]["last_ok_at"].is_i64(), "refreshed: {conn}");
    // Both hosts keep looking; the refreshed token is not due again.
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(
        *refreshes.lock().unwrap(),
        1,
        "one refresh for the connection across both hosts"
    );
}

on_both_engines!(
    connect_by_oauth_end_to_end,
    connect_without_deployment_settings_names_the_variables,
    two_hosts_refresh_a_token_once,
);
