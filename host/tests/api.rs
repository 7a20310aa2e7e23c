//! The HTTP API on both engines: project keys on every project route, connections, both webhook endpoints,
//! duplicates, unknown accounts, rate limits, the event log and its stream.

mod common;

use common::{PLATFORM_SECRET, TestStore};
use futures_util::StreamExt as _;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Every project route, as (method, path template with `{p}` for the project).
const PROJECT_ROUTES: &[(&str, &str)] = &[
    ("GET", "/v1/projects/{p}"),
    ("GET", "/v1/projects/{p}/connections"),
    ("POST", "/v1/projects/{p}/connections"),
    ("GET", "/v1/projects/{p}/connections/conn_x"),
    ("DELETE", "/v1/projects/{p}/connections/conn_x"),
    ("GET", "/v1/projects/{p}/events"),
    ("GET", "/v1/projects/{p}/events/stream"),
];

async fn every_project_route_needs_that_projects_key(t: TestStore) {
    let h = common::serve(&t.store).await;
    let a = common::project(&t.store, "a").await;
    let b = common::project(&t.store, "b").await;
    let wrong = host::keys::generate().unwrap().0;
    for (method, template) in PROJECT_ROUTES {
        let url = format!("{}{}", h.base, template.replace("{p}", &a.0));
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let send = |key: Option<&str>| {
            let mut r = h.http.request(m.clone(), &url).json(&json!({}));
            if let Some(k) = key {
                r = r.header("authorization", format!("Bearer {k}"));
            }
            r.send()
        };
        let none = send(None).await.unwrap();
        assert_eq!(
            none.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {template} without a key"
        );
        let body: Value = none.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized");
        assert_eq!(
            send(Some("garbage")).await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{method} {template}"
        );
        assert_eq!(
            send(Some(&wrong)).await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{method} {template}"
        );
        let other = send(Some(&b.1)).await.unwrap();
        assert_eq!(
            other.status(),
            StatusCode::NOT_FOUND,
            "{method} {template} with another project's key"
        );
        let own = send(Some(&a.1)).await.unwrap();
        assert!(
            own.status() != StatusCode::UNAUTHORIZED && own.status() != StatusCode::FORBIDDEN,
            "{method} {template} with its key: {}",
            own.status()
        );
    }
    // A project that does not exist looks like another project's.
    let missing = h.get("/v1/projects/proj_missing/connections", &a.1).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

async fn connections_are_validated_sealed_and_never_returned(t: TestStore) {
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "p").await;
    let post = |body: Value| {
        h.http
            .post(format!("{}/v1/projects/{}/connections", h.base, p.0))
            .bearer_auth(&p.1)
            .json(&body)
            .send()
    };
    let api_key = "sk_test_51SecretValueThatMustNotLeak";
    let webhook_secret = "whsec_ConnectionSecretThatMustNotLeak";
    let cases = [
        (
            json!({"provider": "stripe", "name": "x", "secrets": {"api_key": api_key}}),
            "invalid_secrets",
        ),
        (
            json!({"provider": "stripe", "name": "x", "config": {"bogus": 1},
                   "secrets": {"api_key": api_key, "webhook_secret": webhook_secret}}),
            "invalid_config",
        ),
        (
            json!({"provider": "stripe", "name": "x", "secrets": {"api_key": "pk_test_123", "webhook_secret": webhook_secret}}),
            "invalid_key_format",
        ),
    ];
    let unknown = post(json!({"provider": "nope", "name": "x", "secrets": {}}))
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.json::<Value>().await.unwrap()["error"]["code"],
        "unknown_provider"
    );
    for (body, code) in cases {
        let r = post(body).await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let text = r.text().await.unwrap();
        assert!(text.contains(code), "{code}: {text}");
        assert!(!text.contains(api_key) && !text.contains(webhook_secret), "{text}");
    }
    let r = post(
        json!({"provider": "stripe", "name": "default", "config": {"account_id": "acct_9"},
                        "secrets": {"api_key": api_key, "webhook_secret": webhook_secret}}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["account_id"], "acct_9");
    assert_eq!(created["auth_kind"], "api-key");
    assert_eq!(created["webhook_path"], format!("/v1/hooks/{id}"));
    let dup = post(json!({"provider": "stripe", "name": "default",
                          "secrets": {"api_key": api_key, "webhook_secret": webhook_secret}}))
    .await
    .unwrap();
    assert_eq!(dup.status(), StatusCode::CONFLICT);
    for path in [
        format!("/v1/projects/{}/connections", p.0),
        format!("/v1/projects/{}/connections/{id}", p.0),
    ] {
        let r = h.get(&path, &p.1).await;
        assert_eq!(r.status(), StatusCode::OK);
        let text = r.text().await.unwrap();
        assert!(text.contains(&id));
        assert!(
            !text.contains(api_key) && !text.contains(webhook_secret) && !text.contains("secrets"),
            "{text}"
        );
    }
    // The raw rows hold no secret bytes (and, for SQLite, neither does the file with its write-ahead log).
    let raw = t.store.dump_table_text("connections").await.unwrap();
    assert!(!raw.is_empty());
    for secret in [api_key, webhook_secret] {
        assert!(!contains(&raw, secret.as_bytes()), "secret in the connections table");
    }
    if let Some(dir) = &t.dir {
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            for secret in [api_key, webhook_secret] {
                assert!(!contains(&bytes, secret.as_bytes()), "secret in the database files");
            }
        }
    }
    // Deleting erases the secrets.
    let del = h
        .http
        .delete(format!("{}/v1/projects/{}/connections/{id}", h.base, p.0))
        .bearer_auth(&p.1)
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
    assert!(t.store.sealed_connections().await.unwrap().is_empty());
    assert_eq!(
        h.get(&format!("/v1/projects/{}/connections/{id}", p.0), &p.1)
            .await
            .status(),
        404
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn events(h: &common::TestHost, p: &(String, String), query: &str) -> Value {
    let r = h.get(&format!("/v1/projects/{}/events{query}", p.0), &p.1).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn platform_endpoint_routes_by_account(t: TestStore) {
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "p").await;
    let conn = h
        .stripe_connection(&p, "default", Some("acct_known"), "whsec_own")
        .await;
    let path = "/v1/provider/stripe/webhook/events";
    let body = common::stripe_event("evt_1", "customer.updated", Some("acct_known"));
    let r = h.deliver(path, PLATFORM_SECRET, &body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v, json!({"received": true, "duplicate": false, "event_id": "evt_1"}));
    let again: Value = h.deliver(path, PLATFORM_SECRET, &body).await.json().await.unwrap();
    assert_eq!(again["duplicate"], true);
    // Wrong secret, unknown account, no account.
    assert_eq!(
        h.deliver(path, "whsec_wrong", &body).await.status(),
        StatusCode::BAD_REQUEST
    );
    let unknown = common::stripe_event("evt_2", "customer.updated", Some("acct_unknown"));
    let r = h.deliver(path, PLATFORM_SECRET, &unknown).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "unknown_account");
    let none = common::stripe_event("evt_3", "customer.updated", None);
    assert_eq!(
        h.deliver(path, PLATFORM_SECRET, &none).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        h.deliver("/v1/provider/nope/webhook/events", PLATFORM_SECRET, &body)
            .await
            .status(),
        404
    );
    let page = events(&h, &p, "").await;
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{page}");
    let e = &data[0];
    assert_eq!(e["id"], "evt_1");
    assert_eq!(e["type"], "stripe.customer.updated");
    assert_eq!(e["connection"], conn.as_str());
    assert_eq!(e["account"], "acct_known");
    assert_eq!(e["created"], 1_700_000_000);
    assert_eq!(e["livemode"], false);
    assert_eq!(e["object_id"], "cus_1");
    assert_eq!(e["object_type"], "customer");
    assert_eq!(e["data"]["email"], "ada@example.com");
    assert_eq!(e["previous_attributes"]["email"], "old@example.com");
    assert_eq!(e["raw"]["id"], "evt_1");
    assert_eq!(t.store.count_events(&conn, None).await.unwrap(), 1);
    let c: Value = h
        .get(&format!("/v1/projects/{}/connections/{conn}", p.0), &p.1)
        .await
        .json()
        .await
        .unwrap();
    assert!(c["last_event_at"].as_i64().is_some(), "{c}");
}

