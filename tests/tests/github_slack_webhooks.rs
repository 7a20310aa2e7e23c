//! GitHub and Slack deliveries through the ingestion endpoint built from their real specs: the signature
//! scheme, envelope and prefix come from each declaration; Slack's declared `url_verification` handshake is answered.

use integrations::{github, slack};
use serde_json::json;
use spec_core::Secret;
use spec_runtime::ingest::{ConnectionId, Delivery, InMemoryResolver, Outcome, WebhookIngest};
use spec_runtime::webhook::Signer;
use tokio::sync::mpsc;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn endpoint(
    spec: &'static spec_core::IntegrationSpec,
    secret: &str,
    account: &str,
) -> (
    WebhookIngest<InMemoryResolver, mpsc::Sender<Delivery>>,
    mpsc::Receiver<Delivery>,
) {
    let resolver = InMemoryResolver::new();
    resolver.insert(account, ConnectionId::new("conn_1"));
    let (tx, rx) = mpsc::channel(8);
    let ingest = WebhookIngest::from_spec(spec, &[Secret::new(secret)], resolver, tx).unwrap();
    (ingest, rx)
}

#[tokio::test]
async fn slack_challenge_is_answered_only_when_signed() {
    let secret = "8f742231b10e8888abcd99yyyzzz85a5";
    let (ingest, mut rx) = endpoint(slack::spec(), secret, "T0123456");
    let body = serde_json::to_vec(&json!({"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"})).unwrap();
    let headers = Signer::from_spec(slack::spec(), &Secret::new(secret))
        .unwrap()
        .sign(&body, now());
    match ingest.ingest(&headers, &body).await {
        Outcome::Challenge(c) => assert_eq!(c, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"),
        other => panic!("{other:?}"),
    }
    let forged = Signer::from_spec(slack::spec(), &Secret::new("not-the-secret"))
        .unwrap()
        .sign(&body, now());
    assert!(matches!(ingest.ingest(&forged, &body).await, Outcome::Rejected(_)));
    assert!(rx.try_recv().is_err(), "a handshake delivers nothing");
}

#[tokio::test]
async fn slack_app_mention_is_delivered_and_typed() {
    let secret = "slack-signing-secret";
    let (ingest, mut rx) = endpoint(slack::spec(), secret, "T0123456");
    let body = serde_json::to_vec(&json!({
        "token": "x", "team_id": "T0123456", "api_app_id": "A1", "type": "event_callback",
        "event_id": "Ev0PV52K21", "event_time": 1_700_000_000,
        "event": {"type": "app_mention", "user": "U1", "text": "<@U0LAN0Z89> hi", "ts": "1515449522.000016",
                  "channel": "C0LAN2Q65", "event_ts": "1515449522000016"}
    }))
    .unwrap();
    let headers = Signer::from_spec(slack::spec(), &Secret::new(secret))
        .unwrap()
        .sign(&body, now());
    let outcome = ingest.ingest(&headers, &body).await;
    assert!(matches!(outcome, Outcome::Delivered { .. }), "{outcome:?}");
    let d = rx.try_recv().unwrap();
    assert_eq!(d.event.event_type, "slack.app_mention");
    assert_eq!(d.event.id, "Ev0PV52K21");
    match d.event.typed::<slack::Event>().unwrap() {
        slack::Event::AppMention(m) => assert_eq!(m.channel, "C0LAN2Q65"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn github_issue_opened_takes_its_type_from_the_header_and_action() {
    let secret = "It's a Secret to Everybody";
    // GitHub App deliveries name their installation, which is the connection's account.
    let (ingest, mut rx) = endpoint(github::spec(), secret, "123456");
    let body = serde_json::to_vec(&json!({
        "action": "opened",
        "issue": {"id": 1, "number": 7, "title": "Bug", "state": "open", "body": null,
                  "user": {"login": "octocat", "id": 1}},
        "repository": {"id": 2, "name": "hello", "full_name": "octo-org/hello", "private": false,
                       "owner": {"login": "octo-org", "id": 3}},
        "organization": {"login": "octo-org", "id": 3},
        "installation": {"id": 123456},
        "sender": {"login": "octocat", "id": 1}
    }))
    .unwrap();
    let mut headers = Signer::from_spec(github::spec(), &Secret::new(secret))
        .unwrap()
        .sign(&body, now())
        .0;
    headers.push(("X-GitHub-Event".into(), "issues".into()));
    headers.push((
        "X-GitHub-Delivery".into(),
        "72d3162e-cc78-11e3-81ab-4c9367dc0958".into(),
    ));
    let outcome = ingest.ingest(&headers, &body).await;
    let d = match outcome {
        Outcome::Delivered { .. } => rx.try_recv().unwrap(),
        Outcome::Rejected(r) => panic!("rejected: {r}"),
        other => panic!("{other:?}"),
    };
    assert_eq!(d.event.event_type, "github.issues.opened");
    assert_eq!(d.event.id, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    match d.event.typed::<github::Event>() {
        Ok(github::Event::IssuesOpened(e)) => assert_eq!(e.issue.number, 7),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn only_a_declared_handshake_is_answered() {
    // GitHub declares no handshake: a signed delivery shaped like Slack's is an ordinary event.
    let secret = "It's a Secret to Everybody";
    let (ingest, mut rx) = endpoint(github::spec(), secret, "123456");
    let body = serde_json::to_vec(&json!({
        "type": "url_verification", "challenge": "echo-me", "installation": {"id": 123456}
    }))
    .unwrap();
    let mut headers = Signer::from_spec(github::spec(), &Secret::new(secret))
        .unwrap()
        .sign(&body, now())
        .0;
    headers.push(("X-GitHub-Event".into(), "ping".into()));
    headers.push(("X-GitHub-Delivery".into(), "d-1".into()));
    let outcome = ingest.ingest(&headers, &body).await;
    assert!(matches!(outcome, Outcome::Delivered { .. }), "{outcome:?}");
    assert_eq!(rx.try_recv().unwrap().event.event_type, "github.ping");

    // Slack declares it with the value `url_verification`: another type in the same place is not one.
    let secret = "slack-signing-secret";
    let (ingest, _rx) = endpoint(slack::spec(), secret, "T0123456");
    let body = serde_json::to_vec(&json!({"type": "app_rate_limited", "challenge": "echo-me"})).unwrap();
    let headers = Signer::from_spec(slack::spec(), &Secret::new(secret))
        .unwrap()
        .sign(&body, now());
    let outcome = ingest.ingest(&headers, &body).await;
    assert!(matches!(outcome, Outcome::Rejected(_)), "{outcome:?}");
}
