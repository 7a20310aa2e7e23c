//! Stripe data types against fixtures shaped like Stripe's API reference, responses captured from
//! localstripe, and their own JSON Schemas.

use std::fmt::Debug;
use std::path::PathBuf;

use integrations::stripe::types::*;
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema_of<T: JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).expect("a schema is JSON")
}

fn schema_errors<T: JsonSchema>(value: &Value) -> Vec<String> {
    match spec_core::check_against_schema(&schema_of::<T>(), value) {
        Ok(()) => Vec::new(),
        Err(violations) => violations.into_iter().map(|v| v.message).collect(),
    }
}

fn assert_valid<T: JsonSchema>(value: &Value, what: &str) {
    let errors = schema_errors::<T>(value);
    assert!(
        errors.is_empty(),
        "{what} does not satisfy the schema of {}: {errors:#?}",
        std::any::type_name::<T>()
    );
}

fn assert_invalid<T: JsonSchema>(value: &Value, what: &str) {
    assert!(
        !schema_errors::<T>(value).is_empty(),
        "{what} unexpectedly satisfies the schema of {}",
        std::any::type_name::<T>()
    );
}

/// Parses a JSON value as `T`, checks that serializing it again gives back exactly the same JSON and that the
/// JSON satisfies `T`'s schema.
fn round_trip_value<T: Serialize + DeserializeOwned + JsonSchema>(original: Value, what: &str) -> T {
    let parsed: T = serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
    let again = serde_json::to_value(&parsed).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(again, original, "{what}: serializing the parsed value changed it");
    assert_valid::<T>(&original, what);
    parsed
}

fn round_trip<T: Serialize + DeserializeOwned + JsonSchema>(name: &str) -> T {
    round_trip_value(fixture(name), name)
}

/// Every key of `original` is in `again` with the same value; keys only in `again` are `null` (a nullable field
/// the emulator leaves out comes back as `null`).
fn assert_preserved(original: &Value, again: &Value, path: &str) {
    match (original, again) {
        (Value::Object(o), Value::Object(a)) => {
            for (k, v) in o {
                let Some(av) = a.get(k) else {
                    panic!("{path}/{k} was dropped");
                };
                assert_preserved(v, av, &format!("{path}/{k}"));
            }
            for (k, v) in a {
                assert!(o.contains_key(k) || v.is_null(), "{path}/{k} was added as {v}");
            }
        }
        (Value::Array(o), Value::Array(a)) => {
            assert_eq!(o.len(), a.len(), "{path}: array length changed");
            for (i, (x, y)) in o.iter().zip(a).enumerate() {
                assert_preserved(x, y, &format!("{path}/{i}"));
            }
        }
        _ => assert_eq!(original, again, "{path}"),
    }
}

fn localstripe<T: Serialize + DeserializeOwned + JsonSchema>(name: &str) -> T {
    let original = fixture(&format!("localstripe/{name}"));
    let parsed: T = serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("localstripe/{name}: {e}"));
    let again = serde_json::to_value(&parsed).unwrap_or_else(|e| panic!("localstripe/{name}: {e}"));
    assert_preserved(&original, &again, name);
    assert_valid::<T>(&original, name);
    parsed
}

