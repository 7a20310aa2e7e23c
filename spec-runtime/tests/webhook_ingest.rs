//! The axum ingestion endpoint: delivered, rejected by signature, unknown account, duplicates, oversized
//! bodies, platform events and consumer failures.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use spec_core::{Secret, SignatureScheme};
use spec_runtime::ingest::{CallbackSink, ConnectionId, Delivery, InMemoryResolver, SinkError, WebhookIngest};
use spec_runtime::webhook::{Limits, Signer, Verifier, VerifierOptions};
use tokio::sync::mpsc;
use tower::ServiceExt as _;

const SECRET: &str = "whsec_ingest_test_secret";
const PATH: &str = "/webhooks/stripe";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn event(id: &str, account: Option<&str>) -> Vec<u8> {
    let mut e = json!({
        "id": id, "object": "event", "type": "customer.created", "created": 1_700_000_000, "livemode": false,
        "data": {"object": {"id": "cus_1", "object": "customer", "email": "a@example.com"}}
    });
    if let Some(a) = account {
        e["account"] = json!(a);
    }
    serde_json::to_vec(&e).unwrap()
}

fn verifier(limits: Limits) -> Verifier {
    Verifier::new(
        VerifierOptions::for_scheme(SignatureScheme::Stripe).with_limits(limits),
        &[Secret::new(SECRET)],
    )
    .unwrap()
}

fn resolver() -> InMemoryResolver {
    let r = InMemoryResolver::new();
    r.insert("acct_known", ConnectionId::new("conn_1"));
    r
}

fn app(limits: Limits) -> (axum::Router, mpsc::Receiver<Delivery>) {
    let (tx, rx) = mpsc::channel(16);
    (
        WebhookIngest::new(verifier(limits), "stripe.", resolver(), tx).router(PATH),
        rx,
    )
}