async fn connection_endpoint_verifies_with_its_own_secret(t: TestStore) {
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "own", None, "whsec_own_secret").await;
    let path = format!("/v1/hooks/{conn}");
    let body = common::stripe_event("evt_own", "invoice.paid", None);
    assert_eq!(
        h.deliver(&path, PLATFORM_SECRET, &body).await.status(),
        StatusCode::BAD_REQUEST
    );
    let r = h.deliver(&path, "whsec_own_secret", &body).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["duplicate"], false);
    assert_eq!(
        h.deliver("/v1/hooks/conn_missing", "whsec_own_secret", &body)
            .await
            .status(),
        404
    );
    let page = events(&h, &p, "?type=stripe.invoice.*").await;
    assert_eq!(page["data"][0]["id"], "evt_own");
    assert_eq!(page["data"][0]["connection"], conn.as_str());
}

async fn fifty_concurrent_copies_are_stored_once(t: TestStore) {
    let h = std::sync::Arc::new(common::serve(&t.store).await);
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", Some("acct_dup"), "whsec_dup").await;
    let body = common::stripe_event("evt_dup", "customer.created", Some("acct_dup"));
    let mut tasks = Vec::new();
    for i in 0..50 {
        let h = h.clone();
        let body = body.clone();
        let path = if i % 2 == 0 {
            "/v1/provider/stripe/webhook/events".to_string()
        } else {
            format!("/v1/hooks/{conn}")
        };
        let secret = if i % 2 == 0 { PLATFORM_SECRET } else { "whsec_dup" };
        tasks.push(tokio::spawn(async move {
            let r = h.deliver(&path, secret, &body).await;
            let status = r.status();
            let v: Value = r.json().await.unwrap();
            (status, v["duplicate"].as_bool())
        }));
    }
    let mut first = 0;
    for task in tasks {
        let (status, duplicate) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        if duplicate == Some(false) {
            first += 1;
        }
    }
    assert_eq!(first, 1, "one copy stored it, 49 found it stored");
    assert_eq!(t.store.count_events(&conn, Some("evt_dup")).await.unwrap(), 1);
}

