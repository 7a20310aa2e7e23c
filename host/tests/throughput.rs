//! Durable ingest throughput (HTTP + verify + parse + commit before the ack) with 32 concurrent senders, on
//! both engines. A measurement, not a check: `cargo test -p host --release --test throughput -- --ignored
//! --nocapture`.

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::{PLATFORM_SECRET, TestStore};

const DELIVERIES: usize = 2000;
const SENDERS: usize = 32;

async fn measure(t: TestStore) {
    let h = Arc::new(common::serve(&t.store).await);
    let p = common::project(&t.store, "p").await;
    let conn = h
        .stripe_connection(&p, "default", Some("acct_bench"), "whsec_bench")
        .await;
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..DELIVERIES)
            .map(|i| common::stripe_event(&format!("evt_b{i}"), "invoice.paid", Some("acct_bench")))
            .collect(),
    );
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..SENDERS {
        let (h, bodies, next) = (h.clone(), bodies.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(body) = bodies.get(i) else { return latencies };
                let t0 = Instant::now();
                let r = h
                    .deliver("/v1/provider/stripe/webhook/events", PLATFORM_SECRET, body)
                    .await;
                assert_eq!(r.status(), 200);
                latencies.push(t0.elapsed());
            }
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let elapsed = start.elapsed();
    all.sort();
    assert_eq!(t.store.count_events(&conn, None).await.unwrap(), DELIVERIES as i64);
    eprintln!(
        "{:?}: {DELIVERIES} deliveries, {SENDERS} senders: {:.0}/s, p50 {:?}, p99 {:?}",
        t.store.engine(),
        DELIVERIES as f64 / elapsed.as_secs_f64(),
        all[all.len() / 2],
        all[all.len() * 99 / 100]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run with --ignored --nocapture"]
async fn sqlite_ingest_throughput() {
    measure(common::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run with --ignored --nocapture"]
async fn postgres_ingest_throughput() {
    if let Some(t) = common::postgres().await {
        measure(t).await;
    }
}
