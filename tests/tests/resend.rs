//! The Resend integration, declared as the authoring guide says (types with derived connection traits, one
//! declaration): its typed client against a recording server, every request asserted exactly; its deliveries
//! signed by the official `svix` library (PyPI) with Svix's `svix-*` headers, verified, deduplicated by
//! `svix-id` and typed; tampered, stale and wrongly-named deliveries refused naming what was wrong.

use std::time::Duration;

use integrations::resend::{self, EmailCancelParams, EmailGetParams, ResendConfig, ResendSecrets, SendEmailParams};
use serde_json::{Value, json};
use spec_core::{AuthKind, Secret};
use spec_runtime::client::Credential;
use spec_runtime::ingest::{ConnectionId, Delivery, InMemoryResolver, Outcome, WebhookIngest};
use tests::peers::{python_output, require_python};
use tests::recorder::Recorder;
use tokio::sync::mpsc;

const KEY: &str = "re_123456789_TestKeyForRecording";
/// A signing secret as Resend shows it (24 random bytes, base64).
const WHSEC: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const EMAIL_ID: &str = "4ef9a417-02e9-4d39-ad75-9611e0fcc33c";

fn secrets() -> ResendSecrets {
    serde_json::from_value(json!({"api_key": KEY, "webhook_secret": WHSEC})).expect("secrets")
}

fn client(url: &str) -> resend::Client {
    let rest = resend::Client::builder()
        .connection(&secrets(), &ResendConfig::default(), AuthKind::Bearer)
        .expect("connection")
        .base_url(url)
        .max_retries(0)
        .attempt_timeout(Duration::from_secs(10))
        .build()
        .expect("client builds");
    resend::Client::new(rest)
}

fn email_reply() -> Value {
    json!({"object": "email", "id": EMAIL_ID, "to": ["ada@example.com"], "from": "Acme <billing@acme.test>",
           "created_at": "2026-12-01 12:00:00.000000+00", "subject": "Your receipt", "html": null,
           "text": "Thanks!", "bcc": null, "cc": null, "reply_to": null, "last_event": "delivered",
           "scheduled_at": null})
}

#[tokio::test]
async fn the_connection_traits_come_from_the_marked_fields() {
    let reader = integrations::readers()
        .into_iter()
        .find(|r| r.spec().provider_id() == "resend")
        .expect("resend is registered");
    let stored = json!({"api_key": KEY, "webhook_secret": WHSEC});
    let c = reader.read(&json!({}), &stored).expect("credentials");
    assert_eq!(c.auth, AuthKind::Bearer);
    assert_eq!(c.credential, Credential::bearer(KEY));
    assert_eq!(c.account_id, None);
    assert_eq!(reader.webhook_secret(&stored), Some(Secret::new(WHSEC)));
    // A wrong type is reported without the value.
    let e = reader
        .read(&json!({}), &json!({"api_key": 42}))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("secrets:") && !e.contains("42"), "{e}");
}

#[tokio::test]
async fn email_send_posts_the_json_body_with_bearer_and_idempotency_key() {
    let server = Recorder::start(json!({"id": EMAIL_ID})).await;
    let params = SendEmailParams {
        from: "Acme <billing@acme.test>".into(),
        to: vec!["ada@example.com".into(), "zoë@example.com".into()],
        subject: "Your receipt".into(),
        html: None,
        text: Some("Thanks!".into()),
        cc: None,
        bcc: None,
        reply_to: None,
        headers: None,
        tags: Some(vec![resend::EmailTag {
            name: "category".into(),
            value: "receipt".into(),
        }]),
        scheduled_at: None,
    };
    let sent = client(&server.url)
        .email_send(&params)
        .idempotency_key("receipt-2026-12-01-ada")
        .send()
        .await
        .expect("send");
    assert_eq!(sent.id, EMAIL_ID);
    let r = server.single();
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.query.as_deref()),
        ("POST", "/emails", None)
    );
    assert_eq!(r.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("idempotency-key"), Some("receipt-2026-12-01-ada"));
    assert_eq!(
        r.json(),
        json!({"from": "Acme <billing@acme.test>", "to": ["ada@example.com", "zoë@example.com"],
               "subject": "Your receipt", "text": "Thanks!", "tags": [{"name": "category", "value": "receipt"}]})
    );
}

#[tokio::test]
async fn email_get_and_cancel_fill_the_path_and_keep_unmodelled_fields() {
    let server = Recorder::answering(|r, _| match r.path.as_str() {
        p if p.ends_with("/cancel") => (200, json!({"object": "email", "id": EMAIL_ID})),
        _ => (200, email_reply()),
    })
    .await;
    let client = client(&server.url);
    let email = client
        .email_get(&EmailGetParams {
            email_id: EMAIL_ID.into(),
        })
        .send()
        .await
        .expect("get");
    assert_eq!(email.last_event.as_deref(), Some("delivered"));
    assert_eq!(email.to, ["ada@example.com"]);
    assert_eq!(email.extra["object"], "email");
    assert_eq!(email.extra["text"], "Thanks!");
    let cancelled = client
        .email_cancel(&EmailCancelParams {
            email_id: EMAIL_ID.into(),
        })
        .send()
        .await
        .expect("cancel");
    assert_eq!(cancelled.id, EMAIL_ID);
    let log = server.requests();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str()),
        ("GET", format!("/emails/{EMAIL_ID}").as_str())
    );
    assert_eq!(log[0].body, "", "a GET sends no body");
    assert_eq!(log[0].header("idempotency-key"), None, "reads carry no idempotency key");
    assert_eq!(
        (log[1].method.as_str(), log[1].path.as_str()),
        ("POST", format!("/emails/{EMAIL_ID}/cancel").as_str())
    );
    for r in &log {
        assert_eq!(r.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    }
    assert!(log[1].header("idempotency-key").is_some_and(|k| !k.is_empty()));
}

