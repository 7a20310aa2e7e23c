//! Triggers whose target is an action: params templated from the event, checked at creation where the
//! templates allow, sent through the actions API with the delivery's `webhook-id` as the idempotency key (a
//! replayed delivery never repeats the write), audited under the trigger. Against a recording server standing
//! in for Stripe, asserting the exact request.

mod common;

use std::time::{Duration, Instant};

use common::TestStore;
use host::outbox::OutboxSettings;
use host::state::Settings;
use serde_json::{Value, json};
use tests::recorder::Recorder;

const CONN_SECRET: &str = "whsec_conn_secret";

/// Answers every request like Stripe's customer update; records every request.
async fn recording_stripe() -> Recorder {
    Recorder::start(json!({"id": "cus_1", "object": "customer", "metadata": {}})).await
}

fn settings(stripe: &str) -> Settings {
    let mut s = Settings {
        outbox: OutboxSettings {
            schedule: vec![Duration::from_millis(30); 3],
            poll: Duration::from_millis(20),
            ..OutboxSettings::default()
        },
        ..common::settings()
    };
    s.api_base_urls.insert("stripe".into(), stripe.to_string());
    s
}

async fn post(h: &common::TestHost, key: &str, path: &str, body: Value) -> (u16, Value) {
    let r = h
        .http
        .post(format!("{}{path}", h.base))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn settled(h: &common::TestHost, p: &(String, String), trigger: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = h
            .get(&format!("/v1/projects/{}/triggers/{trigger}/deliveries", p.0), &p.1)
            .await;
        let v: Value = r.json().await.unwrap();
        let d = v["data"].as_array().unwrap().clone();
        if d.len() >= n && d.iter().all(|x| x["status"] == "delivered") {
            return d;
        }
        assert!(Instant::now() < deadline, "not delivered: {d:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn action_targets_call_the_action_once_per_event(t: TestStore) {
    let seen = recording_stripe().await;
    let api = seen.url.clone();
    let h = common::serve_with(&t.store, settings(&api)).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, CONN_SECRET).await;
    let triggers = format!("/v1/projects/{}/triggers", p.0);
    let target = |action: &str, params: Value| {
        json!({"event_types": ["stripe.customer.updated"],
               "target": {"kind": "action", "connection": conn, "action": action, "params": params}})
    };

    // Checked at creation: the action, the templates, and the params the templates leave fixed.
    let (s, b) = post(&h, &p.1, &triggers, target("stripe.nothing", json!({}))).await;
    assert_eq!(s, 422, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("target.action"), "{b}");
    let (s, b) = post(
        &h,
        &p.1,
        &triggers,
        target("stripe.customer.update", json!({"customer": "{{ event.data. }}"})),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("target.params/customer"),
        "{b}"
    );
    let (s, b) = post(
        &h,
        &p.1,
        &triggers,
        target(
            "stripe.customer.update",
            json!({"customer": "{{ event.data.id }}", "balance": "lots"}),
        ),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("/balance"), "{b}");
    let (s, b) = post(
        &h,
        &p.1,
        &triggers,
        json!({"event_types": ["stripe.*"],
        "target": {"kind": "action", "connection": "conn_nope", "action": "stripe.customer.update"}}),
    )
    .await;
    assert_eq!(s, 422, "{b}");

    let (s, created) = post(
        &h,
        &p.1,
        &triggers,
        target(
            "stripe.customer.update",
            json!({"customer": "{{ event.data.id }}", "metadata": {"synced_email": "{{ event.data.email }}"},
                   "description": "synced"}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{created}");
    assert!(
        created.get("secret").is_none_or(Value::is_null),
        "an action target has no signing secret: {created}"
    );
    let trigger = created["id"].as_str().unwrap().to_string();

    let body = common::stripe_event("evt_u1", "customer.updated", None);
    let r = h.deliver(&format!("/v1/hooks/{conn}"), CONN_SECRET, &body).await;
    assert_eq!(r.status(), 200);
    let first = settled(&h, &p, &trigger, 1).await;
    let webhook_id = first[0]["webhook_id"].as_str().unwrap().to_string();
    {
        let all = seen.requests();
        assert_eq!(all.len(), 1, "{all:?}");
        let r = &all[0];
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v1/customers/cus_1"));
        assert_eq!(r.header("idempotency-key"), Some(webhook_id.as_str()));
        let mut fields: Vec<&str> = r.body.split('&').collect();
        fields.sort_unstable();
        assert_eq!(fields, ["description=synced", "metadata[synced_email]=ada@example.com"]);
    }

    // A replay re-runs the delivery with the same webhook-id: the stored answer, no second write.
    let (s, _) = post(
        &h,
        &p.1,
        &format!("/v1/projects/{}/triggers/{trigger}/replay", p.0),
        json!({"since": 0}),
    )
    .await;
    assert_eq!(s, 202);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log: Vec<Value> = h
            .get(&format!("/v1/projects/{}/audit", p.0), &p.1)
            .await
            .json()
            .await
            .unwrap();
        if log.len() >= 2 {
            break;
        }
        assert!(Instant::now() < deadline, "the replay did not run: {log:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    settled(&h, &p, &trigger, 1).await;
    assert_eq!(seen.requests().len(), 1);

    let log: Vec<Value> = h
        .get(&format!("/v1/projects/{}/audit", p.0), &p.1)
        .await
        .json()
        .await
        .unwrap();
    let by_trigger: Vec<&Value> = log
        .iter()
        .filter(|e| e["key_id"] == format!("trigger:{trigger}").as_str())
        .collect();
    let outcomes: Vec<&str> = by_trigger.iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(
        outcomes,
        ["succeeded", "replayed"],
        "the replay ran and was answered from storage: {log:?}"
    );
    assert_eq!(by_trigger[0]["idempotency_key"], webhook_id.as_str());
}

on_both_engines!(action_targets_call_the_action_once_per_event);
