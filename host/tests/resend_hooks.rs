//! A Resend connection's own webhook endpoint: deliveries signed by the official `svix` library (PyPI) under
//! Svix's `svix-*` headers are verified with the secret the secrets type marks `#[connection(webhook_secret)]`,
//! stored with Svix's message id as the event id, and listed typed; a wrong secret or another provider's
//! signature is refused and nothing is stored.

mod common;

use reqwest::StatusCode;
use serde_json::{Value, json};

const WHSEC: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

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
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn svix_signed_deliveries_reach_the_resend_connections_event_log() {
    let Some(python) = tests::peers::require_python() else {
        return;
    };
    let t = common::sqlite().await;
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "mail").await;
    let r = h
        .http
        .post(format!("{}/v1/projects/{}/connections", h.base, p.0))
        .bearer_auth(&p.1)
        .json(&json!({"provider": "resend", "name": "default",
                      "secrets": {"api_key": "re_123456789_Test", "webhook_secret": WHSEC}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let conn = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();

    let body = json!({"type": "email.bounced", "created_at": "2026-12-01T12:00:05.000Z",
                      "data": {"created_at": "2026-12-01T12:00:00.000Z", "email_id": "e_1",
                               "from": "Acme <billing@acme.test>", "to": ["ada@example.com"],
                               "subject": "Your receipt", "bounce": {"type": "Permanent"}}})
    .to_string();
    let send = |secret: &'static str, msg_id: &'static str| {
        let out = tests::peers::python_output(&python, SVIX_SIGN, &[secret, msg_id, &now().to_string(), &body]);
        let headers: serde_json::Map<String, Value> = serde_json::from_str(out.trim()).unwrap();
        let mut req = h
            .http
            .post(format!("{}/v1/hooks/{conn}", h.base))
            .header("content-type", "application/json")
            .body(body.clone());
        for (k, v) in headers {
            req = req.header(k, v.as_str().unwrap().to_string());
        }
        req.send()
    };
    assert_eq!(
        send("whsec_bm90LXRoZS1zZWNyZXQtYXQtYWxsLW5vLQ==", "msg_forged")
            .await
            .unwrap()
            .status(),
        StatusCode::BAD_REQUEST
    );
    let stripe_signed = h.deliver(&format!("/v1/hooks/{conn}"), WHSEC, body.as_bytes()).await;
    assert_eq!(
        stripe_signed.status(),
        StatusCode::BAD_REQUEST,
        "another provider's scheme"
    );
    let ok = send(WHSEC, "msg_2p1cVQ8NqkU5Jx9Y").await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK, "{}", ok.text().await.unwrap());
    let again = send(WHSEC, "msg_2p1cVQ8NqkU5Jx9Y").await.unwrap();
    assert_eq!(again.json::<Value>().await.unwrap()["duplicate"], true);

    let page: Value = h
        .get(&format!("/v1/projects/{}/events", p.0), &p.1)
        .await
        .json()
        .await
        .unwrap();
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{page}");
    assert_eq!(data[0]["id"], "msg_2p1cVQ8NqkU5Jx9Y");
    assert_eq!(data[0]["type"], "resend.email.bounced");
    assert_eq!(data[0]["connection"], conn.as_str());
    assert_eq!(data[0]["data"]["bounce"]["type"], "Permanent");
}
