//! Measurements for `cargo xtask bench host` (ignored in the test run): on each engine, in one run,
//! - the ingest-only rate (signed deliveries acknowledged per second, nothing fanned out);
//! - the fan-out rate: events per second from the first send to the receivers' 2xx of every delivery, with
//!   three HTTP triggers per event;
//! - the p99 delivery lag (event sent → delivery received) with events sent at half the fan-out rate;
//! - through the actions API, the latency of a call answered from stored idempotency against a fresh call.
//!
//! Each figure is printed as `BENCH <engine> <name> <value>`; the bench command turns them into ratios.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::receiver::Receiver;
use common::{PLATFORM_SECRET, TestStore};
use host::outbox::OutboxSettings;
use host::state::Settings;
use serde_json::json;

const EVENTS: usize = 600;
const SENDERS: usize = 16;
const TARGETS: usize = 3;

fn settings() -> Settings {
    Settings {
        outbox: OutboxSettings {
            poll: Duration::from_millis(10),
            concurrency: 64,
            ..OutboxSettings::default()
        },
        ..common::settings()
    }
}

fn bodies(prefix: &str, n: usize) -> Arc<Vec<Vec<u8>>> {
    Arc::new(
        (0..n)
            .map(|i| common::stripe_event(&format!("evt_{prefix}{i}"), "invoice.paid", Some("acct_bench")))
            .collect(),
    )
}

/// Sends every body from `SENDERS` tasks as fast as they are acknowledged; returns when each was, by index.
async fn send_all(h: &Arc<common::TestHost>, bodies: &Arc<Vec<Vec<u8>>>, pace: Option<Duration>) -> Vec<Instant> {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..SENDERS {
        let (h, bodies, next) = (h.clone(), bodies.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut sent = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(body) = bodies.get(i) else { return sent };
                if let Some(every) = pace {
                    let due = start + every * u32::try_from(i).unwrap();
                    tokio::time::sleep_until(due.into()).await;
                }
                let t0 = Instant::now();
                let r = h
                    .deliver("/v1/provider/stripe/webhook/events", PLATFORM_SECRET, body)
                    .await;
                assert_eq!(r.status(), 200);
                sent.push((i, t0));
            }
        }));
    }
    let mut at = vec![start; bodies.len()];
    for t in tasks {
        for (i, t0) in t.await.unwrap() {
            at[i] = t0;
        }
    }
    at
}

async fn host_with_triggers(t: &TestStore, receivers: &[Receiver]) -> (Arc<common::TestHost>, (String, String)) {
    let h = Arc::new(common::serve_with(&t.store, settings()).await);
    let p = common::project(&t.store, "p").await;
    h.stripe_connection(&p, "default", Some("acct_bench"), "whsec_bench")
        .await;
    for rx in receivers {
        let r = h
            .http
            .post(format!("{}/v1/projects/{}/triggers", h.base, p.0))
            .bearer_auth(&p.1)
            .json(&json!({"event_types": ["stripe.invoice.*"], "target": {"kind": "http", "url": rx.url}}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    (h, p)
}

async fn wait_delivered(receivers: &[Receiver], n: usize) {
    for rx in receivers {
        rx.wait_for(n, Duration::from_secs(300)).await;
    }
}

async fn measure(engine: &str, fresh: impl Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = TestStore>>>) {
    // Ingest only.
    let t = fresh().await;
    let (h, _) = host_with_triggers(&t, &[]).await;
    let start = Instant::now();
    send_all(&h, &bodies("i", EVENTS), None).await;
    let ingest_rate = EVENTS as f64 / start.elapsed().as_secs_f64();
    println!("BENCH {engine} ingest_only_per_s {ingest_rate:.1}");

    // Fan-out to three targets, as fast as the senders go.
    let t = fresh().await;
    let receivers = vec![Receiver::ok().await, Receiver::ok().await, Receiver::ok().await];
    let (h, _) = host_with_triggers(&t, &receivers).await;
    let start = Instant::now();
    send_all(&h, &bodies("f", EVENTS), None).await;
    wait_delivered(&receivers, EVENTS).await;
    let fanout_rate = EVENTS as f64 / start.elapsed().as_secs_f64();
    println!("BENCH {engine} fanout_per_s {fanout_rate:.1}");

    // Delivery lag at half the fan-out rate.
    let t = fresh().await;
    let receivers = vec![Receiver::ok().await, Receiver::ok().await, Receiver::ok().await];
    let (h, _) = host_with_triggers(&t, &receivers).await;
    let n = EVENTS / 2;
    let every = Duration::from_secs_f64(2.0 / fanout_rate);
    let sent = send_all(&h, &bodies("l", n), Some(every)).await;
    wait_delivered(&receivers, n).await;
    let mut lags: Vec<Duration> = Vec::with_capacity(n * TARGETS);
    for rx in &receivers {
        for hit in rx.hits() {
            let id = hit.json()["id"].as_str().unwrap().to_string();
            let i: usize = id.trim_start_matches("evt_l").parse().unwrap();
            lags.push(hit.at.saturating_duration_since(sent[i]));
        }
    }
    lags.sort();
    let p99 = lags[lags.len() * 99 / 100];
    println!("BENCH {engine} lag_p99_ms {:.2}", p99.as_secs_f64() * 1000.0);
    println!(
        "BENCH {engine} lag_p50_ms {:.2}",
        lags[lags.len() / 2].as_secs_f64() * 1000.0
    );

    // Stored idempotency: a replay against a fresh call, through the actions API, to a provider answering at once.
    let provider = axum::Router::new().fallback(|| async { axum::Json(json!({"id": "cus_1", "object": "customer"})) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, provider).await });
    let t = fresh().await;
    let mut s = settings();
    s.api_base_urls.insert("stripe".into(), api);
    let h = common::serve_with(&t.store, s).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_bench").await;
    let url = format!(
        "{}/v1/projects/{}/connections/{conn}/actions/stripe.customer.create",
        h.base, p.0
    );
    let mut timed = HashMap::<&str, Vec<Duration>>::new();
    for i in 0..200 {
        for (kind, key) in [("fresh", format!("k{i}")), ("replay", "k0".to_string())] {
            let t0 = Instant::now();
            let r = h
                .http
                .post(&url)
                .bearer_auth(&p.1)
                .header("Idempotency-Key", key)
                .json(&json!({"email": "a@example.com"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            r.bytes().await.unwrap();
            timed.entry(kind).or_default().push(t0.elapsed());
        }
    }
    for (kind, mut v) in timed {
        v.sort();
        println!(
            "BENCH {engine} call_{kind}_p50_us {:.1}",
            v[v.len() / 2].as_secs_f64() * 1e6
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement for `cargo xtask bench host`"]
async fn fanout_sqlite() {
    measure("sqlite", || Box::pin(common::sqlite())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement for `cargo xtask bench host`"]
async fn fanout_postgres() {
    if common::postgres().await.is_none() {
        return;
    }
    measure("postgres", || Box::pin(async { common::postgres().await.unwrap() })).await;
}
