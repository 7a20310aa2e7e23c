//! The generated typed client of the real Stripe integration (`integrations::stripe::Client`) end to
//! end against localstripe: customers, payment intents, refunds, products, subscriptions, invoices,
//! auto-paging, error mapping, the health check and `invoke`.
//!
//! What localstripe cannot do, and how these tests work around it:
//! - It has no prices: subscriptions need a plan (`POST /v1/plans`, sent with a raw request) and take
//!   `items[0][plan]`, which `SubscriptionCreateParams` (prices only) cannot express, so the
//!   subscription is created through the client's unchecked `request` path with the same action.
//! - It has no `/v1/payment_methods` action in the integration: a card payment method is created with
//!   a raw request, and given to the PaymentIntent at creation; confirming then needs no parameters
//!   (localstripe answers 500 to a confirm that names a `payment_method`).
//! - `GET /v1/payment_intents` accepts no `customer` filter (400 "Unexpected customer"); the tests
//!   assert that error instead of the filter.
//! - Invoices can be created only for a customer with a subscription (they bill its next period with the
//!   pending invoice items); the item is created with a raw `POST /v1/invoiceitems`.

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::TryStreamExt;
use integrations::stripe::{
    self, CustomerCreateParams, CustomerListParams, CustomerRetrieveParams, CustomerUpdateParams, Expandable,
    InvoiceCreateParams, InvoiceListParams, InvoiceRetrieveParams, InvoiceStatus, PaymentIntentConfirmParams,
    PaymentIntentCreateParams, PaymentIntentListParams, PaymentIntentRetrieveParams, PaymentIntentStatus,
    ProductCreateParams, RefundCreateParams, RefundStatus, StripeConfig, StripeSecrets, Subscription,
    SubscriptionCancelParams, SubscriptionListParams, SubscriptionRetrieveParams, SubscriptionStatus,
    SubscriptionStatusFilter,
};
use serde_json::{Value, json};
use spec_core::ActionDescriptor;
use spec_core::AuthKind;
use spec_runtime::client::{ClientError, Credential};
use tests::peers::LocalStripe;

const KEY: &str = "sk_test_12345";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// A typed client for localstripe holding `key`; no retries, so every error is the first answer.
fn client(ls: &LocalStripe, key: &str) -> stripe::Client {
    let rest = stripe::Client::builder()
        .credential(Credential::api_key(key))
        .base_url(&ls.url)
        .max_retries(0)
        .attempt_timeout(Duration::from_secs(10))
        .build()
        .expect("client builds");
    stripe::Client::new(rest)
}

async fn wipe(ls: &LocalStripe) {
    let status = reqwest::Client::new()
        .delete(ls.wipe_url())
        .send()
        .await
        .expect("wipe request")
        .status();
    assert!(status.is_success(), "wipe: {status}");
}

/// A raw form POST to localstripe, for objects the integration has no action for.
async fn raw_post(ls: &LocalStripe, path: &str, form: &[(&str, &str)]) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", ls.url))
        .bearer_auth(KEY)
        .form(form)
        .send()
        .await
        .expect("raw request");
    let status = response.status();
    let body = response.text().await.expect("raw body");
    assert!(status.is_success(), "POST {path}: {status} {body}");
    serde_json::from_str(&body).expect("raw body is JSON")
}

/// A card payment method localstripe charges without authentication.
async fn card(ls: &LocalStripe) -> String {
    let pm = raw_post(
        ls,
        "/v1/payment_methods",
        &[
            ("type", "card"),
            ("card[number]", "4242424242424242"),
            ("card[exp_month]", "12"),
            ("card[exp_year]", "2034"),
            ("card[cvc]", "123"),
        ],
    )
    .await;
    let id = pm["id"].as_str().expect("payment method id").to_string();
    assert!(id.starts_with("pm_"), "{pm}");
    id
}

