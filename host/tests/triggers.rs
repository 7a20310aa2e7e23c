//! Triggers and the outbox: signed deliveries verified by the official `standardwebhooks` package, retries of
//! failing receivers (500, a timeout, a reset, 429 + `Retry-After`), dead letters and manual retries, conditions,
//! pattern and connection filters, replay, the key check of every route, and two hosts sharing one PostgreSQL.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use common::TestStore;
use common::receiver::{Receiver, Reply};
use host::outbox::OutboxSettings;
use host::state::Settings;
use serde_json::{Value, json};

const CONN_SECRET: &str = "whsec_conn_secret";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Test settings: a schedule of three 30 ms retries, short timeouts, a fast poll.
fn fast() -> Settings {
    Settings {
        outbox: OutboxSettings {
            schedule: vec![ms(30); 3],
            connect_timeout: ms(300),
            timeout: ms(500),
            lease: Duration::from_secs(5),
            poll: ms(20),
            retry_after_cap: Duration::from_secs(2),
            disable_after: Duration::from_secs(3600),
            concurrency: 16,
        },
        ..common::settings()
    }
}

struct Setup {
    h: common::TestHost,
    p: (String, String),
    conn: String,
}

async fn setup(t: &TestStore, settings: Settings) -> Setup {
    let h = common::serve_with(&t.store, settings).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, CONN_SECRET).await;
    Setup { h, p, conn }
}

impl Setup {
    async fn trigger(&self, body: Value) -> (String, String) {
        let r = self
            .h
            .http
            .post(format!("{}/v1/projects/{}/triggers", self.h.base, self.p.0))
            .bearer_auth(&self.p.1)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let v: Value = r.json().await.unwrap();
        (
            v["id"].as_str().unwrap().to_string(),
            v["secret"].as_str().unwrap().to_string(),
        )
    }

    async fn http_trigger(&self, types: &[&str], url: &str) -> (String, String) {
        self.trigger(json!({"event_types": types, "target": {"kind": "http", "url": url}}))
            .await
    }

    /// Ingests a Stripe event on `conn` (its own endpoint).
    async fn ingest_on(&self, conn: &str, body: &[u8]) {
        let r = self.h.deliver(&format!("/v1/hooks/{conn}"), CONN_SECRET, body).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }

    async fn ingest(&self, id: &str, event_type: &str) {
        self.ingest_on(&self.conn, &common::stripe_event(id, event_type, None))
            .await;
    }

    async fn deliveries(&self, trigger: &str) -> Vec<Value> {
        let r = self
            .h
            .get(
                &format!("/v1/projects/{}/triggers/{trigger}/deliveries?limit=500", self.p.0),
                &self.p.1,
            )
            .await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        v["data"].as_array().unwrap().clone()
    }

    /// Waits until every delivery of `trigger` (at least `n`) has `status`.
    async fn settle(&self, trigger: &str, n: usize, status: &str, within: Duration) -> Vec<Value> {
        let deadline = Instant::now() + within;
        loop {
            let d = self.deliveries(trigger).await;
            if d.len() >= n && d.iter().all(|x| x["status"] == status) {
                return d;
            }
            assert!(Instant::now() < deadline, "deliveries did not become {status}: {d:#?}");
            tokio::time::sleep(ms(20)).await;
        }
    }

    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.h
            .http
            .post(format!("{}{path}", self.h.base))
            .bearer_auth(&self.p.1)
            .json(&body)
            .send()
            .await
            .unwrap()
    }
}

