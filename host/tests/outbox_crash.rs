//! Crash test of the outbox: 1,000 signed Stripe deliveries ingested by the host binary on SQLite, fanning out
//! to three HTTP targets, while the host is killed with SIGKILL three times and restarted on the same file. In
//! the end every (event, target) pair is delivered, none is lost, and any duplicate carries the same
//! `webhook-id` as the first copy.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::process;
use common::receiver::Receiver;
use tokio::sync::Mutex;

const EVENTS: usize = 1000;
const TARGETS: usize = 3;
const SENDERS: usize = 16;
const KILLS: usize = 3;

/// Event id → the webhook-ids it arrived with, and the number of requests.
fn received(rx: &Receiver) -> (BTreeMap<String, BTreeSet<String>>, usize) {
    let hits = rx.hits();
    let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for h in &hits {
        m.entry(h.json()["id"].as_str().unwrap().to_string())
            .or_default()
            .insert(h.header("webhook-id").to_string());
    }
    (m, hits.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_pair_is_delivered_across_sigkills() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("outbox.db").display());
    let (project, key) = process::create_project(&db, "crash");
    let port = process::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let child = Arc::new(Mutex::new(process::spawn(
        &db,
        port,
        &[
            "--delivery-schedule",
            "100ms,200ms,400ms,800ms,1s,1s,1s,1s,1s,1s",
            "--delivery-lease",
            "1s",
            "--delivery-timeout",
            "800ms",
        ],
    )));
    let pid = Arc::new(AtomicU32::new(child.lock().await.id()));
    let _guard = process::KillOnDrop(pid.clone());
    process::wait_up(&http, &base).await;
    let r = http
        .post(format!("{base}/v1/projects/{project}/connections"))
        .bearer_auth(&key)
        .json(
            &serde_json::json!({"provider": "stripe", "name": "default", "config": {"account_id": "acct_obx"},
                                  "secrets": {"api_key": "sk_test_crashcrash", "webhook_secret": "whsec_crash"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let mut receivers = Vec::new();
    for _ in 0..TARGETS {
        let rx = Receiver::ok().await;
        let r = http
            .post(format!("{base}/v1/projects/{project}/triggers"))
            .bearer_auth(&key)
            .json(&serde_json::json!({"event_types": ["stripe.invoice.*"], "target": {"kind": "http", "url": rx.url}}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        receivers.push(rx);
    }

    let sent: Vec<String> = (0..EVENTS).map(|i| format!("evt_obx_{i:04}")).collect();
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(AtomicUsize::new(0));
    let mut senders = Vec::new();
    for _ in 0..SENDERS {
        let (http, base, sent, next, acked) = (http.clone(), base.clone(), sent.clone(), next.clone(), acked.clone());
        senders.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(id) = sent.get(i) else { return };
                let body = common::stripe_event(id, "invoice.paid", Some("acct_obx"));
                loop {
                    let mut req = http
                        .post(format!("{base}/v1/provider/stripe/webhook/events"))
                        .header("content-type", "application/json")
                        .body(body.clone());
                    for (k, v) in common::stripe_signature(common::PLATFORM_SECRET, &body) {
                        req = req.header(k, v);
                    }
                    match req.send().await {
                        Ok(r) if r.status().is_success() => {
                            acked.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                        _ => tokio::time::sleep(Duration::from_millis(20)).await,
                    }
                }
            }
        }));
    }

    // Kill the host hard while events are still coming in and fanning out, then start it again.
    let total_hits = |rs: &[Receiver]| rs.iter().map(|r| r.hits().len()).sum::<usize>();
    let mut kills_at = Vec::new();
    for k in 1..=KILLS {
        let want_acked = EVENTS * k / (KILLS + 1);
        while acked.load(Ordering::SeqCst) < want_acked {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        {
            let mut c = child.lock().await;
            c.kill().unwrap(); // SIGKILL
            c.wait().unwrap();
        }
        kills_at.push((acked.load(Ordering::SeqCst), total_hits(&receivers)));
        tokio::time::sleep(Duration::from_millis(200)).await;
        *child.lock().await = process::spawn(
            &db,
            port,
            &[
                "--delivery-schedule",
                "100ms,200ms,400ms,800ms,1s,1s,1s,1s,1s,1s",
                "--delivery-lease",
                "1s",
                "--delivery-timeout",
                "800ms",
            ],
        );
        pid.store(child.lock().await.id(), Ordering::SeqCst);
        process::wait_up(&http, &base).await;
    }
    for s in senders {
        s.await.unwrap();
    }
    let ingested_in = started.elapsed();

    // Every pair arrives in the end.
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        if receivers.iter().all(|r| received(r).0.len() >= EVENTS) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not every pair arrived: {:?}",
            receivers.iter().map(|r| received(r).0.len()).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let want: BTreeSet<String> = sent.iter().cloned().collect();
    let mut duplicates = 0;
    let mut webhook_ids = BTreeSet::new();
    for rx in &receivers {
        let (by_event, requests) = received(rx);
        assert_eq!(
            by_event.keys().cloned().collect::<BTreeSet<_>>(),
            want,
            "exactly the events sent"
        );
        for (event, ids) in &by_event {
            assert_eq!(ids.len(), 1, "{event} arrived with different webhook-ids: {ids:?}");
            webhook_ids.extend(ids.iter().cloned());
        }
        duplicates += requests - by_event.len();
    }
    assert_eq!(webhook_ids.len(), EVENTS * TARGETS, "a webhook-id per (event, target)");
    assert!(
        kills_at.iter().all(|(a, _)| *a < EVENTS),
        "the kills came during ingestion: {kills_at:?}"
    );
    eprintln!(
        "outbox crash test: {EVENTS} events x {TARGETS} targets, SIGKILL at (acked, delivered) {kills_at:?}, \
         {duplicates} duplicate requests (same webhook-id), ingested in {ingested_in:?}, all delivered in {:?}",
        started.elapsed()
    );
    let mut c = child.lock().await;
    let _ = c.kill();
    let _ = c.wait();
    pid.store(0, Ordering::SeqCst);
}