/// Signs a body with the official `svix` library; prints the headers it sends, as JSON.
const SVIX_SIGN: &str = r#"
import sys, json
from datetime import datetime, timezone
from svix.webhooks import Webhook
secret, msg_id, ts, body = sys.argv[1:5]
sig = Webhook(secret).sign(msg_id, datetime.fromtimestamp(int(ts), tz=timezone.utc), body)
print(json.dumps({"svix-id": msg_id, "svix-timestamp": ts, "svix-signature": sig}))
"#;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn svix_headers(python: &std::path::PathBuf, msg_id: &str, ts: i64, body: &str) -> Vec<(String, String)> {
    let out = python_output(python, SVIX_SIGN, &[WHSEC, msg_id, &ts.to_string(), body]);
    let v: serde_json::Map<String, Value> = serde_json::from_str(out.trim()).expect("headers JSON");
    v.into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
        .collect()
}

fn endpoint() -> (
    WebhookIngest<InMemoryResolver, mpsc::Sender<Delivery>>,
    mpsc::Receiver<Delivery>,
) {
    let (tx, rx) = mpsc::channel(8);
    let ingest = WebhookIngest::from_spec(resend::spec(), &[Secret::new(WHSEC)], InMemoryResolver::new(), tx)
        .expect("endpoint from the spec")
        .with_platform_connection(ConnectionId::new("conn_resend"));
    (ingest, rx)
}

fn delivered_body() -> String {
    json!({"type": "email.delivered", "created_at": "2026-12-01T12:00:05.000Z",
           "data": {"created_at": "2026-12-01T12:00:00.000Z", "email_id": EMAIL_ID,
                    "from": "Acme <billing@acme.test>", "to": ["zoë@example.com"], "subject": "Your receipt",
                    "tags": {"category": "receipt"}}})
    .to_string()
}

#[tokio::test]
async fn deliveries_signed_by_svix_are_verified_and_typed() {
    let Some(python) = require_python() else { return };
    let (ingest, mut rx) = endpoint();
    let body = delivered_body();
    let ts = now();
    let headers = svix_headers(&python, "msg_2p1cVQ8NqkU5Jx9Y", ts, &body);
    let outcome = ingest.ingest(&headers, body.as_bytes()).await;
    assert!(matches!(outcome, Outcome::Delivered { .. }), "{outcome:?}");
    let d = rx.try_recv().expect("delivered");
    assert_eq!(d.connection, ConnectionId::new("conn_resend"));
    assert_eq!(d.event.id, "msg_2p1cVQ8NqkU5Jx9Y", "the id is Svix's message id");
    assert_eq!(d.event.event_type, "resend.email.delivered");
    assert_eq!(d.event.created, Some(ts), "the time is the signed timestamp");
    match d.event.typed::<resend::Event>().expect("typed") {
        resend::Event::EmailDelivered(e) => {
            assert_eq!(e.email_id, EMAIL_ID);
            assert_eq!(e.to, ["zoë@example.com"]);
            assert_eq!(
                e.extra["tags"],
                json!({"category": "receipt"}),
                "unmodelled members are kept"
            );
        }
        other => panic!("{other:?}"),
    }

    // The same message again (Svix retries with the same id) is acknowledged without a second event.
    let again = ingest.ingest(&headers, body.as_bytes()).await;
    assert!(matches!(again, Outcome::Duplicate { .. }), "{again:?}");
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn tampered_stale_and_wrongly_named_deliveries_are_refused() {
    let Some(python) = require_python() else { return };
    let (ingest, mut rx) = endpoint();
    let body = delivered_body();
    let headers = svix_headers(&python, "msg_tampered", now(), &body);
    let tampered = body.replace("zoë@example.com", "eve@example.com");
    match ingest.ingest(&headers, tampered.as_bytes()).await {
        Outcome::Rejected(r) => assert!(r.to_string().contains("signature"), "{r}"),
        other => panic!("{other:?}"),
    }
    let stale = svix_headers(&python, "msg_stale", now() - 600, &body);
    match ingest.ingest(&stale, body.as_bytes()).await {
        Outcome::Rejected(r) => assert!(r.to_string().contains("tolerance"), "{r}"),
        other => panic!("{other:?}"),
    }
    // The same signature under the standard `webhook-*` names: the spec says `svix-*`, and the error names it.
    let renamed: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.replace("svix-", "webhook-"), v.clone()))
        .collect();
    match ingest.ingest(&renamed, body.as_bytes()).await {
        Outcome::Rejected(r) => assert!(r.to_string().contains("svix-"), "{r}"),
        other => panic!("{other:?}"),
    }
    assert!(rx.try_recv().is_err(), "nothing refused is delivered");
}