fn signed(body: &[u8], secret: &str) -> Request<Body> {
    let headers = Signer::for_scheme(SignatureScheme::Stripe, &Secret::new(secret))
        .unwrap()
        .sign(body, now());
    let mut req = Request::post(PATH).header("content-type", "application/json");
    for (k, v) in headers.iter() {
        req = req.header(k, v);
    }
    req.body(Body::from(body.to_vec())).unwrap()
}

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn signed_event_is_delivered_to_its_connection() {
    let (app, mut rx) = app(Limits::default());
    let (status, body) = send(&app, signed(&event("evt_1", Some("acct_known")), SECRET)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"received": true, "duplicate": false, "event_id": "evt_1"}));
    let d = rx.try_recv().unwrap();
    assert_eq!(d.connection, ConnectionId::new("conn_1"));
    assert_eq!(d.event.event_type, "stripe.customer.created");
    assert_eq!(d.event.account_id.as_deref(), Some("acct_known"));
    assert_eq!(d.event.object_id.as_deref(), Some("cus_1"));
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn bad_signature_is_400_naming_the_error_kind() {
    let (app, mut rx) = app(Limits::default());
    let (status, body) = send(&app, signed(&event("evt_1", Some("acct_known")), "whsec_wrong")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "no_matching_signature");
    assert!(!body.to_string().contains("ingest_test_secret"));
    let unsigned = Request::post(PATH)
        .body(Body::from(event("evt_1", Some("acct_known"))))
        .unwrap();
    let (status, body) = send(&app, unsigned).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("missing_header"))
    );
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn signed_body_that_is_not_an_event_is_400() {
    let (app, mut rx) = app(Limits::default());
    let (status, body) = send(&app, signed(b"not json", SECRET)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_event"))
    );
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn unknown_account_is_404_and_nothing_is_delivered() {
    let (app, mut rx) = app(Limits::default());
    let (status, body) = send(&app, signed(&event("evt_2", Some("acct_stranger")), SECRET)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "unknown_account");
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn duplicate_event_is_acknowledged_but_delivered_once() {
    let (app, mut rx) = app(Limits::default());
    let body = event("evt_dup", Some("acct_known"));
    let (s1, b1) = send(&app, signed(&body, SECRET)).await;
    // A redelivery is signed afresh, with a new timestamp, as the provider does.
    let (s2, b2) = send(&app, signed(&body, SECRET)).await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(
        (b1["duplicate"].as_bool(), b2["duplicate"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(rx.try_recv().unwrap().event.id, "evt_dup");
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn oversized_body_is_413_before_hashing() {
    let limits = Limits {
        max_body_bytes: 1024,
        ..Limits::default()
    };
    let (app, mut rx) = app(limits);
    let mut big = event("evt_big", Some("acct_known"));
    big.extend(std::iter::repeat_n(b' ', 2048));
    // Declared by Content-Length.
    let mut req = signed(&big, SECRET);
    req.headers_mut().insert("content-length", big.len().into());
    let (status, body) = send(&app, req).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("body_too_large"))
    );
    // Streamed without a length.
    let (status, body) = send(&app, signed(&big, SECRET)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("body_too_large"))
    );
    // A body at the limit is accepted.
    let mut fits = event("evt_fits", Some("acct_known"));
    fits.resize(1024, b' ');
    assert_eq!(send(&app, signed(&fits, SECRET)).await.0, StatusCode::OK);
    assert_eq!(rx.try_recv().unwrap().event.id, "evt_fits");
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn platform_events_are_rejected_unless_a_platform_connection_is_set() {
    let (app, mut rx) = app(Limits::default());
    let (status, body) = send(&app, signed(&event("evt_p", None), SECRET)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("no_account"))
    );
    assert!(rx.try_recv().is_err());

    let (tx, mut rx) = mpsc::channel(4);
    let app = WebhookIngest::new(verifier(Limits::default()), "stripe.", resolver(), tx)
        .with_platform_connection(ConnectionId::new("platform"))
        .router(PATH);
    assert_eq!(
        send(&app, signed(&event("evt_p", None), SECRET)).await.0,
        StatusCode::OK
    );
    let d = rx.try_recv().unwrap();
    assert_eq!((d.connection.as_str(), d.event.account_id), ("platform", None));
}

#[tokio::test]
async fn consumer_failure_is_503_and_the_retry_is_delivered() {
    let calls = Arc::new(AtomicUsize::new(0));
    let delivered = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = {
        let (calls, delivered) = (calls.clone(), delivered.clone());
        CallbackSink(move |d: Delivery| {
            let (calls, delivered) = (calls.clone(), delivered.clone());
            async move {
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    return Err(SinkError::Failed("database down".into()));
                }
                delivered.lock().unwrap().push(d.event.id);
                Ok(())
            }
        })
    };
    let app = WebhookIngest::new(verifier(Limits::default()), "stripe.", resolver(), sink).router(PATH);
    let body = event("evt_retry", Some("acct_known"));
    let (status, b) = send(&app, signed(&body, SECRET)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(!b.to_string().contains("database"), "{b}");
    assert_eq!(send(&app, signed(&body, SECRET)).await.0, StatusCode::OK);
    assert_eq!(send(&app, signed(&body, SECRET)).await.1["duplicate"], true);
    assert_eq!(*delivered.lock().unwrap(), vec!["evt_retry".to_string()]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn accounts_connected_while_serving_are_resolved() {
    let (tx, mut rx) = mpsc::channel(4);
    let ingest = WebhookIngest::new(verifier(Limits::default()), "stripe.", resolver(), tx);
    let headers = Signer::for_scheme(SignatureScheme::Stripe, &Secret::new(SECRET))
        .unwrap()
        .sign(&event("evt_late", Some("acct_late")), now());
    let body = event("evt_late", Some("acct_late"));
    let first = ingest.ingest(&headers, &body).await;
    assert_eq!(first.status(), StatusCode::NOT_FOUND);
    ingest.resolver().insert("acct_late", ConnectionId::new("conn_late"));
    let second = ingest.ingest(&headers, &body).await;
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(rx.try_recv().unwrap().connection.as_str(), "conn_late");
}

/// A sink failing its first call and succeeding afterwards, each call taking `pause`; it records every
/// success, and `succeeded` turns true before a successful call returns.
#[derive(Clone, Default)]
struct FlakySink {
    calls: Arc<AtomicUsize>,
    successes: Arc<AtomicUsize>,
    succeeded: Arc<std::sync::atomic::AtomicBool>,
}

impl FlakySink {
    fn sink(&self, pause: std::time::Duration) -> impl spec_runtime::ingest::EventSink {
        let this = self.clone();
        CallbackSink(move |_d: Delivery| {
            let this = this.clone();
            async move {
                let call = this.calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(pause).await;
                if call == 0 {
                    return Err(SinkError::Failed("first call fails".into()));
                }
                this.successes.fetch_add(1, Ordering::SeqCst);
                this.succeeded.store(true, Ordering::SeqCst);
                Ok(())
            }
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_copies_are_acknowledged_only_after_the_event_is_delivered() {
    let flaky = FlakySink::default();
    let app = WebhookIngest::new(
        verifier(Limits::default()),
        "stripe.",
        resolver(),
        flaky.sink(std::time::Duration::from_millis(50)),
    )
    .router(PATH);
    let body = event("evt_burst", Some("acct_known"));
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (app, req, succeeded) = (app.clone(), signed(&body, SECRET), flaky.succeeded.clone());
        tasks.push(tokio::spawn(async move {
            let (status, b) = send(&app, req).await;
            // Read when the answer arrives: a 2xx must never precede the sink's success.
            (status, b, succeeded.load(Ordering::SeqCst))
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    for (status, b, succeeded) in &answers {
        if status.is_success() {
            assert!(*succeeded, "acknowledged before the sink succeeded: {b}");
        }
    }
    assert_eq!(flaky.successes.load(Ordering::SeqCst), 1);
    let delivered = answers
        .iter()
        .filter(|(s, b, _)| *s == StatusCode::OK && b["duplicate"] == false)
        .count();
    let duplicates = answers
        .iter()
        .filter(|(s, b, _)| *s == StatusCode::OK && b["duplicate"] == true)
        .count();
    let failed = answers
        .iter()
        .filter(|(s, _, _)| *s == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert_eq!((delivered, duplicates, failed), (1, 48, 1), "{answers:?}");
    assert_eq!(flaky.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_outwaiting_the_first_delivery_is_409_with_retry_after() {
    let flaky = FlakySink::default();
    // The first call fails after 300 ms; the copy waits only 50 ms.
    let app = WebhookIngest::new(
        verifier(Limits::default()),
        "stripe.",
        resolver(),
        flaky.sink(std::time::Duration::from_millis(300)),
    )
    .with_in_flight_wait(std::time::Duration::from_millis(50))
    .router(PATH);
    let body = event("evt_slow", Some("acct_known"));
    let first = tokio::spawn({
        let (app, req) = (app.clone(), signed(&body, SECRET));
        async move { send(&app, req).await.0 }
    });
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let resp = app.clone().oneshot(signed(&body, SECRET)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    assert_eq!(resp.headers()["retry-after"], "5");
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&bytes).unwrap()["error"], "in_flight");
    assert_eq!(first.await.unwrap(), StatusCode::SERVICE_UNAVAILABLE);
    // The failed first copy released the event: the provider's retry delivers it.
    let (status, b) = send(&app, signed(&body, SECRET)).await;
    assert_eq!((status, b["duplicate"].as_bool()), (StatusCode::OK, Some(false)));
    assert_eq!(flaky.successes.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_signed_event_nesting_100000_arrays_is_400_too_deep_and_not_delivered() {
    let (app, mut rx) = app(Limits::default());
    let mut body =
        br#"{"id":"evt_deep","object":"event","type":"customer.created","account":"acct_known","data":{"object":"#
            .to_vec();
    body.extend(std::iter::repeat_n(b'[', 100_000));
    body.extend(std::iter::repeat_n(b']', 100_000));
    body.extend(b"}}");
    let (status, b) = send(&app, signed(&body, SECRET)).await;
    assert_eq!(
        (status, b["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_event"))
    );
    assert!(b["message"].as_str().unwrap().contains("deeper than 100"), "{b}");
    assert!(rx.try_recv().is_err());
}