async fn deliveries_are_signed_and_verify_with_standardwebhooks(t: TestStore) {
    let s = setup(&t, fast()).await;
    let rx = Receiver::ok().await;
    let (trigger, secret) = s.http_trigger(&["stripe.customer.*"], &rx.url).await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    s.ingest("evt_c1", "customer.created").await;
    s.ingest("evt_i1", "invoice.paid").await;
    s.ingest("evt_c2", "customer.updated").await;
    let hits = rx.wait_for(2, Duration::from_secs(10)).await;
    let d = s.settle(&trigger, 2, "delivered", Duration::from_secs(10)).await;
    assert_eq!(d.len(), 2, "the invoice event does not match: {d:#?}");
    assert!(d.iter().all(|x| x["attempts"] == 1 && x["last_response_status"] == 200));
    let ids: BTreeSet<&str> = hits.iter().map(|h| h.header("webhook-id")).collect();
    assert_eq!(ids.len(), 2, "one webhook-id per event");
    let got: BTreeSet<String> = hits
        .iter()
        .map(|h| h.json()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, ["evt_c1".to_string(), "evt_c2".to_string()].into());
    let body = hits[0].json();
    assert!(body["type"].as_str().unwrap().starts_with("stripe.customer."), "{body}");
    assert_eq!(body["connection"], s.conn.as_str());
    assert!(
        body["cursor"].as_str().unwrap().starts_with("ev_"),
        "deliveries carry their position"
    );
    assert!(hits[0].header("webhook-signature").starts_with("v1,"));
    assert_eq!(hits[0].header("content-type"), "application/json");
    // The secret is shown once and stored sealed: not in the trigger row, not in GET.
    let dump = t.store.dump_table_text("triggers").await.unwrap();
    assert!(
        !String::from_utf8_lossy(&dump).contains(&secret[6..]),
        "the secret is sealed at rest"
    );
    let one: Value =
        s.h.get(&format!("/v1/projects/{}/triggers/{trigger}", s.p.0), &s.p.1)
            .await
            .json()
            .await
            .unwrap();
    assert!(one.get("secret").is_none() && one["status"] == "enabled", "{one}");
    let cases: Vec<_> = hits
        .iter()
        .map(|h| (secret.clone(), h.headers.clone(), h.body.clone()))
        .collect();
    if let Some(n) = common::peers::verify_standard_webhooks(&cases) {
        assert_eq!(n, 2);
    }
}

