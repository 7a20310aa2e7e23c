//! The canonical event built from each provider's envelope.

use serde_json::json;
use spec_core::EventEnvelope;
use spec_core::{EventType, Events, IntegrationSpec, TypeSchema};
use spec_runtime::event::{CanonicalEvent, EventError};

fn no_headers() -> [(&'static str, &'static str); 0] {
    []
}

fn invoice_paid() -> serde_json::Value {
    json!({
        "id": "evt_1NG8Du2eZvKYlo2CUI79vXWy",
        "object": "event",
        "api_version": "2024-11-20.acacia",
        "account": "acct_1032D82eZvKYlo2C",
        "created": 1_686_089_970,
        "livemode": true,
        "type": "invoice.paid",
        "data": {
            "object": {"id": "in_1NG8Dt2eZvKYlo2C", "object": "invoice", "status": "paid", "amount_paid": 2000},
            "previous_attributes": {"status": "open"}
        },
        "request": {"id": null, "idempotency_key": null}
    })
}

#[test]
fn stripe_event_maps_every_field() {
    let raw = invoice_paid();
    let e = CanonicalEvent::from_stripe(raw.clone(), "stripe.").unwrap();
    assert_eq!(e.id, "evt_1NG8Du2eZvKYlo2CUI79vXWy");
    assert_eq!(e.event_type, "stripe.invoice.paid");
    assert_eq!(e.upstream_type, "invoice.paid");
    assert_eq!(e.account_id.as_deref(), Some("acct_1032D82eZvKYlo2C"));
    assert_eq!(e.created, Some(1_686_089_970));
    assert_eq!(e.livemode, Some(true));
    assert_eq!(e.object_id.as_deref(), Some("in_1NG8Dt2eZvKYlo2C"));
    assert_eq!(e.object_type.as_deref(), Some("invoice"));
    assert_eq!(e.data(), raw["data"]["object"]);
    assert_eq!(e.previous_attributes(), Some(json!({"status": "open"})));
    assert_eq!(e.raw(), raw);
}

#[test]
fn platform_event_has_no_account() {
    let mut raw = invoice_paid();
    raw.as_object_mut().unwrap().remove("account");
    raw["data"].as_object_mut().unwrap().remove("previous_attributes");
    let e = CanonicalEvent::from_stripe(raw, "stripe.").unwrap();
    assert_eq!(e.account_id, None);
    assert_eq!(e.previous_attributes(), None);
}

#[test]
fn unknown_types_are_kept_and_flagged() {
    let mut raw = invoice_paid();
    raw["type"] = json!("brand_new.thing_happened");
    let e = CanonicalEvent::from_stripe(raw, "stripe.").unwrap();
    assert_eq!(e.event_type, "stripe.brand_new.thing_happened");
    let events = Events {
        prefix: "stripe.".into(),
        types: vec![EventType {
            event_type: "invoice.paid".into(),
            payload: TypeSchema::named("Invoice"),
            description: String::new(),
        }],
        envelope: None,
    };
    assert!(!e.is_declared(&events));
    assert!(
        CanonicalEvent::from_stripe(invoice_paid(), "stripe.")
            .unwrap()
            .is_declared(&events)
    );
}

#[test]
fn required_fields_and_json_errors() {
    let mut raw = invoice_paid();
    raw.as_object_mut().unwrap().remove("id");
    assert_eq!(
        CanonicalEvent::from_stripe(raw, "stripe.").unwrap_err(),
        EventError::MissingField {
            field: "id",
            location: "body `/id`".into()
        }
    );
    let mut raw = invoice_paid();
    raw["type"] = json!(42);
    assert_eq!(
        CanonicalEvent::from_stripe(raw, "stripe.").unwrap_err(),
        EventError::MissingField {
            field: "type",
            location: "body `/type`".into()
        }
    );
    let err = CanonicalEvent::from_body(&EventEnvelope::stripe(), b"{not json", "stripe.", &no_headers()).unwrap_err();
    assert_eq!(err.kind(), "invalid_json");
    // Optional fields of an unexpected type are left empty rather than failing the event.
    let mut raw = invoice_paid();
    raw["created"] = json!("yesterday");
    raw["livemode"] = json!(1);
    let e = CanonicalEvent::from_stripe(raw, "stripe.").unwrap();
    assert_eq!((e.created, e.livemode), (None, None));
}