async fn ingest_is_rate_limited_per_connection(t: TestStore) {
    let mut settings = common::settings();
    settings.ingest_rate_per_sec = std::num::NonZeroU32::new(1).unwrap();
    settings.ingest_burst = std::num::NonZeroU32::new(2).unwrap();
    let h = common::serve_with(&t.store, settings).await;
    let p = common::project(&t.store, "p").await;
    let a = h.stripe_connection(&p, "a", None, "whsec_a").await;
    let b = h.stripe_connection(&p, "b", None, "whsec_b").await;
    for i in 0..2 {
        let body = common::stripe_event(&format!("evt_{i}"), "customer.created", None);
        assert_eq!(
            h.deliver(&format!("/v1/hooks/{a}"), "whsec_a", &body).await.status(),
            200
        );
    }
    let body = common::stripe_event("evt_9", "customer.created", None);
    let r = h.deliver(&format!("/v1/hooks/{a}"), "whsec_a", &body).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry), "{retry}");
    assert_eq!(
        t.store.count_events(&a, Some("evt_9")).await.unwrap(),
        0,
        "a limited delivery is not stored"
    );
    assert_eq!(
        h.deliver(&format!("/v1/hooks/{b}"), "whsec_b", &body).await.status(),
        200,
        "other connections are not limited"
    );
}