async fn failures_are_retried_then_dead_and_a_manual_retry_delivers(t: TestStore) {
    let s = setup(&t, fast()).await;
    // Four failures (the first attempt and three retries) exhaust the schedule; the fifth request succeeds.
    let rx = Receiver::start(|n| if n < 4 { Reply::Status(500) } else { Reply::Status(200) }).await;
    let (trigger, secret) = s.http_trigger(&["stripe.invoice.paid"], &rx.url).await;
    s.ingest("evt_500", "invoice.paid").await;
    let d = s.settle(&trigger, 1, "dead", Duration::from_secs(10)).await;
    assert_eq!(d[0]["attempts"], 4, "{d:#?}");
    assert_eq!(d[0]["last_response_status"], 500);
    assert_eq!(d[0]["last_response_excerpt"], "receiver says so");
    assert!(d[0]["next_attempt_at_ms"].is_null());
    let hits = rx.hits();
    assert_eq!(hits.len(), 4, "no attempt after the schedule");
    for w in hits.windows(2) {
        let gap = w[1].at - w[0].at;
        assert!(
            gap >= ms(25),
            "retries wait the scheduled 30 ms (−10 % jitter): {gap:?}"
        );
    }
    let r = s
        .post(
            &format!(
                "/v1/projects/{}/deliveries/{}/retry",
                s.p.0,
                d[0]["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let d = s.settle(&trigger, 1, "delivered", Duration::from_secs(10)).await;
    assert_eq!(d[0]["attempts"], 5);
    let hits = rx.hits();
    assert_eq!(hits.len(), 5);
    let ids: BTreeSet<&str> = hits.iter().map(|h| h.header("webhook-id")).collect();
    assert_eq!(ids.len(), 1, "every attempt carries the same webhook-id");
    let cases: Vec<_> = hits
        .iter()
        .map(|h| (secret.clone(), h.headers.clone(), h.body.clone()))
        .collect();
    common::peers::verify_standard_webhooks(&cases);
}

async fn timeouts_and_resets_fail_the_attempt(t: TestStore) {
    let mut settings = fast();
    settings.outbox.schedule = vec![ms(20)];
    let s = setup(&t, settings).await;
    let hang = Receiver::start(|_| Reply::Hang).await;
    let (reset_url, resets) = common::receiver::resetting().await;
    let (slow, _) = s.http_trigger(&["stripe.invoice.paid"], &hang.url).await;
    let (reset, _) = s.http_trigger(&["stripe.invoice.paid"], &reset_url).await;
    let started = Instant::now();
    s.ingest("evt_fail", "invoice.paid").await;
    let d = s.settle(&slow, 1, "dead", Duration::from_secs(10)).await;
    assert_eq!(d[0]["attempts"], 2);
    assert!(d[0]["last_response_status"].is_null());
    let err = d[0]["last_error"].as_str().unwrap();
    assert!(err.contains("timed out"), "{err}");
    assert!(started.elapsed() >= ms(1000), "two attempts of 500 ms each");
    assert_eq!(hang.hits().len(), 2);
    let d = s.settle(&reset, 1, "dead", Duration::from_secs(10)).await;
    assert_eq!(d[0]["attempts"], 2);
    assert!(d[0]["last_error"].as_str().unwrap().len() > 5, "{d:#?}");
    assert_eq!(resets.load(std::sync::atomic::Ordering::SeqCst), 2);
}

async fn retry_after_is_honoured(t: TestStore) {
    let mut settings = fast();
    settings.outbox.schedule = vec![ms(10), ms(10)];
    let s = setup(&t, settings).await;
    let rx = Receiver::start(|n| {
        if n == 0 {
            Reply::TooMany("1".into())
        } else if n == 1 {
            Reply::TooMany("3600".into())
        } else {
            Reply::Status(204)
        }
    })
    .await;
    let (trigger, _) = s.http_trigger(&["stripe.invoice.paid"], &rx.url).await;
    s.ingest("evt_429", "invoice.paid").await;
    let d = s.settle(&trigger, 1, "delivered", Duration::from_secs(10)).await;
    assert_eq!(d[0]["attempts"], 3);
    let hits = rx.hits();
    let first = hits[1].at - hits[0].at;
    let second = hits[2].at - hits[1].at;
    assert!(
        first >= ms(950),
        "Retry-After: 1 is honoured over a 10 ms schedule: {first:?}"
    );
    assert!(
        second >= ms(1900) && second < ms(4000),
        "Retry-After: 3600 is capped at 2 s: {second:?}"
    );
}

async fn conditions_are_checked_and_filter_fan_out(t: TestStore) {
    let s = setup(&t, fast()).await;
    let rx = Receiver::ok().await;
    let bad = s
        .post(
            &format!("/v1/projects/{}/triggers", s.p.0),
            json!({"event_types": ["*"], "condition": "event.type == \"x\" and\n  event.data.amount >> 3",
                   "target": {"kind": "http", "url": rx.url}}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let v: Value = bad.json().await.unwrap();
    assert_eq!(v["error"]["code"], "invalid_condition", "{v}");
    let position = &v["error"]["details"]["position"];
    assert_eq!(position["line"], 2, "{v}");
    assert!(position["column"].as_u64().unwrap() > 1, "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains("line 2"), "{v}");
    let url = rx.url.clone();
    for (body, code) in [
        (
            json!({"event_types": [], "target": {"kind": "http", "url": url}}),
            "invalid_event_types",
        ),
        (
            json!({"event_types": ["a b"], "target": {"kind": "http", "url": url}}),
            "invalid_event_types",
        ),
        (
            json!({"event_types": ["*"], "target": {"kind": "http", "url": "ftp://x"}}),
            "invalid_target",
        ),
        (
            json!({"event_types": ["*"], "connection": "conn_nope", "target": {"kind": "http", "url": url}}),
            "invalid_connection",
        ),
    ] {
        let r = s.post(&format!("/v1/projects/{}/triggers", s.p.0), body).await;
        assert_eq!(r.status(), 422);
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], code);
    }
    let r = s
        .post(
            &format!("/v1/projects/{}/triggers", s.p.0),
            json!({"event_types": ["*"], "target": {"kind": "carrier-pigeon"}}),
        )
        .await;
    assert_eq!(r.status(), 400, "an unknown target kind is a bad body");

    let (big, _) = s
        .trigger(json!({"event_types": ["stripe.invoice.*"],
                        "condition": "event.type == \"stripe.invoice.paid\" and event.data.amount_paid > 1000",
                        "target": {"kind": "http", "url": rx.url}}))
        .await;
    for (id, amount) in [("evt_small", 500), ("evt_big", 1500)] {
        let body = serde_json::to_vec(&json!({
            "id": id, "object": "event", "type": "invoice.paid", "created": 1_700_000_000, "livemode": false,
            "data": {"object": {"id": "in_1", "object": "invoice", "amount_paid": amount}}
        }))
        .unwrap();
        s.ingest_on(&s.conn, &body).await;
    }
    let d = s.settle(&big, 1, "delivered", Duration::from_secs(10)).await;
    tokio::time::sleep(ms(200)).await;
    let d2 = s.deliveries(&big).await;
    assert_eq!(d.len(), 1, "a false condition writes no delivery row: {d2:#?}");
    assert_eq!(d2.len(), 1);
    assert_eq!(rx.hits()[0].json()["id"], "evt_big");
}

async fn patterns_and_connections_filter(t: TestStore) {
    let s = setup(&t, fast()).await;
    let other = s.h.stripe_connection(&s.p, "other", None, CONN_SECRET).await;
    let rx_conn = Receiver::ok().await;
    let rx_all = Receiver::ok().await;
    let (on_default, _) = s
        .trigger(json!({"event_types": ["stripe.invoice.*"], "connection": s.conn,
                        "target": {"kind": "http", "url": rx_conn.url}}))
        .await;
    let (everything, _) = s
        .http_trigger(&["stripe.invoice.paid", "stripe.customer.created"], &rx_all.url)
        .await;
    for (conn, id, ty) in [
        (&s.conn, "evt_1", "invoice.paid"),
        (&s.conn, "evt_2", "invoice.payment_failed"),
        (&s.conn, "evt_3", "customer.created"),
        (&other, "evt_4", "invoice.paid"),
        (&other, "evt_5", "customer.deleted"),
    ] {
        s.ingest_on(conn, &common::stripe_event(id, ty, None)).await;
    }
    s.settle(&on_default, 2, "delivered", Duration::from_secs(10)).await;
    s.settle(&everything, 3, "delivered", Duration::from_secs(10)).await;
    tokio::time::sleep(ms(200)).await;
    let ids = |rx: &Receiver| -> BTreeSet<String> {
        rx.hits()
            .iter()
            .map(|h| h.json()["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&rx_conn), ["evt_1", "evt_2"].map(String::from).into());
    assert_eq!(ids(&rx_all), ["evt_1", "evt_3", "evt_4"].map(String::from).into());
}

async fn replay_requeues_with_the_same_webhook_id(t: TestStore) {
    let s = setup(&t, fast()).await;
    let rx = Receiver::ok().await;
    for i in 0..3 {
        s.ingest(&format!("evt_r{i}"), "invoice.paid").await;
    }
    // A trigger created after the events: a replay delivers the log's past events.
    let (trigger, _) = s.http_trigger(&["stripe.invoice.paid"], &rx.url).await;
    assert!(s.deliveries(&trigger).await.is_empty());
    let path = format!("/v1/projects/{}/triggers/{trigger}/replay", s.p.0);
    let r = s.post(&path, json!({"since": 0})).await;
    assert_eq!(r.status(), 202);
    assert_eq!(r.json::<Value>().await.unwrap()["enqueued"], 3);
    let first = s.settle(&trigger, 3, "delivered", Duration::from_secs(10)).await;
    let hits = rx.wait_for(3, Duration::from_secs(5)).await;
    // Replaying again re-sends the same pairs with the same webhook-ids, no new rows.
    let r = s.post(&path, json!({"since": 0, "until": common_now() + 10})).await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["enqueued"],
        3,
        "the three pairs are queued again"
    );
    let again = rx.wait_for(6, Duration::from_secs(10)).await;
    let second = s.settle(&trigger, 3, "delivered", Duration::from_secs(10)).await;
    assert_eq!(second.len(), 3, "no duplicate rows of a pair");
    let ids_of = |h: &[common::receiver::Hit]| -> BTreeMap<String, BTreeSet<String>> {
        let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for x in h {
            m.entry(x.json()["id"].as_str().unwrap().to_string())
                .or_default()
                .insert(x.header("webhook-id").to_string());
        }
        m
    };
    assert!(ids_of(&again).values().all(|s| s.len() == 1), "one webhook-id per pair");
    assert_eq!(ids_of(&hits), ids_of(&again));
    assert_eq!(
        first.iter().map(|d| d["id"].clone()).collect::<Vec<_>>(),
        second.iter().map(|d| d["id"].clone()).collect::<Vec<_>>()
    );
    // A range in the future replays nothing.
    let r = s.post(&path, json!({"since": common_now() + 100})).await;
    assert_eq!(r.json::<Value>().await.unwrap()["enqueued"], 0);
}

fn common_now() -> i64 {
    host::store::now()
}

async fn endpoints_failing_too_long_disable_the_trigger(t: TestStore) {
    let mut settings = fast();
    settings.outbox.disable_after = Duration::ZERO;
    let s = setup(&t, settings).await;
    let rx = Receiver::start(|_| Reply::Status(503)).await;
    let (trigger, _) = s.http_trigger(&["stripe.invoice.paid"], &rx.url).await;
    s.ingest("evt_d1", "invoice.paid").await;
    s.settle(&trigger, 1, "dead", Duration::from_secs(10)).await;
    let path = format!("/v1/projects/{}/triggers/{trigger}", s.p.0);
    let one: Value = s.h.get(&path, &s.p.1).await.json().await.unwrap();
    assert_eq!(one["status"], "disabled", "{one}");
    assert!(one["disabled_reason"].as_str().unwrap().contains("failed"), "{one}");
    // A disabled trigger gets no new deliveries.
    s.ingest("evt_d2", "invoice.paid").await;
    tokio::time::sleep(ms(200)).await;
    assert_eq!(s.deliveries(&trigger).await.len(), 1);
    let r =
        s.h.http
            .patch(format!("{}{path}", s.h.base))
            .bearer_auth(&s.p.1)
            .json(&json!({"enabled": true}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "enabled");
    assert!(v["disabled_reason"].is_null());
    // Deleting it: 204, then 404, and gone from the list.
    let r =
        s.h.http
            .delete(format!("{}{path}", s.h.base))
            .bearer_auth(&s.p.1)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(s.h.get(&path, &s.p.1).await.status(), 404);
    let list: Value =
        s.h.get(&format!("/v1/projects/{}/triggers", s.p.0), &s.p.1)
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
}

async fn every_route_checks_the_key(t: TestStore) {
    let s = setup(&t, fast()).await;
    let rx = Receiver::ok().await;
    let (trigger, _) = s.http_trigger(&["stripe.invoice.paid"], &rx.url).await;
    s.ingest("evt_k", "invoice.paid").await;
    let d = s.settle(&trigger, 1, "delivered", Duration::from_secs(10)).await;
    let delivery = d[0]["id"].as_str().unwrap().to_string();
    let q = common::project(&t.store, "q").await;
    let p = &s.p.0;
    let routes: Vec<(reqwest::Method, String, Option<Value>)> = vec![
        (
            reqwest::Method::POST,
            format!("/v1/projects/{p}/triggers"),
            Some(json!({"event_types": ["*"], "target": {"kind": "http", "url": rx.url}})),
        ),
        (reqwest::Method::GET, format!("/v1/projects/{p}/triggers"), None),
        (
            reqwest::Method::GET,
            format!("/v1/projects/{p}/triggers/{trigger}"),
            None,
        ),
        (
            reqwest::Method::PATCH,
            format!("/v1/projects/{p}/triggers/{trigger}"),
            Some(json!({"enabled": true})),
        ),
        (
            reqwest::Method::GET,
            format!("/v1/projects/{p}/triggers/{trigger}/deliveries"),
            None,
        ),
        (
            reqwest::Method::POST,
            format!("/v1/projects/{p}/triggers/{trigger}/replay"),
            Some(json!({"since": 0})),
        ),
        (
            reqwest::Method::POST,
            format!("/v1/projects/{p}/deliveries/{delivery}/retry"),
            None,
        ),
        (
            reqwest::Method::DELETE,
            format!("/v1/projects/{p}/triggers/{trigger}"),
            None,
        ),
    ];
    for (method, path, body) in &routes {
        for (key, want) in [(None, 401), (Some("ihk_wrong"), 401), (Some(q.1.as_str()), 404)] {
            let mut req = s.h.http.request(method.clone(), format!("{}{path}", s.h.base));
            if let Some(k) = key {
                req = req.bearer_auth(k);
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            assert_eq!(req.send().await.unwrap().status(), want, "{method} {path} with {key:?}");
        }
    }
    // Project q's key on q's own paths does not reach p's trigger or delivery.
    let qp = &q.0;
    for path in [
        format!("/v1/projects/{qp}/triggers/{trigger}"),
        format!("/v1/projects/{qp}/triggers/{trigger}/deliveries"),
    ] {
        assert_eq!(s.h.get(&path, &q.1).await.status(), 404, "{path}");
    }
    let r =
        s.h.http
            .post(format!("{}/v1/projects/{qp}/deliveries/{delivery}/retry", s.h.base))
            .bearer_auth(&q.1)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 404);
    let r =
        s.h.http
            .post(format!("{}/v1/projects/{qp}/triggers/{trigger}/replay", s.h.base))
            .bearer_auth(&q.1)
            .json(&json!({"since": 0}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 404);
    // Nothing above changed p's trigger.
    assert_eq!(
        s.h.get(&format!("/v1/projects/{p}/triggers/{trigger}"), &s.p.1)
            .await
            .status(),
        200
    );
}

async fn answers_are_kept_up_to_4_kib(t: TestStore) {
    let mut settings = fast();
    settings.outbox.schedule = vec![];
    let s = setup(&t, settings).await;
    let rx = Receiver::start(|_| Reply::Big(500, 1024 * 1024)).await;
    let (trigger, _) = s.http_trigger(&["stripe.invoice.paid"], &rx.url).await;
    s.ingest("evt_big_answer", "invoice.paid").await;
    let d = s.settle(&trigger, 1, "dead", Duration::from_secs(10)).await;
    assert_eq!(
        d[0]["attempts"], 1,
        "an empty schedule dead-letters after the first attempt"
    );
    let excerpt = d[0]["last_response_excerpt"].as_str().unwrap();
    assert_eq!(excerpt.len(), 4096);
    assert!(excerpt.bytes().all(|b| b == b'x'));
}

fn store_event(project: &str, id: &str, ty: &str) -> host::store::NewEvent {
    host::store::NewEvent {
        project_id: project.into(),
        connection_id: "conn_x".into(),
        provider: "stripe".into(),
        event_id: id.into(),
        event_type: ty.into(),
        account_id: None,
        created: Some(10),
        livemode: Some(false),
        object_id: Some("in_1".into()),
        object_type: Some("invoice".into()),
        data: r#"{"id":"in_1","amount_paid":1500}"#.into(),
        previous_attributes: None,
        raw: r#"{"id":"evt"}"#.into(),
        received_at: 100,
    }
}

/// Fan-out in the event's transaction, and the claim under a lease, on the store alone (no worker runs): a
/// duplicate event writes no second delivery; a claimed row is not claimed again until its lease runs out; a
/// holder whose lease was taken over cannot record its attempt.
async fn fan_out_and_leases_on_the_store(t: TestStore) {
    let store = &t.store;
    let (project, _) = common::project(store, "p").await;
    for (id, cond) in [("trg_a", None), ("trg_b", Some("event.data.amount_paid > 2000"))] {
        store
            .insert_trigger(&host::store::NewTrigger {
                id: id.into(),
                project_id: project.clone(),
                event_types: vec!["stripe.invoice.*".into()],
                connection_id: None,
                condition: cond.map(String::from),
                target: r#"{"kind":"http","url":"http://127.0.0.1:9/"}"#.into(),
                sealed: None,
                created_at: 1,
            })
            .await
            .unwrap();
    }
    let events = [
        store_event(&project, "evt_1", "stripe.invoice.paid"),
        store_event(&project, "evt_2", "stripe.customer.created"),
    ];
    assert_eq!(store.insert_events(&events).await.unwrap(), vec![true, true]);
    assert_eq!(store.insert_events(&events[..1]).await.unwrap(), vec![false]);
    let now = host::outbox::now_ms() + 1000;
    let a = store.claim_deliveries("a", now, now + 200, 10).await.unwrap();
    assert_eq!(a.len(), 1, "one match (trg_a; trg_b's condition is false), once: {a:?}");
    assert_eq!(a[0].trigger_id, "trg_a");
    assert_eq!(a[0].webhook_id, host::outbox::webhook_id("trg_a", a[0].event_seq));
    assert!(
        store
            .claim_deliveries("b", now, now + 200, 10)
            .await
            .unwrap()
            .is_empty(),
        "leased to a"
    );
    let b = store.claim_deliveries("b", now + 300, now + 500, 10).await.unwrap();
    assert_eq!(b.len(), 1, "a's lease ran out");
    let finished = host::store::Finished {
        status: host::triggers::DeliveryStatus::Delivered,
        next_attempt_ms: None,
        at_ms: now + 301,
        http_status: Some(200),
        response: None,
        error: None,
    };
    assert!(
        !store.finish_delivery(&a[0].id, "a", &finished).await.unwrap(),
        "a lost the lease"
    );
    assert!(store.finish_delivery(&b[0].id, "b", &finished).await.unwrap());
    assert!(
        store
            .claim_deliveries("c", now + 1000, now + 2000, 10)
            .await
            .unwrap()
            .is_empty(),
        "delivered"
    );
}

async fn reseal_moves_trigger_secrets(t: TestStore) {
    let s = setup(&t, fast()).await;
    let (trigger, secret) = s.http_trigger(&["*"], "http://127.0.0.1:9/").await;
    let next = host::seal::Sealer::new(
        "k2",
        "ISEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
        Some(&format!("test:{}", common::SEAL_KEY)),
    )
    .unwrap();
    let report = host::server::reseal(&t.store, &next).await.unwrap();
    assert_eq!(
        report.resealed, 2,
        "the connection's secrets and the trigger's: {report:?}"
    );
    let row = t.store.trigger(&s.p.0, &trigger).await.unwrap().unwrap();
    let sealed = row.sealed.unwrap();
    assert_eq!(sealed.key_id, "k2");
    assert_eq!(next.open(&trigger, &sealed).unwrap(), secret.as_bytes());
}

on_both_engines!(
    deliveries_are_signed_and_verify_with_standardwebhooks,
    failures_are_retried_then_dead_and_a_manual_retry_delivers,
    timeouts_and_resets_fail_the_attempt,
    retry_after_is_honoured,
    conditions_are_checked_and_filter_fan_out,
    patterns_and_connections_filter,
    replay_requeues_with_the_same_webhook_id,
    endpoints_failing_too_long_disable_the_trigger,
    every_route_checks_the_key,
    fan_out_and_leases_on_the_store,
    reseal_moves_trigger_secrets,
    answers_are_kept_up_to_4_kib,
);

/// Two host processes' worth of state (each its own `Store` pool and outbox worker) on one PostgreSQL
/// database: every (event, target) pair is delivered, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hosts_share_one_postgres_outbox() {
    let Some(t) = common::postgres().await else { return };
    let other = host::store::Store::open(&t.url).await.unwrap();
    let s = setup(&t, fast()).await;
    let b = common::serve_with(&other, fast()).await;
    let rx1 = Receiver::ok().await;
    let rx2 = Receiver::ok().await;
    let (t1, _) = s.http_trigger(&["stripe.invoice.paid"], &rx1.url).await;
    let (t2, _) = s.http_trigger(&["stripe.*"], &rx2.url).await;
    const EVENTS: usize = 200;
    let path = format!("/v1/hooks/{}", s.conn);
    let mut tasks = Vec::new();
    for chunk in 0..4 {
        let base = if chunk % 2 == 0 {
            s.h.base.clone()
        } else {
            b.base.clone()
        };
        let (http, path) = (s.h.http.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            for i in (chunk..EVENTS).step_by(4) {
                let body = common::stripe_event(&format!("evt_pg_{i:03}"), "invoice.paid", None);
                let mut req = http.post(format!("{base}{path}")).body(body.clone());
                for (k, v) in common::stripe_signature(CONN_SECRET, &body) {
                    req = req.header(k, v);
                }
                assert_eq!(req.send().await.unwrap().status(), 200);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    for (rx, trigger) in [(&rx1, &t1), (&rx2, &t2)] {
        rx.wait_for(EVENTS, Duration::from_secs(30)).await;
        s.settle(trigger, EVENTS, "delivered", Duration::from_secs(30)).await;
    }
    tokio::time::sleep(ms(300)).await;
    for rx in [&rx1, &rx2] {
        let hits = rx.hits();
        let ids: BTreeSet<&str> = hits.iter().map(|h| h.header("webhook-id")).collect();
        assert_eq!(ids.len(), EVENTS, "every pair delivered");
        assert_eq!(hits.len(), EVENTS, "no pair delivered twice");
    }
}
