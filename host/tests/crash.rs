//! Crash test: 1,000 signed deliveries, retried until acknowledged, while the host process is killed with
//! SIGKILL and restarted on the same SQLite file. Every acknowledged delivery must be in the log exactly once,
//! and the log must equal the set sent.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::process;
use tokio::sync::Mutex;

const DELIVERIES: usize = 1000;
const SENDERS: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_deliveries_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("crash.db").display());
    let (project, key) = process::create_project(&db, "crash");

    let port = process::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let child = Arc::new(Mutex::new(process::spawn(&db, port, &[])));
    let pid = Arc::new(std::sync::atomic::AtomicU32::new(child.lock().await.id()));
    let _guard = process::KillOnDrop(pid.clone());
    process::wait_up(&http, &base).await;
    let r = http
        .post(format!("{base}/v1/projects/{project}/connections"))
        .bearer_auth(&key)
        .json(
            &serde_json::json!({"provider": "stripe", "name": "default", "config": {"account_id": "acct_crash"},
                                   "secrets": {"api_key": "sk_test_crashcrash", "webhook_secret": "whsec_crash"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    let sent: Vec<String> = (0..DELIVERIES).map(|i| format!("evt_crash_{i:04}")).collect();
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(AtomicUsize::new(0));
    let acks: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let failures = Arc::new(AtomicUsize::new(0));
    let mut senders = Vec::new();
    for _ in 0..SENDERS {
        let (http, base, sent, next, acked, acks, failures) = (
            http.clone(),
            base.clone(),
            sent.clone(),
            next.clone(),
            acked.clone(),
            acks.clone(),
            failures.clone(),
        );
        senders.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(id) = sent.get(i) else { return };
                let body = common::stripe_event(id, "invoice.paid", Some("acct_crash"));
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
                            *acks.lock().await.entry(id.clone()).or_default() += 1;
                            acked.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                        _ => {
                            failures.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                }
            }
        }));
    }

    // Kill the host mid-way, hard, and start it again on the same file.
    while acked.load(Ordering::SeqCst) < DELIVERIES / 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let acked_before_kill = {
        let mut c = child.lock().await;
        c.kill().unwrap(); // SIGKILL
        c.wait().unwrap();
        acked.load(Ordering::SeqCst)
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    *child.lock().await = process::spawn(&db, port, &[]);
    pid.store(child.lock().await.id(), Ordering::SeqCst);
    process::wait_up(&http, &base).await;

    for s in senders {
        s.await.unwrap();
    }
    assert!(acked_before_kill < DELIVERIES, "the kill came mid-way");
    assert!(
        failures.load(Ordering::SeqCst) > 0,
        "some deliveries failed while the host was down and were retried"
    );

    // The log: every event once, and exactly the set sent.
    let mut logged = Vec::new();
    let mut cursor = String::new();
    loop {
        let url = format!("{base}/v1/projects/{project}/events?limit=500{cursor}");
        let page: serde_json::Value = http
            .get(url)
            .bearer_auth(&key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let data = page["data"].as_array().unwrap();
        logged.extend(data.iter().map(|e| e["id"].as_str().unwrap().to_string()));
        if page["has_more"] != true {
            break;
        }
        cursor = format!("&cursor={}", page["next_cursor"].as_str().unwrap());
    }
    let unique: BTreeSet<&String> = logged.iter().collect();
    assert_eq!(unique.len(), logged.len(), "an event is in the log twice");
    let want: BTreeSet<&String> = sent.iter().collect();
    assert_eq!(unique, want, "the log equals the set sent");
    let acks = acks.lock().await;
    assert_eq!(acks.len(), DELIVERIES, "every delivery was acknowledged in the end");
    eprintln!(
        "crash test: {DELIVERIES} deliveries, {acked_before_kill} acknowledged before SIGKILL, {} failed attempts retried",
        failures.load(Ordering::SeqCst)
    );
    let mut c = child.lock().await;
    let _ = c.kill();
    let _ = c.wait();
    pid.store(0, Ordering::SeqCst);
}
