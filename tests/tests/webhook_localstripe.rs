//! localstripe's real signed deliveries reach our axum endpoint: a webhook registered with localstripe
//! (`POST /_config/webhooks/<name>`) fires `customer.created` when a customer is created through its REST
//! API; the event arrives, verifies and is delivered. A second registration with another secret is refused.

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::Response;
use integrations::stripe;
use spec_core::{Secret, SignatureScheme};
use spec_runtime::ingest::{ConnectionId, InMemoryResolver, WebhookIngest};
use spec_runtime::webhook::{Verifier, VerifierOptions};
use tests::peers::{LocalStripe, python_output, require_python};
use tokio::sync::mpsc;

const SECRET: &str = "whsec_localstripe_delivery";

/// Registers two webhooks (`good` with our secret, `bad` with another) and creates a customer; prints its id.
const DRIVE: &str = r#"
import sys, json, urllib.parse, urllib.request
base, good_url, bad_url, secret = sys.argv[1:5]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
def post(path, fields, headers={}):
    req = urllib.request.Request(base + path, data=urllib.parse.urlencode(fields).encode(), headers=headers,
                                 method="POST")
    with opener.open(req, timeout=10) as r:
        return r.read()
opener.open(urllib.request.Request(base + "/_config/data", method="DELETE"), timeout=10).read()
post("/_config/webhooks/good", {"url": good_url, "secret": secret})
post("/_config/webhooks/bad", {"url": bad_url, "secret": "whsec_not_ours"})
customer = json.loads(post("/v1/customers", {"email": "ada@example.com", "name": "Ada"},
                           {"Authorization": "Bearer sk_test_12345"}))
print(customer["id"])
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn localstripe_customer_created_is_verified_and_delivered() {
    let Some(python) = require_python() else { return };
    let Some(ls) = LocalStripe::start() else { return };

    let verifier = || {
        Verifier::new(
            VerifierOptions::for_scheme(SignatureScheme::Stripe),
            &[Secret::new(SECRET)],
        )
        .unwrap()
    };
    // localstripe's events carry no `account`: they are the platform's own, sent to the platform connection.
    let (tx, mut delivered) = mpsc::channel(16);
    let good = WebhookIngest::new(verifier(), "stripe.", InMemoryResolver::new(), tx)
        .with_platform_connection(ConnectionId::new("platform"))
        .router("/good");
    let (bad_tx, mut bad_delivered) = mpsc::channel(16);
    let (status_tx, mut bad_status) = mpsc::unbounded_channel();
    let bad = WebhookIngest::new(verifier(), "stripe.", InMemoryResolver::new(), bad_tx)
        .with_platform_connection(ConnectionId::new("platform"))
        .router("/bad")
        .layer(axum::middleware::map_response(move |r: Response| {
            let _ = status_tx.send(r.status());
            async move { r }
        }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, good.merge(bad)).await });

    let args = [
        ls.url.clone(),
        format!("http://{addr}/good"),
        format!("http://{addr}/bad"),
        SECRET.to_string(),
    ];
    let customer_id = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        python_output(&python, DRIVE, &args)
    })
    .await
    .unwrap();
    let customer_id = customer_id.trim();
    assert!(customer_id.starts_with("cus_"), "{customer_id}");

    // localstripe delivers about a second after the change; bound the wait so a broken delivery fails.
    let wait = Duration::from_secs(30);
    let delivery = tokio::time::timeout(wait, delivered.recv())
        .await
        .expect("no customer.created delivery from localstripe")
        .unwrap();
    assert_eq!(delivery.connection.as_str(), "platform");
    let event = delivery.event;
    assert_eq!(event.event_type, "stripe.customer.created");
    assert_eq!(event.upstream_type, "customer.created");
    assert!(event.id.starts_with("evt_"), "{}", event.id);
    assert_eq!(event.object_id.as_deref(), Some(customer_id));
    assert_eq!(event.object_type.as_deref(), Some("customer"));
    assert_eq!(event.data()["email"], "ada@example.com");
    assert_eq!(event.livemode, Some(false));
    assert_eq!(event.account_id, None);
    assert_eq!(event.raw()["type"], "customer.created");
    match event.typed::<stripe::Event>().unwrap() {
        stripe::Event::CustomerCreated(c) => assert_eq!(c.id, customer_id),
        other => panic!("{other:?}"),
    }

    // The delivery signed with the other secret was answered 400 and not handed on.
    let status = tokio::time::timeout(wait, bad_status.recv()).await.unwrap().unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad_delivered.try_recv().is_err());

    server.abort();
}
