//! The actions API: calls through the runtime's `invoke` to a provider, stored idempotency, interactions
//! before high-impact writes, the audit log, and the key check of every new route. Against localstripe where
//! it serves the action, else against a recording server standing in for Stripe that asserts the exact
//! requests.

mod common;

use std::time::Duration;

use axum::http::HeaderMap;
use common::{TestHost, TestStore};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::recorder::{Recorded, Recorder};

/// A server answering like Stripe for customers and refunds, slowly enough (150 ms) that concurrent calls
/// overlap; records every request.
async fn recording_stripe() -> Recorder {
    Recorder::answering_after(Duration::from_millis(150), |r, n| {
        match (r.method.as_str(), r.path.as_str()) {
            ("POST", "/v1/customers") if r.body.contains("email=bad") => (
                400,
                json!({"error": {"type": "invalid_request_error", "code": "email_invalid", "param": "email",
                                 "message": "Invalid email address"}}),
            ),
            ("POST", "/v1/customers") => (
                200,
                json!({"id": format!("cus_{n}"), "object": "customer", "created": 1, "livemode": false}),
            ),
            ("POST", "/v1/prices") => (
                200,
                json!({"id": format!("price_{n}"), "object": "price", "currency": "usd"}),
            ),
            ("POST", "/v1/checkout/sessions") => (
                200,
                json!({"id": format!("cs_test_{n}"), "object": "checkout.session",
                       "url": "https://checkout.stripe.com/c/pay/x"}),
            ),
            ("POST", "/v1/payment_links") => (
                200,
                json!({"id": format!("plink_{n}"), "object": "payment_link", "url": "https://buy.stripe.com/x"}),
            ),
            ("POST", "/v1/refunds") => (
                200,
                json!({"id": format!("re_{n}"), "object": "refund", "amount": 500, "status": "succeeded"}),
            ),
            _ => (503, json!({"error": {"type": "api_error", "message": "down"}})),
        }
    })
    .await
}

async fn host_over(t: &TestStore, stripe: &str) -> TestHost {
    let mut settings = common::settings();
    settings.api_base_urls.insert("stripe".into(), stripe.to_string());
    common::serve_with(&t.store, settings).await
}

