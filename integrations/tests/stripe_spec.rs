//! The Stripe declaration: the 20 actions with Stripe's real methods and paths, their permissions and flags, and
//! the 36 event types typed by the generated `Event` enum.

use integrations::stripe::{self, Event};
use spec_core::ActionDescriptor;
use spec_core::HttpMethod;

#[test]
fn twenty_actions_with_real_methods_and_paths() {
    let spec = stripe::spec();
    let table: Vec<(&str, HttpMethod, &str)> = spec
        .actions
        .iter()
        .map(|a| (a.id.as_str(), a.method, a.path.as_str()))
        .collect();
    let expected = [
        ("stripe.customer.list", HttpMethod::Get, "/v1/customers"),
        ("stripe.customer.get", HttpMethod::Get, "/v1/customers/{customer}"),
        ("stripe.customer.create", HttpMethod::Post, "/v1/customers"),
        ("stripe.customer.update", HttpMethod::Post, "/v1/customers/{customer}"),
        ("stripe.payment_intent.list", HttpMethod::Get, "/v1/payment_intents"),
        (
            "stripe.payment_intent.get",
            HttpMethod::Get,
            "/v1/payment_intents/{intent}",
        ),
        ("stripe.payment_intent.create", HttpMethod::Post, "/v1/payment_intents"),
        (
            "stripe.payment_intent.confirm",
            HttpMethod::Post,
            "/v1/payment_intents/{intent}/confirm",
        ),
        ("stripe.invoice.list", HttpMethod::Get, "/v1/invoices"),
        ("stripe.invoice.get", HttpMethod::Get, "/v1/invoices/{invoice}"),
        ("stripe.invoice.create", HttpMethod::Post, "/v1/invoices"),
        ("stripe.subscription.list", HttpMethod::Get, "/v1/subscriptions"),
        (
            "stripe.subscription.get",
            HttpMethod::Get,
            "/v1/subscriptions/{subscription_exposed_id}",
        ),
        ("stripe.subscription.create", HttpMethod::Post, "/v1/subscriptions"),
        (
            "stripe.subscription.cancel",
            HttpMethod::Delete,
            "/v1/subscriptions/{subscription_exposed_id}",
        ),
        ("stripe.refund.create", HttpMethod::Post, "/v1/refunds"),
        (
            "stripe.checkout_session.create",
            HttpMethod::Post,
            "/v1/checkout/sessions",
        ),
        ("stripe.payment_link.create", HttpMethod::Post, "/v1/payment_links"),
        ("stripe.product.create", HttpMethod::Post, "/v1/products"),
        ("stripe.price.create", HttpMethod::Post, "/v1/prices"),
    ];
    assert_eq!(table, expected);
}

#[test]
fn flags_and_permissions() {
    let spec = stripe::spec();
    let high: Vec<&str> = spec
        .actions
        .iter()
        .filter(|a| a.high_impact)
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(high, ["stripe.invoice.create", "stripe.refund.create"]);
    for a in &spec.actions {
        assert_eq!(a.mutates, a.method != HttpMethod::Get, "{}", a.id);
        assert_eq!(a.paginated, a.id.ends_with(".list"), "{}", a.id);
        assert_eq!(a.permissions.len(), 1, "{}", a.id);
        let p = &a.permissions[0];
        if a.mutates {
            assert!(p.ends_with("_write"), "{}: {p}", a.id);
        } else {
            assert!(p.ends_with("_read"), "{}: {p}", a.id);
        }
        assert!(a.input.schema.is_object() && a.output.schema.is_object(), "{}", a.id);
        assert!(!a.description.is_empty(), "{}", a.id);
    }
    assert_eq!(stripe::actions::RefundCreate::action().permissions, ["charge_write"]);
    assert_eq!(stripe::actions::PriceCreate::ID, "stripe.price.create");
}

#[test]
fn thirty_six_events_typed_and_unknown_kept() {
    let spec = stripe::spec();
    let events = spec.events.as_ref().unwrap();
    assert_eq!(events.prefix, "stripe.");
    assert_eq!(events.types.len(), 36);
    assert_eq!(Event::TYPES.len(), 36);

    let fixture: serde_json::Value = serde_json::from_str(include_str!("fixtures/event_invoice_paid.json")).unwrap();
    let object = fixture["data"]["object"].clone();
    match Event::parse("invoice.paid", object.clone()).unwrap() {
        Event::InvoicePaid(invoice) => {
            assert_eq!(Some(invoice.id.as_str()), object["id"].as_str());
            // nothing dropped: the typed payload serializes back to what was received
            assert_eq!(serde_json::to_value(&invoice).unwrap(), object);
        }
        other => panic!("{other:?}"),
    }
    // From the object's JSON text, the same event as from its `Value`.
    let text = serde_json::to_string_pretty(&object).unwrap();
    match (
        Event::parse_json("invoice.paid", &text).unwrap(),
        Event::parse("invoice.paid", object.clone()).unwrap(),
    ) {
        (Event::InvoicePaid(a), Event::InvoicePaid(b)) => assert_eq!(a, b),
        other => panic!("{other:?}"),
    }
    match Event::parse_json("issuing_card.created", r#"{"id": "ic_1", "x": [1]}"#).unwrap() {
        Event::Unknown { event_type, object } => assert_eq!(
            (event_type.as_str(), &object["x"][0]),
            ("issuing_card.created", &serde_json::json!(1))
        ),
        other => panic!("{other:?}"),
    }
    assert!(Event::parse_json("customer.created", r#"{"object": 5}"#).is_err());
    assert!(Event::parse_json("customer.created", "{not json").is_err());
    let unknown = Event::parse("issuing_card.created", serde_json::json!({"id": "ic_1", "x": [1]})).unwrap();
    assert_eq!(unknown.event_type(), "issuing_card.created");
    match unknown {
        Event::Unknown { object, .. } => assert_eq!(object["x"][0], 1),
        other => panic!("{other:?}"),
    }
    // A declared type with a payload of the wrong shape is an error, not a silent Unknown.
    assert!(Event::parse("customer.created", serde_json::json!({"object": 5})).is_err());
}