fn metadata(pairs: &[(&str, &str)]) -> stripe::Metadata {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn customers_create_get_update_list_and_invoke() {
    let Some(ls) = LocalStripe::start() else { return };
    rt().block_on(async {
        wipe(&ls).await;
        // Built from a connection's secrets and config, as a deployment would.
        let secrets: StripeSecrets =
            serde_json::from_value(json!({"api_key": KEY, "webhook_secret": "whsec_test"})).expect("secrets");
        let rest = stripe::Client::builder()
            .connection(&secrets, &StripeConfig::default(), AuthKind::ApiKey)
            .expect("connection")
            .base_url(&ls.url)
            .max_retries(0)
            .build()
            .expect("client builds");
        let client = stripe::Client::new(rest);

        let health = client
            .health_check()
            .await
            .expect("health check passes with a valid key");
        assert_eq!(health.status, 200);
        assert_eq!(health.checked, "stripe.customer.list");

        let created = client
            .customer_create(&CustomerCreateParams {
                email: Some("ada@example.com".into()),
                name: Some("Ada Lovelace".into()),
                metadata: Some(metadata(&[("source", "e2e")])),
                ..Default::default()
            })
            .idempotency_key("create-ada-1")
            .send()
            .await
            .expect("create");
        assert!(created.id.starts_with("cus_"), "{created:?}");
        assert_eq!(created.object, "customer");
        assert_eq!(created.email.as_deref(), Some("ada@example.com"));
        assert_eq!(created.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(created.metadata, metadata(&[("source", "e2e")]));

        let fetched = client
            .customer_get(&CustomerRetrieveParams {
                customer: created.id.clone(),
                expand: None,
            })
            .await
            .expect("get");
        assert_eq!(fetched.id, created.id);
        assert_eq!(fetched.email.as_deref(), Some("ada@example.com"));

        let updated = client
            .customer_update(&CustomerUpdateParams {
                customer: created.id.clone(),
                metadata: Some(metadata(&[("tier", "gold")])),
                ..Default::default()
            })
            .await
            .expect("update");
        assert_eq!(updated.metadata, metadata(&[("source", "e2e"), ("tier", "gold")]));
        let again = client
            .customer_get(&CustomerRetrieveParams {
                customer: created.id.clone(),
                expand: None,
            })
            .await
            .expect("get after update");
        assert_eq!(again.metadata.get("tier").map(String::as_str), Some("gold"));

        // invoke: JSON in, JSON out; the idempotency key is a header, not a parameter.
        let invoked = client
            .invoke(
                "stripe.customer.create",
                json!({"email": "grace@example.com", "idempotency_key": "create-grace-1"}),
            )
            .await
            .expect("invoke");
        let grace = invoked["id"].as_str().expect("id").to_string();
        assert!(grace.starts_with("cus_"), "{invoked}");
        assert_eq!(invoked["email"], "grace@example.com");
        assert!(invoked.get("idempotency_key").is_none(), "{invoked}");
        let err = client
            .invoke("stripe.customer.create", json!({"favourite_colour": "blue"}))
            .await
            .unwrap_err();
        assert!(matches!(err, ClientError::InvalidInput { .. }), "{err:?}");
        assert!(err.is_local());

        let page = client
            .customer_list(&CustomerListParams {
                email: Some("grace@example.com".into()),
                ..Default::default()
            })
            .await
            .expect("list by email");
        assert_eq!(page.object, "list");
        assert!(!page.has_more);
        let ids: Vec<&str> = page.data.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, [grace.as_str()]);

        let everyone = client
            .customer_list(&CustomerListParams::default())
            .await
            .expect("list all");
        let ids: BTreeSet<String> = everyone.data.into_iter().map(|c| c.id).collect();
        assert_eq!(ids, BTreeSet::from([created.id.clone(), grace]));
    });
}

#[test]
fn customer_list_all_pages_through_five_customers() {
    let Some(ls) = LocalStripe::start() else { return };
    rt().block_on(async {
        wipe(&ls).await;
        let client = client(&ls, KEY);
        let mut created = BTreeSet::new();
        for i in 0..5 {
            let c = client
                .customer_create(&CustomerCreateParams {
                    email: Some(format!("page{i}@example.com")),
                    ..Default::default()
                })
                .await
                .expect("create");
            created.insert(c.id);
        }

        let first = client
            .customer_list(&CustomerListParams {
                limit: Some(2),
                ..Default::default()
            })
            .await
            .expect("first page");
        assert_eq!(first.data.len(), 2);
        assert!(first.has_more);
        let cursor = first.next_cursor().expect("a cursor").to_string();
        let second = client
            .customer_list(&CustomerListParams {
                limit: Some(2),
                starting_after: Some(cursor),
                ..Default::default()
            })
            .await
            .expect("second page");
        assert_eq!(second.data.len(), 2);
        assert!(first.data.iter().all(|a| second.data.iter().all(|b| a.id != b.id)));

        let all: Vec<stripe::Customer> = client
            .customer_list_all(&CustomerListParams {
                limit: Some(2),
                ..Default::default()
            })
            .try_collect()
            .await
            .expect("paging");
        assert_eq!(all.len(), 5, "three pages of at most two, no repeats");
        let ids: BTreeSet<String> = all.into_iter().map(|c| c.id).collect();
        assert_eq!(ids, created);
    });
}

#[test]
fn payment_intents_create_confirm_get_list_and_refund() {
    let Some(ls) = LocalStripe::start() else { return };
    rt().block_on(async {
        wipe(&ls).await;
        let client = client(&ls, KEY);
        let customer = client
            .customer_create(&CustomerCreateParams {
                email: Some("payer@example.com".into()),
                ..Default::default()
            })
            .await
            .expect("customer");
        let pm = card(&ls).await;

        let created = client
            .payment_intent_create(&PaymentIntentCreateParams {
                amount: 2500,
                currency: "eur".into(),
                customer: Some(customer.id.clone()),
                payment_method: Some(pm.clone()),
                metadata: Some(metadata(&[("order", "1042")])),
                ..Default::default()
            })
            .idempotency_key("pi-order-1042")
            .send()
            .await
            .expect("create");
        assert!(created.id.starts_with("pi_"), "{created:?}");
        assert_eq!((created.amount, created.currency.as_str()), (2500, "eur"));
        assert_eq!(created.status, PaymentIntentStatus::RequiresConfirmation);
        assert_eq!(
            created.customer.as_ref().map(Expandable::id),
            Some(customer.id.as_str())
        );
        assert_eq!(created.metadata, metadata(&[("order", "1042")]));
        assert!(created.latest_charge.is_none());

        let confirmed = client
            .payment_intent_confirm(&PaymentIntentConfirmParams {
                intent: created.id.clone(),
                ..Default::default()
            })
            .await
            .expect("confirm");
        assert_eq!(confirmed.status, PaymentIntentStatus::Succeeded);
        let charge = confirmed
            .latest_charge
            .as_ref()
            .map(|c| c.id().to_string())
            .expect("a charge");
        assert!(charge.starts_with("ch_"), "{charge}");

        let fetched = client
            .payment_intent_get(&PaymentIntentRetrieveParams {
                intent: created.id.clone(),
                ..Default::default()
            })
            .await
            .expect("get");
        assert_eq!(fetched.status, PaymentIntentStatus::Succeeded);
        assert_eq!(
            fetched.latest_charge.as_ref().map(Expandable::id),
            Some(charge.as_str())
        );

        // Confirming twice is refused by the provider.
        let err = client
            .payment_intent_confirm(&PaymentIntentConfirmParams {
                intent: created.id.clone(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(400), "{err:?}");

        let second = client
            .payment_intent_create(&PaymentIntentCreateParams {
                amount: 700,
                currency: "eur".into(),
                ..Default::default()
            })
            .await
            .expect("second intent");
        assert_eq!(second.status, PaymentIntentStatus::RequiresPaymentMethod);

        let page = client
            .payment_intent_list(&PaymentIntentListParams::default())
            .await
            .expect("list");
        let listed: BTreeSet<&str> = page.data.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(listed, BTreeSet::from([created.id.as_str(), second.id.as_str()]));
        let all: Vec<stripe::PaymentIntent> = client
            .payment_intent_list_all(&PaymentIntentListParams {
                limit: Some(1),
                ..Default::default()
            })
            .try_collect()
            .await
            .expect("paging");
        let paged: BTreeSet<String> = all.into_iter().map(|p| p.id).collect();
        assert_eq!(paged, BTreeSet::from([created.id.clone(), second.id.clone()]));

        // localstripe has no customer filter on this list: the 400 comes back mapped.
        let err = client
            .payment_intent_list(&PaymentIntentListParams {
                customer: Some(customer.id.clone()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(400), 1));
        let message = err
            .provider_error()
            .and_then(|e| e.message.as_deref())
            .unwrap_or_default();
        assert!(message.contains("customer"), "{message}");

        // Refunds: part of the intent, then the rest through its charge.
        let partial = client
            .refund_create(&RefundCreateParams {
                payment_intent: Some(created.id.clone()),
                amount: Some(1000),
                metadata: Some(metadata(&[("reason", "damaged")])),
                ..Default::default()
            })
            .idempotency_key("refund-1042-a")
            .send()
            .await
            .expect("partial refund");
        assert!(partial.id.starts_with("re_"), "{partial:?}");
        assert_eq!((partial.amount, partial.currency.as_str()), (1000, "eur"));
        assert_eq!(
            partial.status.as_ref().and_then(|s| s.known()),
            Some(&RefundStatus::Succeeded)
        );
        assert_eq!(partial.charge.as_ref().map(Expandable::id), Some(charge.as_str()));
        assert_eq!(
            partial.payment_intent.as_ref().map(Expandable::id),
            Some(created.id.as_str())
        );

        let rest = client
            .refund_create(&RefundCreateParams {
                charge: Some(charge.clone()),
                amount: Some(1500),
                ..Default::default()
            })
            .await
            .expect("refund by charge");
        assert_eq!(rest.amount, 1500);
        assert_eq!(rest.charge.as_ref().map(Expandable::id), Some(charge.as_str()));
        assert_ne!(rest.id, partial.id);

        // An intent that never had a payment method cannot be refunded.
        let err = client
            .refund_create(&RefundCreateParams {
                payment_intent: Some(second.id.clone()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(400), "{err:?}");
        assert_eq!(
            err.provider_error().and_then(|e| e.message.as_deref()),
            Some("Cannot refund a failed payment.")
        );
    });
}

#[test]
fn products_subscriptions_and_invoices() {
    let Some(ls) = LocalStripe::start() else { return };
    rt().block_on(async {
        wipe(&ls).await;
        let client = client(&ls, KEY);

        let product = client
            .product_create(&ProductCreateParams {
                name: "Pro plan".into(),
                description: Some("Everything, monthly".into()),
                metadata: Some(metadata(&[("sku", "pro-m")])),
                ..Default::default()
            })
            .await
            .expect("product");
        assert!(product.id.starts_with("prod_"), "{product:?}");
        assert_eq!(product.name, "Pro plan");
        assert_eq!(product.description.as_deref(), Some("Everything, monthly"));
        assert!(product.active);
        assert_eq!(product.metadata, metadata(&[("sku", "pro-m")]));

        let plan = raw_post(
            &ls,
            "/v1/plans",
            &[
                ("product", &product.id),
                ("amount", "1900"),
                ("currency", "eur"),
                ("interval", "month"),
            ],
        )
        .await;
        let plan = plan["id"].as_str().expect("plan id").to_string();

        let pm = card(&ls).await;
        let customer = client
            .customer_create(&CustomerCreateParams {
                email: Some("subscriber@example.com".into()),
                payment_method: Some(pm.clone()),
                invoice_settings: Some(stripe::CustomerInvoiceSettingsParams {
                    default_payment_method: Some(pm),
                    footer: None,
                }),
                ..Default::default()
            })
            .await
            .expect("customer");

        // localstripe only knows `items[][plan]`; the typed params speak prices, so the same action is
        // sent through the unchecked path.
        let create = <stripe::actions::SubscriptionCreate as ActionDescriptor>::action();
        let subscription: Subscription = client
            .rest()
            .request(
                create,
                &json!({"customer": customer.id, "items": [{"plan": plan}],
                                     "metadata": {"seat": "7"}}),
            )
            .send()
            .await
            .expect("subscription");
        assert!(subscription.id.starts_with("sub_"), "{subscription:?}");
        assert_eq!(subscription.customer.id(), customer.id);
        assert_eq!(subscription.status, SubscriptionStatus::Active);
        assert_eq!(subscription.items.data.len(), 1);
        assert_eq!(subscription.metadata, metadata(&[("seat", "7")]));

        let fetched = client
            .subscription_get(&SubscriptionRetrieveParams {
                subscription_exposed_id: subscription.id.clone(),
                expand: None,
            })
            .await
            .expect("get");
        assert_eq!(fetched.id, subscription.id);
        assert_eq!(fetched.status, SubscriptionStatus::Active);

        let listed = client
            .subscription_list(&SubscriptionListParams {
                customer: Some(customer.id.clone()),
                ..Default::default()
            })
            .await
            .expect("list");
        let ids: Vec<&str> = listed.data.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, [subscription.id.as_str()]);

        // The first invoice of the subscription.
        let invoices = client
            .invoice_list(&InvoiceListParams {
                customer: Some(customer.id.clone()),
                ..Default::default()
            })
            .await
            .expect("invoice list");
        assert_eq!(invoices.data.len(), 1, "{invoices:?}");
        let first = &invoices.data[0];
        assert_eq!(first.subscription_id(), Some(subscription.id.as_str()));
        assert_eq!((first.amount_due, first.currency.as_str()), (1900, "eur"));
        let invoice = client
            .invoice_get(&InvoiceRetrieveParams {
                invoice: first.id.clone(),
                expand: None,
            })
            .await
            .expect("invoice get");
        assert_eq!(invoice.id, first.id);
        assert_eq!(
            invoice.status.as_ref().and_then(|s| s.known()),
            Some(&InvoiceStatus::Paid)
        );
        assert_eq!(invoice.amount_paid, 1900);

        // A draft invoice: localstripe creates invoices only for a customer with a subscription, billing
        // its next period together with the pending invoice items.
        raw_post(
            &ls,
            "/v1/invoiceitems",
            &[("customer", &customer.id), ("amount", "450"), ("currency", "eur")],
        )
        .await;
        let draft = client
            .invoice_create(&InvoiceCreateParams {
                customer: Some(customer.id.clone()),
                description: Some("Setup fee".into()),
                ..Default::default()
            })
            .idempotency_key("invoice-setup-fee")
            .send()
            .await
            .expect("invoice create");
        assert!(draft.id.starts_with("in_"), "{draft:?}");
        assert_ne!(draft.id, first.id);
        assert_eq!(
            draft.status.as_ref().and_then(|s| s.known()),
            Some(&InvoiceStatus::Draft)
        );
        assert_eq!(draft.description.as_deref(), Some("Setup fee"));
        let mut lines: Vec<i64> = draft.lines.data.iter().map(|l| l.amount).collect();
        lines.sort_unstable();
        assert_eq!(lines, [450, 1900], "the pending item and the renewal");
        assert_eq!(draft.total, 2350);
        let all: Vec<stripe::Invoice> = client
            .invoice_list_all(&InvoiceListParams {
                customer: Some(customer.id.clone()),
                limit: Some(1),
                ..Default::default()
            })
            .try_collect()
            .await
            .expect("invoice paging");
        let ids: BTreeSet<String> = all.into_iter().map(|i| i.id).collect();
        assert_eq!(ids, BTreeSet::from([first.id.clone(), draft.id.clone()]));

        let canceled = client
            .subscription_cancel(&SubscriptionCancelParams {
                subscription_exposed_id: subscription.id.clone(),
                ..Default::default()
            })
            .await
            .expect("cancel");
        assert_eq!(canceled.status, SubscriptionStatus::Canceled);
        assert!(canceled.ended_at.is_some());

        let active = client
            .subscription_list(&SubscriptionListParams {
                customer: Some(customer.id.clone()),
                ..Default::default()
            })
            .await
            .expect("list after cancel");
        assert!(
            active.data.is_empty(),
            "canceled subscriptions are not listed by default"
        );
        let every: Vec<Subscription> = client
            .subscription_list_all(&SubscriptionListParams {
                customer: Some(customer.id.clone()),
                status: Some(SubscriptionStatusFilter::All),
                ..Default::default()
            })
            .try_collect()
            .await
            .expect("list all statuses");
        assert_eq!(every.len(), 1);
        assert_eq!(every[0].status, SubscriptionStatus::Canceled);
    });
}

#[test]
fn errors_are_mapped_for_404_400_and_401() {
    let Some(ls) = LocalStripe::start() else { return };
    rt().block_on(async {
        wipe(&ls).await;
        let client = client(&ls, KEY);

        let err = client
            .customer_get(&CustomerRetrieveParams {
                customer: "cus_doesnotexist".into(),
                expand: None,
            })
            .await
            .unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(404), 1));
        let ClientError::Api(api) = &err else { panic!("{err:?}") };
        assert_eq!(api.action, "stripe.customer.get");
        let e = err.provider_error().expect("error object");
        assert_eq!(e.kind.as_deref(), Some("invalid_request_error"));
        assert_eq!(e.message.as_deref(), Some("Not Found"));
        assert!(!err.is_local());

        let err = client
            .payment_intent_create(&PaymentIntentCreateParams {
                amount: 0,
                currency: "eur".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(400), 1));
        assert_eq!(
            err.provider_error().and_then(|e| e.message.as_deref()),
            Some("Bad request")
        );
        assert_eq!(
            err.provider_error().and_then(|e| e.kind.as_deref()),
            Some("invalid_request_error")
        );

        let bad = self::client(&ls, "pk_test_not_a_secret_key_987");
        let err = bad.customer_list(&CustomerListParams::default()).await.unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(401), 1));
        assert_eq!(
            err.provider_error().and_then(|e| e.message.as_deref()),
            Some("Unauthorized")
        );
        assert!(!format!("{err} {err:?}").contains("pk_test_not_a_secret_key_987"));
        let err = bad.health_check().await.unwrap_err();
        assert_eq!(err.status(), Some(401));
    });
}