#[test]
fn github_envelope_reads_headers_and_action() {
    let body = json!({"action": "opened", "issue": {"number": 1}, "installation": {"id": 4242}});
    let headers = [
        ("X-GitHub-Event", "issues"),
        ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
    ];
    let e = CanonicalEvent::from_envelope(&EventEnvelope::github(), body.clone(), "github.", &headers).unwrap();
    assert_eq!(e.event_type, "github.issues.opened");
    assert_eq!(e.id, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    assert_eq!(e.account_id.as_deref(), Some("4242"));
    assert_eq!(e.data(), body);
    // An event without an action (ping) is typed by the header alone.
    let e = CanonicalEvent::from_envelope(
        &EventEnvelope::github(),
        json!({"zen": "Keep it simple."}),
        "github.",
        &headers,
    )
    .unwrap();
    assert_eq!(e.upstream_type, "issues");
    assert_eq!(e.account_id, None);
    let missing = CanonicalEvent::from_envelope(&EventEnvelope::github(), body, "github.", &headers[..1]);
    let missing = missing.unwrap_err();
    assert_eq!(
        missing,
        EventError::MissingField {
            field: "id",
            location: "header `X-GitHub-Delivery`".into()
        }
    );
    assert_eq!(
        missing.to_string(),
        "the event has no usable `id`: nothing at header `X-GitHub-Delivery`"
    );
}

#[test]
fn slack_envelope_reads_the_inner_event() {
    let body = json!({
        "token": "x", "team_id": "T123ABC456", "api_app_id": "A123ABC456", "type": "event_callback",
        "event": {"type": "app_mention", "user": "U123ABC456", "text": "hi", "ts": "1515449522.000016"},
        "event_id": "Ev123ABC456", "event_time": 1_515_449_522
    });
    let e = CanonicalEvent::from_envelope(&EventEnvelope::slack(), body.clone(), "slack.", &no_headers()).unwrap();
    assert_eq!(e.event_type, "slack.app_mention");
    assert_eq!(e.id, "Ev123ABC456");
    assert_eq!(e.account_id.as_deref(), Some("T123ABC456"));
    assert_eq!(e.created, Some(1_515_449_522));
    assert_eq!(e.object_type.as_deref(), Some("app_mention"));
    assert_eq!(e.data(), body["event"]);
}

#[test]
fn standard_webhooks_envelope_reads_id_and_time_from_headers() {
    let body = json!({"type": "invoice.paid", "timestamp": "2022-11-03T20:26:10.344522Z", "data": {"id": "inv_1"}});
    let headers = [("webhook-id", "msg_1"), ("webhook-timestamp", "1667507170")];
    let e = CanonicalEvent::from_envelope(&EventEnvelope::standard_webhooks(), body, "acme.", &headers).unwrap();
    assert_eq!((e.id.as_str(), e.created), ("msg_1", Some(1_667_507_170)));
    assert_eq!(e.object_id.as_deref(), Some("inv_1"));
    assert_eq!(e.event_type, "acme.invoice.paid");
}

#[test]
fn prefix_comes_from_the_spec() {
    let mut spec: IntegrationSpec = serde_json::from_value(json!({
        "meta": {"key": "payments.stripe", "version": "1.0.0", "category": "payments", "title": "Stripe",
                 "domain": "payments", "stability": "stable"},
        "supported_modes": ["managed"],
        "transports": [{"type": "rest", "base_url": "https://api.stripe.com"}],
        "preferred_transport": "rest",
        "supported_auth_methods": [{"type": "bearer"}],
        "config": {"type_name": "C"}, "secrets": {"type_name": "S"}
    }))
    .unwrap();
    assert_eq!(spec.event_prefix(), "stripe.");
    spec.events = Some(Events {
        prefix: "payments.stripe.".into(),
        types: vec![],
        envelope: None,
    });
    assert_eq!(spec.event_prefix(), "payments.stripe.");
}

#[test]
fn canonical_event_round_trips_and_has_a_schema() {
    let e = CanonicalEvent::from_stripe(invoice_paid(), "stripe.").unwrap();
    let text = serde_json::to_value(&e).unwrap();
    assert_eq!(text["type"], "stripe.invoice.paid");
    assert_eq!(text["upstream_type"], "invoice.paid");
    let back: CanonicalEvent = serde_json::from_value(text).unwrap();
    assert_eq!(back, e);
    let schema = serde_json::to_value(schemars::schema_for!(CanonicalEvent)).unwrap();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for field in ["id", "type", "upstream_type", "data", "raw"] {
        assert!(required.contains(&field), "{field} not required in {schema}");
    }
    assert!(schema["properties"]["account_id"].is_object());
}