async fn call(
    h: &TestHost,
    p: &(String, String),
    conn: &str,
    action: &str,
    key: Option<&str>,
    params: Value,
) -> (StatusCode, HeaderMap<reqwest::header::HeaderValue>, Value) {
    let mut req = h
        .http
        .post(format!(
            "{}/v1/projects/{}/connections/{conn}/actions/{action}",
            h.base, p.0
        ))
        .bearer_auth(&p.1)
        .json(&params);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn audit(h: &TestHost, p: &(String, String)) -> Vec<Value> {
    let r = h.get(&format!("/v1/projects/{}/audit", p.0), &p.1).await;
    assert_eq!(r.status(), 200);
    r.json::<Vec<Value>>().await.unwrap()
}

async fn stored_idempotency_calls_the_provider_once(t: TestStore) {
    let seen = recording_stripe().await;
    let api = seen.url.clone();
    let h = host_over(&t, &api).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_x").await;

    let params = json!({"email": "a@example.com", "name": "Ada"});
    let (s1, h1, b1) = call(&h, &p, &conn, "stripe.customer.create", Some("key-1"), params.clone()).await;
    assert_eq!(s1, 200, "{b1}");
    assert_eq!(b1["id"], "cus_1");
    assert_eq!(h1.get("provider-request-id").unwrap(), "req_1");
    assert!(h1.get("idempotent-replayed").is_none());
    // The same params with members in another order are the same call.
    let (s2, h2, b2) = call(
        &h,
        &p,
        &conn,
        "stripe.customer.create",
        Some("key-1"),
        json!({"name": "Ada", "email": "a@example.com"}),
    )
    .await;
    assert_eq!((s2, &b2), (StatusCode::OK, &b1));
    assert_eq!(h2.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(h2.get("provider-request-id").unwrap(), "req_1");
    {
        let all = seen.requests();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].method, "POST");
        assert_eq!(all[0].path, "/v1/customers");
        assert_eq!(all[0].header("idempotency-key"), Some("key-1"));
        assert_eq!(
            all[0].header("authorization"),
            Some("Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc")
        );
        let mut form: Vec<&str> = all[0].body.split('&').collect();
        form.sort_unstable();
        assert_eq!(form, ["email=a@example.com", "name=Ada"]);
    }

    // The same key with other params: refused, nothing sent.
    let (s3, _, b3) = call(
        &h,
        &p,
        &conn,
        "stripe.customer.create",
        Some("key-1"),
        json!({"email": "b@example.com"}),
    )
    .await;
    assert_eq!(s3, 422, "{b3}");
    assert_eq!(b3["error"]["code"], "idempotency_key_reused");
    // The key in the params instead of the header is the same key.
    let mut with_member = params.clone();
    with_member["idempotency_key"] = json!("key-1");
    let (s4, _, b4) = call(&h, &p, &conn, "stripe.customer.create", None, with_member).await;
    assert_eq!((s4, &b4), (StatusCode::OK, &b1));
    assert_eq!(seen.requests().len(), 1);

    // Twenty concurrent requests with one new key: one provider call, twenty equal answers.
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (h, p, conn) = (
            TestHost {
                base: h.base.clone(),
                state: h.state.clone(),
                http: h.http.clone(),
            },
            p.clone(),
            conn.clone(),
        );
        tasks.push(tokio::spawn(async move {
            call(
                &h,
                &p,
                &conn,
                "stripe.customer.create",
                Some("key-2"),
                json!({"email": "c@example.com"}),
            )
            .await
        }));
    }
    let mut bodies = Vec::new();
    for t in tasks {
        let (s, _, b) = t.await.unwrap();
        assert_eq!(s, 200, "{b}");
        bodies.push(b);
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]), "{bodies:?}");
    let key2: Vec<Recorded> = seen
        .requests()
        .iter()
        .filter(|s| s.header("idempotency-key") == Some("key-2"))
        .cloned()
        .collect();
    assert_eq!(key2.len(), 1, "{key2:?}");

    // A provider refusal is stored too; a provider failure is not (the retry calls again).
    let (s5, _, b5) = call(
        &h,
        &p,
        &conn,
        "stripe.customer.create",
        Some("key-3"),
        json!({"email": "bad"}),
    )
    .await;
    assert_eq!(s5, 400, "{b5}");
    assert_eq!(b5["error"]["code"], "provider_rejected");
    assert_eq!(b5["error"]["details"]["provider_error"]["param"], "email");
    let (s6, h6, _) = call(
        &h,
        &p,
        &conn,
        "stripe.customer.create",
        Some("key-3"),
        json!({"email": "bad"}),
    )
    .await;
    assert_eq!(s6, 400);
    assert_eq!(h6.get("idempotent-replayed").unwrap(), "true");
    let before = seen.requests().len();
    let (s7, _, _) = call(
        &h,
        &p,
        &conn,
        "stripe.customer.update",
        Some("key-4"),
        json!({"customer": "cus_1", "name": "x"}),
    )
    .await;
    assert_eq!(s7, 502);
    let after_first = seen.requests().len();
    assert!(after_first > before);
    let (s8, h8, _) = call(
        &h,
        &p,
        &conn,
        "stripe.customer.update",
        Some("key-4"),
        json!({"customer": "cus_1", "name": "x"}),
    )
    .await;
    assert_eq!(s8, 502);
    assert!(h8.get("idempotent-replayed").is_none());
    assert!(
        seen.requests().len() > after_first,
        "a failed call is retried, not replayed"
    );

    // Every mutating call is in the audit log, with the key, the outcome and the provider's request id.
    let log = audit(&h, &p).await;
    let outcomes: Vec<&str> = log.iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(
        outcomes.iter().filter(|o| **o == "succeeded").count(),
        2,
        "{outcomes:?}"
    );
    assert_eq!(log[0]["action"], "stripe.customer.create");
    assert_eq!(log[0]["idempotency_key"], "key-1");
    assert_eq!(log[0]["provider_request_id"], "req_1");
    assert_eq!(log[0]["connection_id"], conn.as_str());
    assert!(log[0]["key_id"].as_str().unwrap().starts_with("key_"));
    assert!(
        !log.iter().any(|e| e.to_string().contains(&p.1)),
        "the key itself is never logged"
    );
    assert_eq!(log[0]["params_digest"], log[1]["params_digest"]);
    assert_eq!(log[1]["outcome"], "replayed");
}