/// An input serializes to `expected`, deserializes back from it, and `expected` satisfies its schema.
fn input<T: Serialize + DeserializeOwned + JsonSchema + PartialEq + Debug>(value: T, expected: Value) {
    let name = std::any::type_name::<T>();
    assert_eq!(
        serde_json::to_value(&value).expect("inputs serialize"),
        expected,
        "{name}"
    );
    let back: T = serde_json::from_value(expected.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(back, value, "{name}");
    assert_valid::<T>(&expected, name);
}

fn envelope(event_type: &str, object: Value) -> Value {
    json!({
        "id": "evt_1QMfGhLkdIwHu7ixJ0fVD3Kk",
        "object": "event",
        "api_version": "2024-11-20.acacia",
        "created": 1732104987,
        "data": { "object": object },
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": "req_v6TvC3SbYJbYIk", "idempotency_key": "b0e1e2b4-5a0f-4d3c-9b2e-2b8f0d9f4a11" },
        "type": event_type
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs

#[test]
fn customer_round_trips_with_typed_fields() {
    let c: Customer = round_trip("customer.json");
    assert_eq!(c.id, "cus_NffrFeUfNV2Hib");
    assert_eq!(c.email.as_deref(), Some("ada@example.com"));
    assert_eq!(c.balance, Some(-1500));
    assert_eq!(c.metadata.get("crm_id").map(String::as_str), Some("A-1815"));
    assert_eq!(c.address.as_ref().and_then(|a| a.country.as_deref()), Some("GB"));
    assert_eq!(
        c.shipping
            .as_ref()
            .and_then(|s| s.address.as_ref())
            .and_then(|a| a.line2.as_deref()),
        Some("Flat 2")
    );
    assert!(c.extra.contains_key("invoice_settings") && c.extra.contains_key("tax_exempt"));
    assert!(
        !c.extra.contains_key("email"),
        "modeled fields are not duplicated in extra"
    );
}

#[test]
fn customer_list_round_trips_and_gives_the_next_cursor() {
    let list: List<Customer> = round_trip("customer_list.json");
    assert_eq!(list.data.len(), 2);
    assert!(list.has_more);
    assert_eq!(list.next_cursor(), Some("cus_NffqM1ZgZmYrsX"));
    assert_eq!(
        list.data[1].default_source.as_ref().map(Expandable::id),
        Some("card_1MuL3v2eZvKYlo2CfbVZoEDA")
    );
    let last_page = List::<Customer> {
        has_more: false,
        ..list
    };
    assert_eq!(last_page.next_cursor(), None);
}

#[test]
fn payment_intent_round_trips() {
    let pi: PaymentIntent = round_trip("payment_intent.json");
    assert_eq!(pi.amount, 2000);
    assert_eq!(pi.amount_received, Some(2000));
    assert!(pi.status == PaymentIntentStatus::Succeeded);
    assert!(pi.capture_method == Some(OpenEnum::Known(CaptureMethod::AutomaticAsync)));
    assert_eq!(pi.customer.as_ref().map(Expandable::id), Some("cus_NffrFeUfNV2Hib"));
    assert_eq!(
        pi.latest_charge.as_ref().map(Expandable::id),
        Some("ch_3MtwBwLkdIwHu7ix28a3tqPa")
    );
    assert_eq!(
        pi.payment_method_types.as_deref(),
        Some(&["card".to_string(), "link".to_string()][..])
    );
}

#[test]
fn payment_intent_with_expanded_references_round_trips() {
    let pi: PaymentIntent = round_trip("payment_intent_requires_action.json");
    assert!(pi.status == PaymentIntentStatus::RequiresAction);
    let customer = pi
        .customer
        .as_ref()
        .and_then(Expandable::as_object)
        .expect("customer is expanded");
    assert_eq!(customer.email.as_deref(), Some("ada@example.com"));
    assert_eq!(pi.customer.as_ref().map(Expandable::id), Some("cus_NffrFeUfNV2Hib"));
    let pm = pi
        .payment_method
        .as_ref()
        .and_then(Expandable::as_object)
        .expect("payment method is expanded");
    assert_eq!(pm.object, "payment_method");
    assert_eq!(pm.extra["card"]["last4"], "3184");
    let error = pi.last_payment_error.as_ref().expect("an error");
    assert_eq!(error.r#type, "card_error");
    assert_eq!(error.code.as_deref(), Some("authentication_required"));
    assert!(error.extra.contains_key("doc_url"));
    assert_eq!(
        pi.next_action.as_ref().map(|a| &a["type"]),
        Some(&json!("use_stripe_sdk"))
    );
    assert!(pi.setup_future_usage == Some(OpenEnum::Known(SetupFutureUsage::OffSession)));
}

#[test]
fn charge_round_trips() {
    let ch: Charge = round_trip("charge.json");
    assert!(ch.paid && ch.captured && !ch.refunded);
    assert!(ch.status == ChargeStatus::Succeeded);
    assert_eq!(
        ch.payment_intent.as_ref().map(Expandable::id),
        Some("pi_3MtwBwLkdIwHu7ix28a3tqPa")
    );
    assert_eq!(ch.extra["outcome"]["type"], "authorized");
}

#[test]
fn charge_of_a_deleted_customer_keeps_the_stub() {
    let ch: Charge = round_trip("charge_failed.json");
    assert!(ch.status == ChargeStatus::Failed);
    assert_eq!(ch.failure_code.as_deref(), Some("card_declined"));
    let customer = ch.customer.as_ref().expect("a customer");
    assert!(customer.is_deleted());
    assert_eq!(customer.id(), "cus_NffqM1ZgZmYrsX");
    assert!(ch.balance_transaction.is_none());
}

#[test]
fn refund_round_trips() {
    let r: Refund = round_trip("refund.json");
    assert_eq!(r.amount, 1000);
    assert!(r.reason == Some(OpenEnum::Known(RefundReason::RequestedByCustomer)));
    assert!(r.status == Some(OpenEnum::Known(RefundStatus::Succeeded)));
    assert_eq!(
        r.metadata
            .as_ref()
            .and_then(|m| m.get("support_case"))
            .map(String::as_str),
        Some("456")
    );
}

#[test]
fn refund_with_a_reason_set_by_stripe_keeps_it() {
    let r: Refund = round_trip("refund_failed.json");
    assert_eq!(r.reason, Some(OpenEnum::Unknown("expired_uncaptured_charge".into())));
    assert!(r.status == Some(OpenEnum::Known(RefundStatus::Failed)));
    assert_eq!(r.failure_reason.as_deref(), Some("expired_or_canceled_card"));
    assert_eq!(r.metadata, None);
}

#[test]
fn invoice_round_trips() {
    let inv: Invoice = round_trip("invoice.json");
    assert_eq!(inv.id, "in_1MtHbELkdIwHu7ixl4OzzPMv");
    assert!(inv.status == Some(OpenEnum::Known(InvoiceStatus::Open)));
    assert!(inv.collection_method == CollectionMethod::SendInvoice);
    assert!(inv.billing_reason == Some(OpenEnum::Known(InvoiceBillingReason::SubscriptionCycle)));
    assert_eq!(inv.lines.data.len(), 1);
    assert_eq!(inv.lines.data[0].quantity, Some(2));
    assert_eq!(inv.lines.data[0].period.end, 1683236467);
    assert_eq!(inv.subscription_id(), Some("sub_1MowQVLkdIwHu7ixeRlqHVzs"));
    assert!(
        inv.hosted_invoice_url()
            .is_some_and(|u| u.starts_with("https://invoice.stripe.com/"))
    );
    assert!(inv.invoice_pdf().is_some_and(|u| u.ends_with("/pdf?s=ap")));
}

#[test]
fn upcoming_invoice_without_id_round_trips() {
    let inv: Invoice = round_trip("invoice_upcoming.json");
    assert_eq!(inv.id, "");
    assert!(inv.billing_reason == Some(OpenEnum::Known(InvoiceBillingReason::Upcoming)));
    assert_eq!(inv.subscription_id(), Some("sub_1MowQVLkdIwHu7ixeRlqHVzs"));
    assert_eq!(inv.hosted_invoice_url(), None);
}

#[test]
fn subscription_round_trips() {
    let sub: Subscription = round_trip("subscription.json");
    assert!(sub.status == SubscriptionStatus::Active);
    assert_eq!(sub.customer.id(), "cus_Na6dX7aXxi11N4");
    assert_eq!(
        sub.latest_invoice.as_ref().map(Expandable::id),
        Some("in_1MowQWLkdIwHu7ixuzkSPfKd")
    );
    let item = &sub.items.data[0];
    assert_eq!(item.quantity, Some(2));
    assert_eq!(item.current_period_end, Some(1682288167));
    let price = item.price.as_ref().expect("a price");
    assert!(
        price
            .recurring
            .as_ref()
            .is_some_and(|r| r.interval == RecurringInterval::Month)
    );
    assert_eq!(sub.metadata.get("seats").map(String::as_str), Some("2"));
}

#[test]
fn subscription_with_a_status_added_later_keeps_it() {
    let mut json = fixture("subscription.json");
    json["status"] = json!("on_hold");
    let sub: Subscription = round_trip_value(json, "subscription with an unknown status");
    assert_eq!(sub.status, OpenEnum::Unknown("on_hold".into()));
    assert_eq!(sub.status.known(), None);
}

#[test]
fn price_round_trips() {
    let p: Price = round_trip("price.json");
    assert!(p.r#type == PriceType::Recurring);
    assert!(p.billing_scheme == BillingScheme::PerUnit);
    assert_eq!(p.unit_amount, Some(2000));
    assert_eq!(p.unit_amount_decimal.as_deref(), Some("2000"));
    assert_eq!(p.product.id(), "prod_NZ4ceAPCSaAS4x");
    let recurring = p.recurring.as_ref().expect("recurring");
    assert!(recurring.usage_type == UsageType::Licensed);
    assert!(recurring.extra.contains_key("meter"));
}

#[test]
fn one_time_price_with_expanded_product_round_trips() {
    let p: Price = round_trip("price_one_time.json");
    assert!(p.r#type == PriceType::OneTime);
    assert!(p.recurring.is_none());
    assert!(p.tax_behavior == Some(OpenEnum::Known(TaxBehavior::Inclusive)));
    let product = p.product.as_object().expect("product is expanded");
    assert!(product.r#type == Some(OpenEnum::Known(ProductType::Good)));
    assert_eq!(product.default_price.as_ref().map(Expandable::id), Some(p.id.as_str()));
}

#[test]
fn product_round_trips() {
    let p: Product = round_trip("product.json");
    assert_eq!(p.name, "Gold plan");
    assert!(p.active);
    assert_eq!(p.default_price, None);
    assert_eq!(p.unit_label.as_deref(), Some("seat"));
    assert_eq!(p.updated, Some(1678833149));
}

#[test]
fn checkout_session_round_trips() {
    let s: CheckoutSession = round_trip("checkout_session.json");
    assert!(s.mode == CheckoutMode::Payment);
    assert!(s.payment_status == CheckoutPaymentStatus::Unpaid);
    assert!(s.status == Some(OpenEnum::Known(CheckoutStatus::Open)));
    assert!(
        s.url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://checkout.stripe.com/"))
    );
    assert_eq!(s.client_reference_id.as_deref(), Some("cart_8812"));
}

#[test]
fn completed_checkout_session_round_trips() {
    let s: CheckoutSession = round_trip("checkout_session_completed.json");
    assert!(s.mode == CheckoutMode::Subscription);
    assert!(s.payment_status == CheckoutPaymentStatus::Paid);
    assert_eq!(
        s.subscription.as_ref().map(Expandable::id),
        Some("sub_1MowQVLkdIwHu7ixeRlqHVzs")
    );
    assert_eq!(
        s.payment_link.as_ref().map(Expandable::id),
        Some("plink_1MoC3ULkdIwHu7ixZjtGpVl2")
    );
    let details = s.customer_details.as_ref().expect("customer details");
    assert_eq!(details.email.as_deref(), Some("ada@example.com"));
    assert_eq!(details.extra["tax_exempt"], "none");
    assert_eq!(s.url, None);
}

#[test]
fn payment_link_round_trips() {
    let l: PaymentLink = round_trip("payment_link.json");
    assert!(l.active);
    assert_eq!(l.url, "https://buy.stripe.com/test_cN25nr0iZ7bUa7meUY");
    assert_eq!(l.payment_method_types, None);
    assert_eq!(l.allow_promotion_codes, Some(false));
    assert_eq!(l.extra["after_completion"]["type"], "hosted_confirmation");
}

#[test]
fn dispute_round_trips() {
    let d: Dispute = round_trip("dispute.json");
    assert!(d.status == DisputeStatus::NeedsResponse);
    assert_eq!(d.reason, "fraudulent");
    assert_eq!(d.charge.id(), "ch_1AZtxr2eZvKYlo2CJDX8whov");
    assert_eq!(d.is_charge_refundable, Some(true));
}

#[test]
fn application_round_trips() {
    let a: Application = round_trip("application.json");
    assert_eq!(a.name.as_deref(), Some("Mobius Ops"));
    assert_eq!(a.object, "application");
}

#[test]
fn outputs_missing_a_required_field_are_rejected() {
    let mut json = fixture("customer.json");
    json.as_object_mut().expect("an object").remove("created");
    assert!(serde_json::from_value::<Customer>(json.clone()).is_err());
    assert_invalid::<Customer>(&json, "a customer without `created`");

    let mut json = fixture("payment_intent.json");
    json["amount"] = json!("2000");
    assert!(serde_json::from_value::<PaymentIntent>(json.clone()).is_err());
    assert_invalid::<PaymentIntent>(&json, "a payment intent with a string amount");
}

// ---------------------------------------------------------------------------------------------------------------
// Events

#[test]
fn invoice_paid_event_round_trips() {
    let event: EventEnvelope<Invoice> = round_trip("event_invoice_paid.json");
    assert_eq!(event.r#type, "invoice.paid");
    assert_eq!(event.api_version.as_deref(), Some("2024-11-20.acacia"));
    assert_eq!(event.request.as_ref().and_then(|r| r.id.as_deref()), None);
    let invoice = &event.data.object;
    assert!(invoice.status == Some(OpenEnum::Known(InvoiceStatus::Paid)));
    assert_eq!(invoice.amount_paid, 4000);
    assert_eq!(invoice.subscription_id(), Some("sub_1MowQVLkdIwHu7ixeRlqHVzs"));
    assert_eq!(invoice.extra["paid"], true);
    assert_eq!(invoice.lines.extra["total_count"], 1);

    let untyped: EventEnvelope = round_trip("event_invoice_paid.json");
    assert_eq!(untyped.data.object["id"], "in_1QMfGcLkdIwHu7ixk5BZsfJ5");
}

#[test]
fn updated_event_keeps_previous_attributes() {
    let mut json = envelope("customer.subscription.updated", fixture("subscription.json"));
    json["data"]["previous_attributes"] = json!({ "status": "trialing", "trial_end": 1679609767 });
    json["account"] = json!("acct_1M2JTkLkdIwHu7ix");
    let event: EventEnvelope<Subscription> = round_trip_value(json, "customer.subscription.updated");
    let previous = event.data.previous_attributes.as_ref().expect("previous attributes");
    assert_eq!(previous["status"], "trialing");
    assert_eq!(event.account.as_deref(), Some("acct_1M2JTkLkdIwHu7ix"));
    assert_eq!(
        event.request.as_ref().and_then(|r| r.idempotency_key.as_deref()),
        Some("b0e1e2b4-5a0f-4d3c-9b2e-2b8f0d9f4a11")
    );
}

type ParseEvent = fn(Value) -> Result<Value, String>;

fn parse_event<T: Serialize + DeserializeOwned + JsonSchema>(json: Value) -> Result<Value, String> {
    if let Err(errors) = spec_core::check_against_schema(&schema_of::<EventEnvelope<T>>(), &json) {
        return Err(format!("{errors:?}"));
    }
    let event: EventEnvelope<T> = serde_json::from_value(json).map_err(|e| e.to_string())?;
    serde_json::to_value(event).map_err(|e| e.to_string())
}

/// The 36 event types the integration declares, with their payload type and a fixture of that payload.
fn event_table() -> Vec<(&'static str, ParseEvent, &'static str)> {
    vec![
        (
            "account.application.deauthorized",
            parse_event::<Application>,
            "application.json",
        ),
        ("charge.failed", parse_event::<Charge>, "charge_failed.json"),
        ("charge.refunded", parse_event::<Charge>, "charge.json"),
        ("charge.succeeded", parse_event::<Charge>, "charge.json"),
        ("charge.dispute.created", parse_event::<Dispute>, "dispute.json"),
        (
            "checkout.session.completed",
            parse_event::<CheckoutSession>,
            "checkout_session_completed.json",
        ),
        (
            "checkout.session.expired",
            parse_event::<CheckoutSession>,
            "checkout_session.json",
        ),
        ("customer.created", parse_event::<Customer>, "customer.json"),
        ("customer.deleted", parse_event::<Customer>, "customer.json"),
        ("customer.updated", parse_event::<Customer>, "customer.json"),
        (
            "customer.subscription.created",
            parse_event::<Subscription>,
            "subscription.json",
        ),
        (
            "customer.subscription.deleted",
            parse_event::<Subscription>,
            "subscription.json",
        ),
        (
            "customer.subscription.paused",
            parse_event::<Subscription>,
            "subscription.json",
        ),
        (
            "customer.subscription.resumed",
            parse_event::<Subscription>,
            "subscription.json",
        ),
        (
            "customer.subscription.trial_will_end",
            parse_event::<Subscription>,
            "subscription.json",
        ),
        (
            "customer.subscription.updated",
            parse_event::<Subscription>,
            "subscription.json",
        ),
        ("invoice.created", parse_event::<Invoice>, "invoice.json"),
        ("invoice.deleted", parse_event::<Invoice>, "invoice.json"),
        ("invoice.finalized", parse_event::<Invoice>, "invoice.json"),
        ("invoice.marked_uncollectible", parse_event::<Invoice>, "invoice.json"),
        ("invoice.paid", parse_event::<Invoice>, "invoice.json"),
        ("invoice.payment_failed", parse_event::<Invoice>, "invoice.json"),
        ("invoice.payment_succeeded", parse_event::<Invoice>, "invoice.json"),
        ("invoice.sent", parse_event::<Invoice>, "invoice.json"),
        ("invoice.upcoming", parse_event::<Invoice>, "invoice_upcoming.json"),
        ("invoice.updated", parse_event::<Invoice>, "invoice.json"),
        ("invoice.voided", parse_event::<Invoice>, "invoice.json"),
        (
            "payment_intent.amount_capturable_updated",
            parse_event::<PaymentIntent>,
            "payment_intent.json",
        ),
        (
            "payment_intent.canceled",
            parse_event::<PaymentIntent>,
            "payment_intent.json",
        ),
        (
            "payment_intent.created",
            parse_event::<PaymentIntent>,
            "payment_intent.json",
        ),
        (
            "payment_intent.payment_failed",
            parse_event::<PaymentIntent>,
            "payment_intent_requires_action.json",
        ),
        (
            "payment_intent.requires_action",
            parse_event::<PaymentIntent>,
            "payment_intent_requires_action.json",
        ),
        (
            "payment_intent.succeeded",
            parse_event::<PaymentIntent>,
            "payment_intent.json",
        ),
        ("refund.created", parse_event::<Refund>, "refund.json"),
        ("refund.failed", parse_event::<Refund>, "refund_failed.json"),
        ("refund.updated", parse_event::<Refund>, "refund.json"),
    ]
}

#[test]
fn every_declared_event_type_parses_into_its_payload_type() {
    let table = event_table();
    assert_eq!(table.len(), 36);
    let mut types: Vec<_> = table.iter().map(|(t, _, _)| *t).collect();
    types.sort_unstable();
    types.dedup();
    assert_eq!(types.len(), 36, "event types are unique");
    for (event_type, parse, payload) in table {
        let json = envelope(event_type, fixture(payload));
        let again = parse(json.clone()).unwrap_or_else(|e| panic!("{event_type}: {e}"));
        assert_eq!(again, json, "{event_type}: serializing the parsed event changed it");
    }
}

#[test]
fn an_event_with_the_wrong_payload_type_is_rejected() {
    let json = envelope("invoice.paid", fixture("customer.json"));
    assert!(parse_event::<Invoice>(json.clone()).is_err());
    assert!(serde_json::from_value::<EventEnvelope<Invoice>>(json).is_err());
}

// ---------------------------------------------------------------------------------------------------------------
// Responses captured from localstripe

#[test]
fn localstripe_customers_parse_without_loss() {
    for name in ["customer_create.json", "customer_get.json", "customer_update.json"] {
        let c: Customer = localstripe(name);
        assert_eq!(c.email.as_deref(), Some("ada@example.com"), "{name}");
        assert_eq!(c.metadata.get("source").map(String::as_str), Some("mobius"), "{name}");
        assert!(
            c.extra.contains_key("sources"),
            "{name}: fields localstripe adds stay in extra"
        );
    }
    let updated: Customer = localstripe("customer_update.json");
    assert_eq!(updated.description.as_deref(), Some("Analytical engine"));
    let list: List<Customer> = localstripe("customer_list.json");
    assert_eq!(list.data.len(), 1);
    assert_eq!(list.extra["total_count"], 1);
}

#[test]
fn localstripe_payment_intents_parse_without_loss() {
    let created: PaymentIntent = localstripe("payment_intent_create.json");
    assert!(created.status == PaymentIntentStatus::RequiresConfirmation);
    assert_eq!(created.metadata.get("order").map(String::as_str), Some("42"));
    for name in ["payment_intent_confirm.json", "payment_intent_get.json"] {
        let pi: PaymentIntent = localstripe(name);
        assert!(pi.status == PaymentIntentStatus::Succeeded, "{name}");
        let charge = pi
            .latest_charge
            .as_ref()
            .and_then(Expandable::as_object)
            .expect("localstripe expands it");
        assert!(charge.status == ChargeStatus::Succeeded && charge.paid, "{name}");
        assert_eq!(
            charge.payment_intent.as_ref().map(Expandable::id),
            Some(pi.id.as_str()),
            "{name}"
        );
    }
    let expanded: PaymentIntent = localstripe("payment_intent_get_expanded.json");
    let customer = expanded
        .customer
        .as_ref()
        .and_then(Expandable::as_object)
        .expect("expand[]=customer");
    assert_eq!(customer.email.as_deref(), Some("ada@example.com"));
    let list: List<PaymentIntent> = localstripe("payment_intent_list.json");
    assert!(list.data.iter().any(|pi| pi.id == created.id));
}

#[test]
fn localstripe_refund_parses_without_loss() {
    let r: Refund = localstripe("refund_create.json");
    assert_eq!(r.amount, 500);
    assert!(r.status == Some(OpenEnum::Known(RefundStatus::Succeeded)));
    assert_eq!(r.extra["date"], r.created);
}

#[test]
fn localstripe_product_parses_without_loss() {
    let p: Product = localstripe("product_create.json");
    assert_eq!(p.name, "Gold plan");
    assert!(p.r#type == Some(OpenEnum::Known(ProductType::Service)));
}

#[test]
fn localstripe_subscriptions_and_invoices_parse_without_loss() {
    for name in ["subscription_create.json", "subscription_get.json"] {
        let sub: Subscription = localstripe(name);
        assert!(sub.status == SubscriptionStatus::Active, "{name}");
        assert_eq!(sub.items.data[0].quantity, Some(2), "{name}");
        assert!(
            sub.items.data[0].price.is_none(),
            "{name}: localstripe items carry a plan only"
        );
    }
    let canceled: Subscription = localstripe("subscription_cancel.json");
    assert!(canceled.status == SubscriptionStatus::Canceled);
    assert!(canceled.ended_at.is_some());
    let expanded: Subscription = localstripe("subscription_get_expanded.json");
    assert_eq!(
        expanded.customer.as_object().map(|c| c.id.as_str()),
        Some(canceled.customer.id())
    );
    let invoice = expanded
        .latest_invoice
        .as_ref()
        .and_then(Expandable::as_object)
        .expect("expand[]=latest_invoice");
    assert_eq!(invoice.subscription_id(), Some(expanded.id.as_str()));
    let list: List<Subscription> = localstripe("subscription_list.json");
    assert_eq!(list.data.len(), 1);

    let inv: Invoice = localstripe("invoice_get.json");
    assert!(inv.status == Some(OpenEnum::Known(InvoiceStatus::Paid)));
    assert_eq!(inv.amount_paid, 4000);
    assert_eq!(inv.subscription_id(), list.data.first().map(|s| s.id.as_str()));
    let invoices: List<Invoice> = localstripe("invoice_list.json");
    assert_eq!(invoices.data.len(), 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs

fn meta(pairs: &[(&str, &str)]) -> Option<Metadata> {
    Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

#[test]
fn customer_inputs_serialize_as_stripe_expects() {
    input(
        CustomerListParams {
            email: Some("ada@example.com".into()),
            limit: Some(25),
            starting_after: Some("cus_NffqM1ZgZmYrsX".into()),
            created: Some(RangeQuery::Range(Range {
                gte: Some(1680000000),
                ..Range::default()
            })),
            ..Default::default()
        },
        json!({ "created": { "gte": 1680000000 }, "email": "ada@example.com", "limit": 25,
                "starting_after": "cus_NffqM1ZgZmYrsX" }),
    );
    input(
        CustomerRetrieveParams {
            customer: "cus_NffrFeUfNV2Hib".into(),
            expand: Some(vec!["default_source".into()]),
        },
        json!({ "customer": "cus_NffrFeUfNV2Hib", "expand": ["default_source"] }),
    );
    input(
        CustomerCreateParams {
            email: Some("ada@example.com".into()),
            name: Some("Ada Lovelace".into()),
            metadata: meta(&[("source", "mobius")]),
            address: Some(AddressParams {
                city: Some("London".into()),
                country: Some("GB".into()),
                ..Default::default()
            }),
            tax_exempt: Some(TaxExempt::None),
            ..Default::default()
        },
        json!({ "address": { "city": "London", "country": "GB" }, "email": "ada@example.com",
                "metadata": { "source": "mobius" }, "name": "Ada Lovelace", "tax_exempt": "none" }),
    );
    input(
        CustomerUpdateParams {
            customer: "cus_NffrFeUfNV2Hib".into(),
            email: Some("ada@lovelace.example".into()),
            metadata: meta(&[("tier", "gold")]),
            invoice_settings: Some(CustomerInvoiceSettingsParams {
                default_payment_method: Some("pm_1NCHyI2eZvKYlo2C8Xn0uB5G".into()),
                footer: None,
            }),
            shipping: Some(ShippingParams {
                address: AddressParams {
                    line1: Some("12 St James's Square".into()),
                    ..Default::default()
                },
                name: "Ada Lovelace".into(),
                phone: None,
            }),
            ..Default::default()
        },
        json!({ "customer": "cus_NffrFeUfNV2Hib", "email": "ada@lovelace.example",
                "invoice_settings": { "default_payment_method": "pm_1NCHyI2eZvKYlo2C8Xn0uB5G" },
                "metadata": { "tier": "gold" },
                "shipping": { "address": { "line1": "12 St James's Square" }, "name": "Ada Lovelace" } }),
    );
}

#[test]
fn payment_intent_inputs_serialize_as_stripe_expects() {
    input(
        PaymentIntentListParams {
            customer: Some("cus_123".into()),
            limit: Some(25),
            created: Some(RangeQuery::Exact(1680800504)),
            ..Default::default()
        },
        json!({ "created": 1680800504, "customer": "cus_123", "limit": 25 }),
    );
    input(
        PaymentIntentRetrieveParams {
            intent: "pi_3MtwBwLkdIwHu7ix28a3tqPa".into(),
            ..Default::default()
        },
        json!({ "intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa" }),
    );
    input(
        PaymentIntentCreateParams {
            amount: 2000,
            currency: "usd".into(),
            customer: Some("cus_123".into()),
            automatic_payment_methods: Some(AutomaticPaymentMethodsParams {
                enabled: true,
                allow_redirects: Some(AllowRedirects::Never),
            }),
            capture_method: Some(CaptureMethod::Manual),
            metadata: meta(&[("order_id", "42")]),
            setup_future_usage: Some(SetupFutureUsage::OffSession),
            ..Default::default()
        },
        json!({ "amount": 2000, "currency": "usd", "customer": "cus_123",
                "automatic_payment_methods": { "enabled": true, "allow_redirects": "never" },
                "capture_method": "manual", "metadata": { "order_id": "42" },
                "setup_future_usage": "off_session" }),
    );
    input(
        PaymentIntentConfirmParams {
            intent: "pi_3MtwBwLkdIwHu7ix28a3tqPa".into(),
            payment_method: Some("pm_card_visa".into()),
            return_url: Some("https://example.com/return".into()),
            ..Default::default()
        },
        json!({ "intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa", "payment_method": "pm_card_visa",
                "return_url": "https://example.com/return" }),
    );
}

#[test]
fn invoice_inputs_serialize_as_stripe_expects() {
    input(
        InvoiceListParams {
            customer: Some("cus_123".into()),
            status: Some(InvoiceStatus::Open),
            subscription: Some("sub_123".into()),
            due_date: Some(RangeQuery::Range(Range {
                lt: Some(1681853667),
                ..Range::default()
            })),
            ..Default::default()
        },
        json!({ "customer": "cus_123", "due_date": { "lt": 1681853667 }, "status": "open", "subscription": "sub_123" }),
    );
    input(
        InvoiceRetrieveParams {
            invoice: "in_1MtHbELkdIwHu7ixl4OzzPMv".into(),
            expand: None,
        },
        json!({ "invoice": "in_1MtHbELkdIwHu7ixl4OzzPMv" }),
    );
    input(
        InvoiceCreateParams {
            customer: Some("cus_123".into()),
            description: Some("Usage review follow-up".into()),
            collection_method: Some(CollectionMethod::SendInvoice),
            days_until_due: Some(14),
            pending_invoice_items_behavior: Some(PendingInvoiceItemsBehavior::Include),
            custom_fields: Some(vec![InvoiceCustomFieldParams {
                name: "PO number".into(),
                value: "PO-7731".into(),
            }]),
            ..Default::default()
        },
        json!({ "collection_method": "send_invoice", "custom_fields": [{ "name": "PO number", "value": "PO-7731" }],
                "customer": "cus_123", "days_until_due": 14, "description": "Usage review follow-up",
                "pending_invoice_items_behavior": "include" }),
    );
}

#[test]
fn subscription_inputs_serialize_as_stripe_expects() {
    input(
        SubscriptionListParams {
            customer: Some("cus_123".into()),
            price: Some("price_123".into()),
            status: Some(SubscriptionStatusFilter::All),
            ..Default::default()
        },
        json!({ "customer": "cus_123", "price": "price_123", "status": "all" }),
    );
    input(
        SubscriptionRetrieveParams {
            subscription_exposed_id: "sub_1MowQVLkdIwHu7ixeRlqHVzs".into(),
            expand: Some(vec!["latest_invoice".into()]),
        },
        json!({ "subscription_exposed_id": "sub_1MowQVLkdIwHu7ixeRlqHVzs", "expand": ["latest_invoice"] }),
    );
    input(
        SubscriptionCreateParams {
            customer: "cus_123".into(),
            items: vec![
                SubscriptionItemParams {
                    price: Some("price_123".into()),
                    quantity: Some(2),
                    ..Default::default()
                },
                SubscriptionItemParams {
                    price_data: Some(SubscriptionItemPriceDataParams {
                        currency: "usd".into(),
                        product: "prod_123".into(),
                        recurring: RecurringParams {
                            interval: RecurringInterval::Year,
                            interval_count: None,
                        },
                        tax_behavior: None,
                        unit_amount: Some(9900),
                        unit_amount_decimal: None,
                    }),
                    ..Default::default()
                },
            ],
            payment_behavior: Some(PaymentBehavior::DefaultIncomplete),
            trial_end: Some(TrialEnd::Now(Now::Now)),
            expand: Some(vec!["latest_invoice.payment_intent".into()]),
            ..Default::default()
        },
        json!({ "customer": "cus_123",
                "items": [
                    { "price": "price_123", "quantity": 2 },
                    { "price_data": { "currency": "usd", "product": "prod_123", "recurring": { "interval": "year" },
                                      "unit_amount": 9900 } }
                ],
                "expand": ["latest_invoice.payment_intent"], "payment_behavior": "default_incomplete",
                "trial_end": "now" }),
    );
    input(
        SubscriptionCreateParams {
            customer: "cus_123".into(),
            items: vec![SubscriptionItemParams {
                price: Some("price_123".into()),
                ..Default::default()
            }],
            trial_end: Some(TrialEnd::At(1700000000)),
            ..Default::default()
        },
        json!({ "customer": "cus_123", "items": [{ "price": "price_123" }], "trial_end": 1700000000 }),
    );
    input(
        SubscriptionCancelParams {
            subscription_exposed_id: "sub_123".into(),
            cancellation_details: Some(CancellationDetailsParams {
                comment: Some("Moving to annual invoicing".into()),
                feedback: Some(CancellationFeedback::SwitchedService),
            }),
            invoice_now: Some(true),
            ..Default::default()
        },
        json!({ "subscription_exposed_id": "sub_123", "invoice_now": true,
                "cancellation_details": { "comment": "Moving to annual invoicing", "feedback": "switched_service" } }),
    );
}

#[test]
fn refund_input_serializes_as_stripe_expects() {
    input(
        RefundCreateParams {
            payment_intent: Some("pi_123".into()),
            amount: Some(5000),
            reason: Some(RefundReason::RequestedByCustomer),
            metadata: meta(&[("support_case", "456")]),
            ..Default::default()
        },
        json!({ "amount": 5000, "metadata": { "support_case": "456" }, "payment_intent": "pi_123",
                "reason": "requested_by_customer" }),
    );
}

#[test]
fn checkout_and_payment_link_inputs_serialize_as_stripe_expects() {
    let price_data = PriceDataParams {
        currency: "usd".into(),
        product_data: Some(ProductDataParams {
            name: "T-shirt".into(),
            ..Default::default()
        }),
        unit_amount: Some(2000),
        ..Default::default()
    };
    input(
        CheckoutSessionCreateParams {
            mode: Some(CheckoutMode::Payment),
            success_url: Some("https://example.com/success?session_id={CHECKOUT_SESSION_ID}".into()),
            line_items: Some(vec![
                CheckoutLineItemParams {
                    price: Some("price_123".into()),
                    quantity: Some(1),
                    adjustable_quantity: Some(AdjustableQuantityParams {
                        enabled: true,
                        maximum: Some(10),
                        minimum: None,
                    }),
                    ..Default::default()
                },
                CheckoutLineItemParams {
                    price_data: Some(price_data.clone()),
                    quantity: Some(2),
                    ..Default::default()
                },
            ]),
            customer_email: Some("ada@example.com".into()),
            payment_intent_data: Some(CheckoutPaymentIntentDataParams {
                capture_method: Some(CaptureMethod::Manual),
                ..Default::default()
            }),
            ..Default::default()
        },
        json!({ "customer_email": "ada@example.com",
                "line_items": [
                    { "adjustable_quantity": { "enabled": true, "maximum": 10 }, "price": "price_123", "quantity": 1 },
                    { "price_data": { "currency": "usd", "product_data": { "name": "T-shirt" }, "unit_amount": 2000 },
                      "quantity": 2 }
                ],
                "mode": "payment", "payment_intent_data": { "capture_method": "manual" },
                "success_url": "https://example.com/success?session_id={CHECKOUT_SESSION_ID}" }),
    );
    input(
        CheckoutSessionCreateParams {
            mode: Some(CheckoutMode::Subscription),
            customer: Some("cus_123".into()),
            line_items: Some(vec![CheckoutLineItemParams {
                price_data: Some(PriceDataParams {
                    recurring: Some(RecurringParams {
                        interval: RecurringInterval::Month,
                        interval_count: Some(3),
                    }),
                    product: Some("prod_123".into()),
                    product_data: None,
                    ..price_data.clone()
                }),
                quantity: Some(1),
                ..Default::default()
            }]),
            subscription_data: Some(CheckoutSubscriptionDataParams {
                trial_period_days: Some(14),
                ..Default::default()
            }),
            ..Default::default()
        },
        json!({ "customer": "cus_123",
                "line_items": [{ "price_data": { "currency": "usd", "product": "prod_123",
                                                 "recurring": { "interval": "month", "interval_count": 3 },
                                                 "unit_amount": 2000 }, "quantity": 1 }],
                "mode": "subscription", "subscription_data": { "trial_period_days": 14 } }),
    );
    input(
        PaymentLinkCreateParams {
            line_items: vec![PaymentLinkLineItemParams {
                price: Some("price_123".into()),
                quantity: 1,
                ..Default::default()
            }],
            after_completion: Some(AfterCompletionParams {
                r#type: AfterCompletionType::Redirect,
                hosted_confirmation: None,
                redirect: Some(RedirectParams {
                    url: "https://example.com/thanks".into(),
                }),
            }),
            allow_promotion_codes: Some(true),
            metadata: meta(&[("campaign", "spring")]),
            ..Default::default()
        },
        json!({ "after_completion": { "redirect": { "url": "https://example.com/thanks" }, "type": "redirect" },
                "allow_promotion_codes": true, "line_items": [{ "price": "price_123", "quantity": 1 }],
                "metadata": { "campaign": "spring" } }),
    );
}

#[test]
fn product_and_price_inputs_serialize_as_stripe_expects() {
    input(
        ProductCreateParams {
            name: "Gold plan".into(),
            description: Some("Monthly access to every premium feature".into()),
            r#type: Some(ProductType::Service),
            default_price_data: Some(DefaultPriceDataParams {
                currency: "usd".into(),
                unit_amount: Some(2000),
                recurring: Some(RecurringParams {
                    interval: RecurringInterval::Month,
                    interval_count: None,
                }),
                ..Default::default()
            }),
            marketing_features: Some(vec![MarketingFeatureParams {
                name: "Unlimited projects".into(),
            }]),
            ..Default::default()
        },
        json!({ "default_price_data": { "currency": "usd", "recurring": { "interval": "month" }, "unit_amount": 2000 },
                "description": "Monthly access to every premium feature",
                "marketing_features": [{ "name": "Unlimited projects" }], "name": "Gold plan", "type": "service" }),
    );
    input(
        PriceCreateParams {
            currency: "usd".into(),
            unit_amount: Some(2000),
            recurring: Some(PriceRecurringParams {
                interval: RecurringInterval::Week,
                interval_count: Some(2),
                meter: None,
                trial_period_days: Some(7),
                usage_type: Some(UsageType::Licensed),
            }),
            product_data: Some(PriceProductDataParams {
                name: "Gold plan".into(),
                ..Default::default()
            }),
            lookup_key: Some("gold_biweekly".into()),
            tax_behavior: Some(TaxBehavior::Exclusive),
            ..Default::default()
        },
        json!({ "currency": "usd", "lookup_key": "gold_biweekly", "product_data": { "name": "Gold plan" },
                "recurring": { "interval": "week", "interval_count": 2, "trial_period_days": 7,
                               "usage_type": "licensed" },
                "tax_behavior": "exclusive", "unit_amount": 2000 }),
    );
    input(
        PriceCreateParams {
            currency: "usd".into(),
            product: Some("prod_123".into()),
            billing_scheme: Some(BillingScheme::Tiered),
            tiers_mode: Some(TiersMode::Graduated),
            tiers: Some(vec![
                PriceTierParams {
                    up_to: TierUpTo::Quantity(10),
                    unit_amount: Some(500),
                    flat_amount: None,
                    flat_amount_decimal: None,
                    unit_amount_decimal: None,
                },
                PriceTierParams {
                    up_to: TierUpTo::Inf(Infinity::Inf),
                    unit_amount: Some(400),
                    flat_amount: None,
                    flat_amount_decimal: None,
                    unit_amount_decimal: None,
                },
            ]),
            ..Default::default()
        },
        json!({ "billing_scheme": "tiered", "currency": "usd", "product": "prod_123",
                "tiers": [{ "unit_amount": 500, "up_to": 10 }, { "unit_amount": 400, "up_to": "inf" }],
                "tiers_mode": "graduated" }),
    );
}

#[test]
fn path_parameters_are_required_fields_of_the_inputs() {
    let cases = [
        (schema_of::<CustomerRetrieveParams>(), "customer"),
        (schema_of::<CustomerUpdateParams>(), "customer"),
        (schema_of::<PaymentIntentRetrieveParams>(), "intent"),
        (schema_of::<PaymentIntentConfirmParams>(), "intent"),
        (schema_of::<InvoiceRetrieveParams>(), "invoice"),
        (schema_of::<SubscriptionRetrieveParams>(), "subscription_exposed_id"),
        (schema_of::<SubscriptionCancelParams>(), "subscription_exposed_id"),
    ];
    for (schema, param) in cases {
        let title = schema["title"].as_str().unwrap_or_default().to_string();
        assert_eq!(schema["properties"][param]["type"], "string", "{title}.{param}");
        let required = schema["required"].as_array().cloned().unwrap_or_default();
        assert!(required.contains(&json!(param)), "{title}: `{param}` is required");
    }
}

#[test]
fn input_schemas_reject_what_stripe_rejects() {
    assert_valid::<CustomerListParams>(&json!({ "limit": 100 }), "limit 100");
    assert_invalid::<CustomerListParams>(&json!({ "limit": 0 }), "limit 0");
    assert_invalid::<SubscriptionListParams>(&json!({ "limit": 101 }), "limit 101");
    assert_invalid::<CheckoutSessionCreateParams>(&json!({ "mode": "subscriptions" }), "a misspelled mode");
    assert_invalid::<RefundCreateParams>(
        &json!({ "payment_intent": "pi_123", "reason": "expired_uncaptured_charge" }),
        "a reason only Stripe sets",
    );
    assert!(serde_json::from_value::<RefundCreateParams>(json!({ "reason": "expired_uncaptured_charge" })).is_err());
    assert_invalid::<PaymentLinkCreateParams>(&json!({ "currency": "usd" }), "a payment link without line items");
    assert_invalid::<PaymentIntentCreateParams>(&json!({ "amount": 2000 }), "a payment intent without currency");
    assert_invalid::<PriceCreateParams>(
        &json!({ "currency": "usd", "recurring": { "interval": "fortnight" } }),
        "an unknown interval",
    );
    assert_invalid::<CustomerRetrieveParams>(&json!({ "expand": ["default_source"] }), "no path parameter");
    // A misspelled parameter is an error, not a silently dropped filter.
    let misspelled = json!({ "customer_id": "cus_123", "limit": 25 });
    assert!(serde_json::from_value::<PaymentIntentListParams>(misspelled.clone()).is_err());
    assert_invalid::<PaymentIntentListParams>(&misspelled, "a misspelled filter");
    let nested = json!({ "customer": "cus_123", "items": [{ "price": "price_123", "qty": 2 }] });
    assert!(serde_json::from_value::<SubscriptionCreateParams>(nested.clone()).is_err());
    assert_invalid::<SubscriptionCreateParams>(&nested, "a misspelled item field");
}

// ---------------------------------------------------------------------------------------------------------------
// Config and secrets

#[test]
fn config_matches_the_reference_example() {
    let example = json!({ "account_id": "acct_123", "region": "us-east-1" });
    let config: StripeConfig = round_trip_value(example, "config example");
    assert_eq!(config.account_id.as_deref(), Some("acct_123"));
    let empty: StripeConfig = round_trip_value(json!({}), "empty config");
    assert_eq!(empty, StripeConfig::default());
    let misspelled = json!({ "accountId": "acct_123" });
    assert!(serde_json::from_value::<StripeConfig>(misspelled.clone()).is_err());
    assert_invalid::<StripeConfig>(&misspelled, "a misspelled config key");
}

#[test]
fn secrets_are_required_redacted_and_write_only() {
    let json = json!({ "api_key": "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "webhook_secret": "whsec_5Ty2bXh1vQ" });
    assert_valid::<StripeSecrets>(&json, "secrets example");
    let secrets: StripeSecrets = serde_json::from_value(json).expect("secrets parse");
    assert_eq!(secrets.api_key.expose(), "sk_test_4eC39HqLyjWDarjtT1zdp7dc");
    let debug = format!("{secrets:?}");
    assert!(!debug.contains("sk_test") && !debug.contains("whsec"), "{debug}");

    let schema = schema_of::<StripeSecrets>();
    for field in ["api_key", "webhook_secret"] {
        assert_eq!(schema["properties"][field]["writeOnly"], true, "{field}");
        assert!(
            schema["required"].as_array().is_some_and(|r| r.contains(&json!(field))),
            "{field}"
        );
    }
    let missing = json!({ "api_key": "sk_test_123" });
    assert!(serde_json::from_value::<StripeSecrets>(missing.clone()).is_err());
    assert_invalid::<StripeSecrets>(&missing, "secrets without a webhook secret");
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas

macro_rules! schemas {
    ($($t:ty),* $(,)?) => {
        vec![$((stringify!($t), schema_of::<$t>())),*]
    };
}

#[test]
fn every_type_has_a_valid_schema() {
    let schemas = schemas![
        StripeConfig,
        StripeSecrets,
        CustomerListParams,
        CustomerRetrieveParams,
        CustomerCreateParams,
        CustomerUpdateParams,
        PaymentIntentListParams,
        PaymentIntentRetrieveParams,
        PaymentIntentCreateParams,
        PaymentIntentConfirmParams,
        InvoiceListParams,
        InvoiceRetrieveParams,
        InvoiceCreateParams,
        SubscriptionListParams,
        SubscriptionRetrieveParams,
        SubscriptionCreateParams,
        SubscriptionCancelParams,
        RefundCreateParams,
        CheckoutSessionCreateParams,
        PaymentLinkCreateParams,
        ProductCreateParams,
        PriceCreateParams,
        Customer,
        List<Customer>,
        PaymentIntent,
        List<PaymentIntent>,
        Invoice,
        List<Invoice>,
        Subscription,
        List<Subscription>,
        Refund,
        CheckoutSession,
        PaymentLink,
        Product,
        Price,
        Charge,
        Dispute,
        Application,
        EventEnvelope<Invoice>,
        EventEnvelope,
    ];
    assert_eq!(schemas.len(), 40);
    for (name, schema) in schemas {
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        // A schema that does not compile is reported as a violation of any value.
        assert!(
            spec_core::check_against_schema(&schema, &json!(null)).is_err_and(|v| !v[0].message.contains("invalid")),
            "{name}: the schema compiles and rejects null"
        );
        // A generic type's schema is named after its type argument too (`List<Customer>` → `ListCustomer`), so
        // that every instance has a name of its own; the envelope keeps its name.
        let type_name = if name.starts_with("EventEnvelope") {
            "EventEnvelope".to_string()
        } else {
            name.replace(['<', '>', ' '], "")
        };
        assert_eq!(schema["title"], type_name.as_str(), "{name}");
        assert!(
            schema["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{name} is documented"
        );
    }
}

#[test]
fn output_schemas_allow_fields_added_later() {
    let mut json = fixture("refund.json");
    json["presentment_details"] = json!({ "presentment_amount": 1000, "presentment_currency": "usd" });
    let refund: Refund = round_trip_value(json, "a refund with a field this crate does not model");
    assert_eq!(refund.extra["presentment_details"]["presentment_amount"], 1000);
}
