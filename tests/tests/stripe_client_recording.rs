//! The generated typed client of the real Stripe integration against a local recording server, for
//! what localstripe cannot answer (prices, Checkout Sessions, payment links, subscriptions on prices,
//! the `Stripe-Account` header): every request is asserted exactly — method, path, headers and the
//! form body as sent.

use std::time::Duration;

use integrations::stripe::{
    self, AfterCompletionParams, AfterCompletionType, BillingScheme, CheckoutLineItemParams, CheckoutMode,
    CheckoutSessionCreateParams, CustomerListParams, Expandable, PaymentLinkCreateParams, PaymentLinkLineItemParams,
    PriceCreateParams, PriceRecurringParams, PriceType, RecurringInterval, RedirectParams, StripeConfig, StripeSecrets,
    SubscriptionCreateParams, SubscriptionItemParams, SubscriptionStatus,
};
use serde_json::{Value, json};
use spec_core::AuthKind;
use spec_runtime::client::{BuildError, Credential};
use tests::recorder::{Recorded, Recorder};

const KEY: &str = "sk_test_51RecordingKey";
const VERSION: &str = "2024-11-20.acacia";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn secrets() -> StripeSecrets {
    serde_json::from_value(json!({"api_key": KEY, "webhook_secret": "whsec_recording"})).expect("secrets")
}

/// A typed client for `url`, built from a connection whose config may name a connected account.
fn client(url: &str, account: Option<&str>) -> stripe::Client {
    let config = StripeConfig {
        account_id: account.map(str::to_owned),
        region: None,
    };
    let rest = stripe::Client::builder()
        .connection(&secrets(), &config, AuthKind::ApiKey)
        .expect("connection")
        .base_url(url)
        .max_retries(0)
        .attempt_timeout(Duration::from_secs(10))
        .build()
        .expect("client builds");
    stripe::Client::new(rest)
}