async fn event_log_pages_with_cursors_and_filters(t: TestStore) {
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_log").await;
    let types = [
        "customer.created",
        "invoice.paid",
        "customer.updated",
        "invoice.paid",
        "customer.deleted",
    ];
    for (i, ty) in types.iter().enumerate() {
        let body = common::stripe_event(&format!("evt_{i}"), ty, None);
        assert_eq!(
            h.deliver(&format!("/v1/hooks/{conn}"), "whsec_log", &body)
                .await
                .status(),
            200
        );
    }
    let ids = |v: &Value| {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let first = events(&h, &p, "?limit=2").await;
    assert_eq!(ids(&first), ["evt_0", "evt_1"]);
    assert_eq!(first["has_more"], true);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = events(&h, &p, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&second), ["evt_2", "evt_3"]);
    let third = events(
        &h,
        &p,
        &format!("?limit=2&cursor={}", second["next_cursor"].as_str().unwrap()),
    )
    .await;
    assert_eq!(ids(&third), ["evt_4"]);
    assert_eq!(third["has_more"], false);
    let customers = events(&h, &p, "?type=stripe.customer.*").await;
    assert_eq!(ids(&customers), ["evt_0", "evt_2", "evt_4"]);
    assert_eq!(
        ids(&events(&h, &p, &format!("?connection={conn}&type=stripe.invoice.paid")).await),
        ["evt_1", "evt_3"]
    );
    assert_eq!(
        ids(&events(&h, &p, "?connection=conn_other").await),
        Vec::<String>::new()
    );
    assert_eq!(ids(&events(&h, &p, "?until=1").await), Vec::<String>::new());
    assert_eq!(ids(&events(&h, &p, "?since=1").await).len(), 5);
    for bad in ["?cursor=%%%", "?limit=0", "?limit=501", "?since=yesterday"] {
        let r = h.get(&format!("/v1/projects/{}/events{bad}", p.0), &p.1).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.json::<Value>().await.unwrap()["error"]["code"].is_string());
    }
}

async fn event_stream_replays_then_pushes(t: TestStore) {
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_sse").await;
    let hook = format!("/v1/hooks/{conn}");
    for i in 0..2 {
        let body = common::stripe_event(&format!("evt_old_{i}"), "invoice.paid", None);
        h.deliver(&hook, "whsec_sse", &body).await;
    }
    let first = events(&h, &p, "?limit=1").await;
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let r = h
        .get(
            &format!(
                "/v1/projects/{}/events/stream?cursor={cursor}&type=stripe.invoice.paid",
                p.0
            ),
            &p.1,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut bytes = r.bytes_stream();
    let mut text = String::new();
    let mut read_until = async |needle: &str, text: &mut String| {
        tokio::time::timeout(std::time::Duration::from_secs(10), async {
            while !text.contains(needle) {
                let chunk = bytes.next().await.expect("stream open").unwrap();
                text.push_str(&String::from_utf8_lossy(&chunk));
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no {needle} in {text}"));
    };
    read_until("evt_old_1", &mut text).await;
    assert!(!text.contains("evt_old_0"), "the cursor skips what was read");
    // Not matching the type filter, then matching.
    h.deliver(
        &hook,
        "whsec_sse",
        &common::stripe_event("evt_skip", "customer.created", None),
    )
    .await;
    h.deliver(
        &hook,
        "whsec_sse",
        &common::stripe_event("evt_new", "invoice.paid", None),
    )
    .await;
    read_until("evt_new", &mut text).await;
    assert!(!text.contains("evt_skip"));
    // Rows committed by another process (straight into the store) arrive through the poll.
    let mut row = t
        .store
        .events(&host::store::EventFilter {
            project_id: p.0.clone(),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .event
        .clone();
    row.event_id = "evt_elsewhere".into();
    t.store.insert_events(&[row]).await.unwrap();
    read_until("evt_elsewhere", &mut text).await;
}

async fn handlers_answer_errors_as_json(t: TestStore) {
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "p").await;
    let r = h
        .http
        .post(format!("{}/v1/projects/{}/connections", h.base, p.0))
        .bearer_auth(&p.1)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "invalid_request");
    let r = h.http.get(format!("{}/nowhere", h.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "not_found");
    let big = vec![b'x'; 2 * 1024 * 1024];
    let r = h
        .deliver("/v1/provider/stripe/webhook/events", PLATFORM_SECRET, &big)
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

on_both_engines!(
    every_project_route_needs_that_projects_key,
    connections_are_validated_sealed_and_never_returned,
    platform_endpoint_routes_by_account,
    connection_endpoint_verifies_with_its_own_secret,
    fifty_concurrent_copies_are_stored_once,
    ingest_is_rate_limited_per_connection,
    event_log_pages_with_cursors_and_filters,
    event_stream_replays_then_pushes,
    handlers_answer_errors_as_json,
);