async fn invalid_params_name_the_field_and_send_nothing(t: TestStore) {
    let seen = recording_stripe().await;
    let api = seen.url.clone();
    let h = host_over(&t, &api).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_x").await;
    let (s, _, b) = call(&h, &p, &conn, "stripe.customer.create", None, json!({"email": 5})).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["error"]["code"], "invalid_params");
    assert_eq!(b["error"]["details"]["violations"][0]["field"], "/email");
    let (s, _, b) = call(&h, &p, &conn, "stripe.nothing.here", None, json!({})).await;
    assert_eq!(s, 404, "{b}");
    assert_eq!(b["error"]["code"], "unknown_action");
    let (s, _, _) = call(&h, &p, "conn_missing", "stripe.customer.create", None, json!({})).await;
    assert_eq!(s, 404);
    let r = h
        .http
        .post(format!(
            "{}/v1/projects/{}/connections/{conn}/actions/stripe.customer.create",
            h.base, p.0
        ))
        .bearer_auth(&p.1)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(seen.requests().is_empty());
}

async fn high_impact_calls_wait_for_one_approval(t: TestStore) {
    let seen = recording_stripe().await;
    let api = seen.url.clone();
    let h = host_over(&t, &api).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_x").await;

    let (s, headers, pending) = call(
        &h,
        &p,
        &conn,
        "stripe.refund.create",
        None,
        json!({"charge": "ch_1", "amount": 500}),
    )
    .await;
    assert_eq!(s, 202, "{pending}");
    assert_eq!(pending["status"], "pending");
    assert_eq!(pending["action"], "stripe.refund.create");
    assert_eq!(pending["params"], json!({"charge": "ch_1", "amount": 500}));
    let id = pending["id"].as_str().unwrap().to_string();
    assert_eq!(
        headers.get("location").unwrap().to_str().unwrap(),
        format!("/v1/projects/{}/interactions/{id}", p.0)
    );
    assert!(seen.requests().is_empty(), "nothing is sent before approval");
    let listed = h
        .get(&format!("/v1/projects/{}/interactions?status=pending", p.0), &p.1)
        .await;
    let listed: Vec<Value> = listed.json().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());

    // Ten concurrent approvals: one runs the call, the others are told it is decided.
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (http, url, key) = (
            h.http.clone(),
            format!("{}/v1/projects/{}/interactions/{id}/approve", h.base, p.0),
            p.1.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let r = http.post(url).bearer_auth(key).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }));
    }
    let mut ok = Vec::new();
    let mut conflicts = 0;
    for t in tasks {
        let (s, b) = t.await.unwrap();
        match s.as_u16() {
            200 => ok.push(b),
            409 => {
                assert_eq!(b["error"]["code"], "interaction_decided");
                conflicts += 1;
            }
            other => panic!("approve answered {other}: {b}"),
        }
    }
    assert_eq!((ok.len(), conflicts), (1, 9));
    assert_eq!(ok[0]["status"], "succeeded", "{}", ok[0]);
    assert_eq!(ok[0]["result"]["object"], "refund");
    {
        let all = seen.requests();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].path, "/v1/refunds");
        assert_eq!(all[0].header("idempotency-key"), Some(id.as_str()));
    }
    let got = h.get(&format!("/v1/projects/{}/interactions/{id}", p.0), &p.1).await;
    let got: Value = got.json().await.unwrap();
    assert_eq!(got["status"], "succeeded");
    assert!(got["decided_by"].as_str().unwrap().starts_with("key_"));

    // A rejected interaction never runs and cannot be approved afterwards.
    let (_, _, second) = call(&h, &p, &conn, "stripe.refund.create", None, json!({"charge": "ch_2"})).await;
    let id2 = second["id"].as_str().unwrap();
    let r = h
        .http
        .post(format!("{}/v1/projects/{}/interactions/{id2}/reject", h.base, p.0))
        .bearer_auth(&p.1)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = h
        .http
        .post(format!("{}/v1/projects/{}/interactions/{id2}/approve", h.base, p.0))
        .bearer_auth(&p.1)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(seen.requests().len(), 1);

    // With the caller's key, a repeat while pending is the same interaction; after approval, the result.
    let (s, _, third) = call(
        &h,
        &p,
        &conn,
        "stripe.refund.create",
        Some("refund-3"),
        json!({"charge": "ch_3"}),
    )
    .await;
    assert_eq!(s, 202);
    let (s, _, again) = call(
        &h,
        &p,
        &conn,
        "stripe.refund.create",
        Some("refund-3"),
        json!({"charge": "ch_3"}),
    )
    .await;
    assert_eq!((s.as_u16(), &again["id"]), (202, &third["id"]));
    let id3 = third["id"].as_str().unwrap();
    let r = h
        .http
        .post(format!("{}/v1/projects/{}/interactions/{id3}/approve", h.base, p.0))
        .bearer_auth(&p.1)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (s, _, after) = call(
        &h,
        &p,
        &conn,
        "stripe.refund.create",
        Some("refund-3"),
        json!({"charge": "ch_3"}),
    )
    .await;
    assert_eq!(s, 200, "{after}");
    assert_eq!(after["object"], "refund");
    assert_eq!(
        seen.requests().last().unwrap().header("idempotency-key"),
        Some("refund-3")
    );
    assert_eq!(seen.requests().len(), 2);

    // A policy that auto-approves refunds sends them at once.
    let r = h
        .http
        .put(format!("{}/v1/projects/{}/approval-policy", h.base, p.0))
        .bearer_auth(&p.1)
        .json(&json!({"auto_approve": ["stripe.refund.*"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (s, _, direct) = call(&h, &p, &conn, "stripe.refund.create", None, json!({"charge": "ch_4"})).await;
    assert_eq!(s, 200, "{direct}");
    assert_eq!(seen.requests().len(), 3);
    // Invoices are still asked for.
    let (s, _, _) = call(
        &h,
        &p,
        &conn,
        "stripe.invoice.create",
        None,
        json!({"customer": "cus_1"}),
    )
    .await;
    assert_eq!(s, 202);

    let log = audit(&h, &p).await;
    let outcomes: Vec<&str> = log.iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(
        outcomes,
        [
            "pending_approval",
            "succeeded",
            "pending_approval",
            "rejected",
            "pending_approval",
            "replayed",
            "succeeded",
            "replayed",
            "succeeded",
            "pending_approval"
        ]
    );
    assert_eq!(log[1]["interaction_id"], id.as_str());
}

async fn every_new_route_checks_the_key(t: TestStore) {
    let server = recording_stripe().await;
    let api = server.url.clone();
    let h = host_over(&t, &api).await;
    let p = common::project(&t.store, "p").await;
    let other = common::project(&t.store, "other").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_x").await;
    let (_, _, pending) = call(&h, &p, &conn, "stripe.refund.create", None, json!({"charge": "ch_1"})).await;
    let id = pending["id"].as_str().unwrap();
    let routes = [
        (
            reqwest::Method::POST,
            format!("/v1/projects/{}/connections/{conn}/actions/stripe.customer.create", p.0),
        ),
        (reqwest::Method::GET, format!("/v1/projects/{}/interactions", p.0)),
        (reqwest::Method::GET, format!("/v1/projects/{}/interactions/{id}", p.0)),
        (
            reqwest::Method::POST,
            format!("/v1/projects/{}/interactions/{id}/approve", p.0),
        ),
        (
            reqwest::Method::POST,
            format!("/v1/projects/{}/interactions/{id}/reject", p.0),
        ),
        (reqwest::Method::GET, format!("/v1/projects/{}/approval-policy", p.0)),
        (reqwest::Method::PUT, format!("/v1/projects/{}/approval-policy", p.0)),
        (reqwest::Method::GET, format!("/v1/projects/{}/audit", p.0)),
    ];
    for (method, path) in &routes {
        let url = format!("{}{path}", h.base);
        let none = h
            .http
            .request(method.clone(), &url)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(none.status(), 401, "{method} {path} without a key");
        let wrong = h
            .http
            .request(method.clone(), &url)
            .bearer_auth("ihk_wrongwrongwrongwrongwrongwrongwrongwrong")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401, "{method} {path} with a wrong key");
        let foreign = h
            .http
            .request(method.clone(), &url)
            .bearer_auth(&other.1)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(foreign.status(), 404, "{method} {path} with another project's key");
    }
    // Another project's ids under its own project path are not found either.
    let r = h
        .get(&format!("/v1/projects/{}/interactions/{id}", other.0), &other.1)
        .await;
    assert_eq!(r.status(), 404);
    let (s, _, _) = call(&h, &other, &conn, "stripe.customer.create", None, json!({})).await;
    assert_eq!(s, 404);
    let still: Value = h
        .get(&format!("/v1/projects/{}/interactions/{id}", p.0), &p.1)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still["status"], "pending");
}

/// The form fields of a body, decoded, sorted.
fn fields(body: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    f.sort();
    f
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    f.sort();
    f
}

/// Writes localstripe does not serve (prices, Checkout Sessions, Payment Links) reach the provider exactly as
/// Stripe expects them: the path, the key, the idempotency key and every form field.
async fn writes_localstripe_lacks_are_sent_exactly(t: TestStore) {
    let seen = recording_stripe().await;
    let api = seen.url.clone();
    let h = host_over(&t, &api).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_x").await;
    let cases = [
        (
            "stripe.price.create",
            json!({"currency": "usd", "unit_amount": 1500, "product": "prod_1", "recurring": {"interval": "month"},
                   "metadata": {"plan": "pro"}}),
            "/v1/prices",
            pairs(&[
                ("currency", "usd"),
                ("unit_amount", "1500"),
                ("product", "prod_1"),
                ("recurring[interval]", "month"),
                ("metadata[plan]", "pro"),
            ]),
            "price",
        ),
        (
            "stripe.checkout_session.create",
            json!({"mode": "payment", "success_url": "https://shop.example/ok?s={CHECKOUT_SESSION_ID}",
                   "line_items": [{"price": "price_1", "quantity": 2}, {"price": "price_2", "quantity": 1}]}),
            "/v1/checkout/sessions",
            pairs(&[
                ("mode", "payment"),
                ("success_url", "https://shop.example/ok?s={CHECKOUT_SESSION_ID}"),
                ("line_items[0][price]", "price_1"),
                ("line_items[0][quantity]", "2"),
                ("line_items[1][price]", "price_2"),
                ("line_items[1][quantity]", "1"),
            ]),
            "checkout.session",
        ),
        (
            "stripe.payment_link.create",
            json!({"line_items": [{"price": "price_1", "quantity": 3}]}),
            "/v1/payment_links",
            pairs(&[("line_items[0][price]", "price_1"), ("line_items[0][quantity]", "3")]),
            "payment_link",
        ),
    ];
    for (i, (action, params, path, want, object)) in cases.into_iter().enumerate() {
        let key = format!("write-{i}");
        let (s, _, out) = call(&h, &p, &conn, action, Some(&key), params).await;
        assert_eq!(s, 200, "{action}: {out}");
        assert_eq!(out["object"], object, "{action}");
        let last = seen.requests().last().cloned().unwrap();
        assert_eq!((last.method.as_str(), last.path.as_str()), ("POST", path), "{action}");
        assert_eq!(last.header("idempotency-key"), Some(key.as_str()), "{action}");
        assert_eq!(
            last.header("authorization"),
            Some("Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
            "{action}"
        );
        assert_eq!(fields(&last.body), want, "{action}: {}", last.body);
    }
    assert_eq!(seen.requests().len(), 3);
}

on_both_engines!(
    writes_localstripe_lacks_are_sent_exactly,
    stored_idempotency_calls_the_provider_once,
    invalid_params_name_the_field_and_send_nothing,
    high_impact_calls_wait_for_one_approval,
    every_new_route_checks_the_key,
);

/// Customers created and listed through the host against localstripe.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn customers_through_the_host_against_localstripe() {
    let Some(stripe) = tests::peers::LocalStripe::start() else {
        return;
    };
    let t = common::sqlite().await;
    let h = host_over(&t, &stripe.url).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_x").await;
    let email = format!("ada-{}@example.com", std::process::id());
    let (s, _, created) = call(
        &h,
        &p,
        &conn,
        "stripe.customer.create",
        Some("create-ada"),
        json!({"email": email, "name": "Ada Lovelace", "metadata": {"source": "host"}}),
    )
    .await;
    assert_eq!(s, 200, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("cus_"), "{created}");
    assert_eq!(created["email"], email.as_str());
    assert_eq!(created["metadata"]["source"], "host");
    let (s, _, again) = call(
        &h,
        &p,
        &conn,
        "stripe.customer.create",
        Some("create-ada"),
        json!({"email": email, "name": "Ada Lovelace", "metadata": {"source": "host"}}),
    )
    .await;
    assert_eq!((s.as_u16(), &again["id"]), (200, &created["id"]));
    let (s, _, got) = call(&h, &p, &conn, "stripe.customer.get", None, json!({"customer": id})).await;
    assert_eq!(s, 200, "{got}");
    assert_eq!(got["name"], "Ada Lovelace");
    let (s, _, list) = call(&h, &p, &conn, "stripe.customer.list", None, json!({"limit": 100})).await;
    assert_eq!(s, 200, "{list}");
    let ids: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(ids.iter().filter(|i| **i == id).count(), 1, "{ids:?}");
    let (s, _, updated) = call(
        &h,
        &p,
        &conn,
        "stripe.customer.update",
        None,
        json!({"customer": id, "name": "Ada King"}),
    )
    .await;
    assert_eq!(s, 200, "{updated}");
    assert_eq!(updated["name"], "Ada King");
    let log = audit(&h, &p).await;
    let outcomes: Vec<&str> = log.iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(
        outcomes,
        ["succeeded", "replayed", "succeeded"],
        "reads are not audited"
    );
}