/// The headers every Stripe write carries; `key` is the caller's idempotency key, if given. Returns
/// the idempotency key sent.
fn assert_write_headers(r: &Recorded, key: Option<&str>, account: Option<&str>) -> String {
    assert_eq!(r.method, "POST");
    assert_eq!(r.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(r.header("stripe-version"), Some(VERSION));
    assert_eq!(r.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(r.header("stripe-account"), account);
    assert_eq!(r.query, None, "a write sends its parameters in the body");
    let sent = r.header("idempotency-key").expect("an Idempotency-Key on every write");
    match key {
        Some(k) => assert_eq!(sent, k),
        None => assert!(!sent.trim().is_empty()),
    }
    sent.to_owned()
}

fn price_reply() -> Value {
    json!({"id": "price_1Monthly", "object": "price", "active": true, "billing_scheme": "per_unit",
           "created": 1_732_000_000, "currency": "eur", "livemode": false, "lookup_key": "pro-monthly",
           "metadata": {"plan": "pro"}, "nickname": null, "product": "prod_Pro",
           "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
           "tax_behavior": "unspecified", "tiers_mode": null, "type": "recurring", "unit_amount": 1900,
           "unit_amount_decimal": "1900"})
}

#[test]
fn price_create_sends_the_exact_form_for_a_connected_account() {
    rt().block_on(async {
        let server = Recorder::start(price_reply()).await;
        let client = client(&server.url, Some("acct_1Connected"));
        let price = client
            .price_create(&PriceCreateParams {
                currency: "eur".into(),
                unit_amount: Some(1900),
                product: Some("prod_Pro".into()),
                lookup_key: Some("pro-monthly".into()),
                metadata: Some([("plan".to_string(), "pro".to_string())].into()),
                recurring: Some(PriceRecurringParams {
                    interval: RecurringInterval::Month,
                    interval_count: Some(1),
                    meter: None,
                    trial_period_days: None,
                    usage_type: None,
                }),
                ..Default::default()
            })
            .idempotency_key("price-pro-monthly-1")
            .send()
            .await
            .expect("price create");
        assert_eq!(price.id, "price_1Monthly");
        assert_eq!(price.r#type, PriceType::Recurring);
        assert_eq!(price.billing_scheme, BillingScheme::PerUnit);
        assert_eq!(price.product.id(), "prod_Pro");
        assert_eq!(price.recurring.as_ref().map(|r| r.interval_count), Some(1));

        let r = server.single();
        assert_eq!(r.path, "/v1/prices");
        assert_write_headers(&r, Some("price-pro-monthly-1"), Some("acct_1Connected"));
        assert_eq!(
            r.body,
            "currency=eur&lookup_key=pro-monthly&metadata[plan]=pro&product=prod_Pro\
             &recurring[interval]=month&recurring[interval_count]=1&unit_amount=1900"
        );
    });
}

#[test]
fn checkout_session_create_sends_line_items_and_a_generated_idempotency_key() {
    let reply = json!({"id": "cs_test_a1", "object": "checkout.session", "amount_subtotal": 3800,
                       "amount_total": 3800, "cancel_url": "https://shop.example/cancel", "created": 1_732_000_000,
                       "currency": "eur", "customer": null, "expires_at": 1_732_086_400, "livemode": false,
                       "mode": "payment", "payment_status": "unpaid", "status": "open",
                       "success_url": "https://shop.example/ok?session={CHECKOUT_SESSION_ID}",
                       "url": "https://checkout.stripe.com/c/pay/cs_test_a1"});
    rt().block_on(async {
        let server = Recorder::start(reply).await;
        let client = client(&server.url, None);
        let params = CheckoutSessionCreateParams {
            mode: Some(CheckoutMode::Payment),
            success_url: Some("https://shop.example/ok?session={CHECKOUT_SESSION_ID}".into()),
            cancel_url: Some("https://shop.example/cancel".into()),
            client_reference_id: Some("order 1042".into()),
            line_items: Some(vec![
                CheckoutLineItemParams {
                    price: Some("price_1Monthly".into()),
                    quantity: Some(2),
                    ..Default::default()
                },
                CheckoutLineItemParams {
                    price: Some("price_2Setup".into()),
                    quantity: Some(1),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        let session = client.checkout_session_create(&params).await.expect("checkout session");
        assert_eq!(session.id, "cs_test_a1");
        assert_eq!(session.mode, CheckoutMode::Payment);
        assert_eq!(
            session.url.as_deref(),
            Some("https://checkout.stripe.com/c/pay/cs_test_a1")
        );

        let r = server.single();
        assert_eq!(r.path, "/v1/checkout/sessions");
        let generated = assert_write_headers(&r, None, None);
        assert_eq!(
            r.body,
            "cancel_url=https://shop.example/cancel&client_reference_id=order+1042\
             &line_items[0][price]=price_1Monthly&line_items[0][quantity]=2\
             &line_items[1][price]=price_2Setup&line_items[1][quantity]=1&mode=payment\
             &success_url=https://shop.example/ok?session%3D{CHECKOUT_SESSION_ID}"
        );

        // A second call gets a fresh key.
        client.checkout_session_create(&params).await.expect("second session");
        let log = server.requests();
        assert_eq!(log.len(), 2);
        let second = log[1].header("idempotency-key").expect("key");
        assert_ne!(second, generated);
    });
}

#[test]
fn payment_link_create_sends_line_items_and_after_completion() {
    let reply = json!({"id": "plink_1", "object": "payment_link", "active": true, "currency": "eur",
                       "livemode": false, "metadata": {}, "url": "https://buy.stripe.com/test_1"});
    rt().block_on(async {
        let server = Recorder::start(reply).await;
        let client = client(&server.url, Some("acct_1Connected"));
        let link = client
            .payment_link_create(&PaymentLinkCreateParams {
                line_items: vec![PaymentLinkLineItemParams {
                    price: Some("price_1Monthly".into()),
                    quantity: 3,
                    ..Default::default()
                }],
                after_completion: Some(AfterCompletionParams {
                    r#type: AfterCompletionType::Redirect,
                    hosted_confirmation: None,
                    redirect: Some(RedirectParams {
                        url: "https://shop.example/thanks".into(),
                    }),
                }),
                allow_promotion_codes: Some(true),
                ..Default::default()
            })
            .idempotency_key("plink-pro-3")
            .send()
            .await
            .expect("payment link");
        assert_eq!(link.id, "plink_1");
        assert_eq!(link.url, "https://buy.stripe.com/test_1");

        let r = server.single();
        assert_eq!(r.path, "/v1/payment_links");
        assert_write_headers(&r, Some("plink-pro-3"), Some("acct_1Connected"));
        assert_eq!(
            r.body,
            "after_completion[redirect][url]=https://shop.example/thanks&after_completion[type]=redirect\
             &allow_promotion_codes=true&line_items[0][price]=price_1Monthly&line_items[0][quantity]=3"
        );
    });
}

#[test]
fn subscription_create_on_prices_and_invoke_with_an_idempotency_key() {
    let reply = json!({"id": "sub_1", "object": "subscription", "cancel_at": null, "cancel_at_period_end": false,
                       "canceled_at": null, "created": 1_732_000_000, "customer": "cus_1", "ended_at": null,
                       "items": {"object": "list", "data": [], "has_more": false,
                                 "url": "/v1/subscription_items?subscription=sub_1"},
                       "livemode": false, "metadata": {}, "start_date": 1_732_000_000, "status": "active"});
    rt().block_on(async {
        let server = Recorder::start(reply).await;
        let client = client(&server.url, None);
        let sub = client
            .subscription_create(&SubscriptionCreateParams {
                customer: "cus_1".into(),
                items: vec![SubscriptionItemParams {
                    price: Some("price_1Monthly".into()),
                    quantity: Some(2),
                    ..Default::default()
                }],
                trial_period_days: Some(14),
                ..Default::default()
            })
            .idempotency_key("sub-cus_1-pro")
            .send()
            .await
            .expect("subscription");
        assert_eq!(sub.status, SubscriptionStatus::Active);
        assert!(matches!(&sub.customer, Expandable::Id(id) if id == "cus_1"));

        let value = client
            .invoke(
                "stripe.subscription.create",
                json!({"customer": "cus_2", "items": [{"price": "price_2"}], "idempotency_key": "sub-cus_2"}),
            )
            .await
            .expect("invoke");
        assert_eq!(value["id"], "sub_1");

        let log = server.requests();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].path, "/v1/subscriptions");
        assert_write_headers(&log[0], Some("sub-cus_1-pro"), None);
        assert_eq!(
            log[0].body,
            "customer=cus_1&items[0][price]=price_1Monthly&items[0][quantity]=2&trial_period_days=14"
        );
        assert_eq!(log[1].path, "/v1/subscriptions");
        assert_write_headers(&log[1], Some("sub-cus_2"), None);
        assert_eq!(log[1].body, "customer=cus_2&items[0][price]=price_2");
    });
}

#[test]
fn list_sends_its_parameters_in_the_query_and_no_body() {
    let reply = json!({"object": "list", "data": [], "has_more": false, "url": "/v1/customers"});
    rt().block_on(async {
        let server = Recorder::start(reply).await;
        let client = client(&server.url, Some("acct_1Connected"));
        let page = client
            .customer_list(&CustomerListParams {
                email: Some("ada+1@example.com".into()),
                limit: Some(3),
                ..Default::default()
            })
            .await
            .expect("list");
        assert!(page.data.is_empty());

        let r = server.single();
        assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/v1/customers"));
        assert_eq!(r.query.as_deref(), Some("email=ada%2B1@example.com&limit=3"));
        assert_eq!(r.body, "");
        assert_eq!(r.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
        assert_eq!(r.header("stripe-version"), Some(VERSION));
        assert_eq!(r.header("stripe-account"), Some("acct_1Connected"));
        assert_eq!(r.header("content-type"), None);
        assert_eq!(r.header("idempotency-key"), None, "reads carry no idempotency key");
    });
}

#[test]
fn api_version_outside_the_policy_fails_at_build() {
    let err = stripe::Client::builder()
        .credential(Credential::api_key(KEY))
        .api_version("2020-08-27")
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, BuildError::UnsupportedApiVersion { version, supported }
            if version == "2020-08-27" && supported == &[VERSION.to_string()]),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("2020-08-27"), "{message}");
    assert!(message.contains(VERSION), "names the supported versions: {message}");

    // The supported version may be pinned explicitly, and is what is sent.
    rt().block_on(async {
        let server = Recorder::start(price_reply()).await;
        let rest = stripe::Client::builder()
            .credential(Credential::api_key(KEY))
            .base_url(&server.url)
            .api_version(VERSION)
            .build()
            .expect("a supported version builds");
        assert_eq!(rest.api_version(), Some(VERSION));
        let client = stripe::Client::new(rest);
        client
            .price_create(&PriceCreateParams {
                currency: "usd".into(),
                unit_amount: Some(500),
                product: Some("prod_Pro".into()),
                ..Default::default()
            })
            .await
            .expect("price");
        let r = server.single();
        assert_eq!(r.header("stripe-version"), Some(VERSION));
        assert_eq!(r.header("stripe-account"), None);
        assert_eq!(r.body, "currency=usd&product=prod_Pro&unit_amount=500");
    });
}
