//! The client builds exactly Stripe's requests from the spec: method, path, query, headers and the
//! bracket-nested form body, asserted on a local recording server (localstripe lacks these endpoints).

mod client_common;

use std::sync::OnceLock;

use client_common::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use spec_core::{ActionDescriptor, Integration, IntegrationSpec};
use spec_runtime::client::{BuildError, ClientError, Credential, RestClient};

fn spec() -> &'static IntegrationSpec {
    static SPEC: OnceLock<&'static IntegrationSpec> = OnceLock::new();
    SPEC.get_or_init(|| leak(stripe_spec_json()))
}

struct Stripe;
impl Integration for Stripe {
    const PROVIDER: &'static str = "stripe";
    type Config = Value;
    type Secrets = Value;
    fn spec() -> &'static IntegrationSpec {
        spec()
    }
}

#[derive(Serialize, Deserialize, JsonSchema)]
struct Recurring {
    interval: String,
}

#[derive(Serialize, Deserialize, JsonSchema)]
struct PriceCreate {
    unit_amount: i64,
    currency: String,
    product: String,
    recurring: Option<Recurring>,
    nickname: Option<String>,
}

#[derive(Serialize, Deserialize, JsonSchema, Debug, PartialEq)]
struct Price {
    id: String,
    unit_amount: i64,
}

struct PriceCreateAction;
impl ActionDescriptor for PriceCreateAction {
    type Integration = Stripe;
    const ID: &'static str = "stripe.price.create";
    type Input = PriceCreate;
    type Output = Price;
}

#[test]
fn prices_create_sends_the_exact_stripe_request() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::json(200, json!({"id": "price_1", "unit_amount": 1200}))).await;
        let client = builder(spec(), &server.url).build().unwrap();
        let input = PriceCreate {
            unit_amount: 1200,
            currency: "usd".into(),
            product: "prod_123".into(),
            recurring: Some(Recurring {
                interval: "month".into(),
            }),
            nickname: None,
        };
        let (price, meta) = client.call::<PriceCreateAction>(&input).send_with_meta().await.unwrap();
        assert_eq!(
            price,
            Price {
                id: "price_1".into(),
                unit_amount: 1200
            }
        );

        let reqs = server.requests();
        assert_eq!(reqs.len(), 1);
        let r = &reqs[0];
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), r.query.as_deref()),
            ("POST", "/v1/prices", None)
        );
        assert_eq!(
            r.raw_pairs(),
            [
                "currency=usd",
                "product=prod_123",
                "recurring[interval]=month",
                "unit_amount=1200"
            ]
        );
        assert_eq!(r.header("authorization"), Some("Bearer sk_test_12345"));
        assert_eq!(r.header("stripe-version"), Some("2024-11-20.acacia"));
        assert_eq!(r.header("content-type"), Some("application/x-www-form-urlencoded"));
        assert_eq!(r.header("stripe-account"), None);
        assert_eq!(
            r.header("accept"),
            Some("application/json"),
            "the spec's default headers"
        );
        assert!(r.header("user-agent").is_some_and(|ua| ua.contains("payments.stripe")));
        let key = r
            .header("idempotency-key")
            .expect("a mutating call carries an idempotency key");
        assert!(is_uuid_v4(key), "generated key {key} is a UUID v4");
        assert_eq!(meta.idempotency_key.as_deref(), Some(key));
        assert_eq!(meta.attempts, 1);
    });
}

struct Other;
impl Integration for Other {
    const PROVIDER: &'static str = "other";
    type Config = Value;
    type Secrets = Value;
    fn spec() -> &'static IntegrationSpec {
        static SPEC: OnceLock<&'static IntegrationSpec> = OnceLock::new();
        SPEC.get_or_init(|| {
            let mut v = stripe_spec_json();
            v["meta"]["key"] = json!("payments.other");
            for a in v["actions"].as_array_mut().unwrap() {
                let id = a["id"].as_str().unwrap().replacen("stripe.", "other.", 1);
                a["id"] = json!(id);
            }
            leak(v)
        })
    }
}

struct OtherPriceCreate;
impl ActionDescriptor for OtherPriceCreate {
    type Integration = Other;
    const ID: &'static str = "other.price.create";
    type Input = PriceCreate;
    type Output = Price;
}

#[test]
fn typed_calls_can_be_awaited_and_must_match_the_client_integration() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::json(200, json!({"id": "price_2", "unit_amount": 500}))).await;
        let client = builder(spec(), &server.url).build().unwrap();
        let input = PriceCreate {
            unit_amount: 500,
            currency: "eur".into(),
            product: "prod_9".into(),
            recurring: None,
            nickname: Some("Basic".into()),
        };
        let price = client.call::<PriceCreateAction>(&input).await.unwrap();
        assert_eq!(price.id, "price_2");
        assert_eq!(
            server.requests()[0].raw_pairs(),
            ["currency=eur", "nickname=Basic", "product=prod_9", "unit_amount=500"]
        );

        let err = client.call::<OtherPriceCreate>(&input).await.unwrap_err();
        assert!(matches!(err, ClientError::Unsupported { .. }), "{err:?}");
        assert_eq!(server.requests().len(), 1);
    });
}

#[test]
fn checkout_session_create_with_line_items_account_version_and_caller_key() {
    rt().block_on(async {
        let server =
            Recorder::start(|_, _| Reply::json(200, json!({"id": "cs_test_1", "object": "checkout.session"}))).await;
        let client = builder(spec(), &server.url)
            .account("acct_123")
            .api_version("2023-10-16")
            .build()
            .unwrap();
        assert_eq!(client.api_version(), Some("2023-10-16"));
        let action = spec().action("stripe.checkout_session.create").unwrap();
        let input = json!({
            "line_items": [{"price": "price_123", "quantity": 2}, {"price": "price_456", "quantity": 1}],
            "mode": "payment",
            "success_url": "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
        });
        let out: Value = client
            .request(action, &input)
            .idempotency_key("checkout-order-42")
            .send()
            .await
            .unwrap();
        assert_eq!(out["id"], "cs_test_1");

        let r = &server.requests()[0];
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v1/checkout/sessions"));
        assert!(
            r.body.contains("line_items[0][price]=price_123"),
            "brackets are sent as-is: {}",
            r.body
        );
        assert!(r.body.contains("line_items[1][quantity]=1"), "{}", r.body);
        let expected: Vec<(String, String)> = [
            ("line_items[0][price]", "price_123"),
            ("line_items[0][quantity]", "2"),
            ("line_items[1][price]", "price_456"),
            ("line_items[1][quantity]", "1"),
            ("mode", "payment"),
            (
                "success_url",
                "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
            ),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(r.form(), expected);
        assert_eq!(r.header("stripe-account"), Some("acct_123"));
        assert_eq!(r.header("stripe-version"), Some("2023-10-16"));
        assert_eq!(r.header("idempotency-key"), Some("checkout-order-42"));
        assert_eq!(r.header("authorization"), Some("Bearer sk_test_12345"));
    });
}

#[test]
fn payment_links_create_through_invoke_moves_the_idempotency_key_to_the_header() {
    rt().block_on(async {
        let server =
            Recorder::start(|_, _| Reply::json(200, json!({"id": "plink_1", "url": "https://buy.stripe.com/x"}))).await;
        let client = builder(spec(), &server.url).build().unwrap();
        let out = client
            .invoke(
                "stripe.payment_link.create",
                json!({"line_items": [{"price": "price_123", "quantity": 1}], "idempotency_key": "plink-order-7"}),
            )
            .await
            .unwrap();
        assert_eq!(out["id"], "plink_1");
        let r = &server.requests()[0];
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v1/payment_links"));
        assert_eq!(
            r.raw_pairs(),
            ["line_items[0][price]=price_123", "line_items[0][quantity]=1"]
        );
        assert_eq!(r.header("idempotency-key"), Some("plink-order-7"));
        assert_eq!(r.header("content-type"), Some("application/x-www-form-urlencoded"));
    });
}

#[test]
fn gets_put_path_params_in_the_path_and_the_rest_in_the_query() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::json(200, json!({"id": "cus_1", "object": "customer"}))).await;
        let client = builder(spec(), &server.url).build().unwrap();
        client
            .invoke(
                "stripe.customer.get",
                json!({"customer": "cus_1", "expand": ["default_source", "invoice_settings.default_payment_method"]}),
            )
            .await
            .unwrap();
        let r = &server.requests()[0];
        assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/v1/customers/cus_1"));
        assert_eq!(
            r.query.as_deref(),
            Some("expand[0]=default_source&expand[1]=invoice_settings.default_payment_method")
        );
        assert_eq!(r.body, "");
        assert_eq!(r.header("content-type"), None);
        assert_eq!(r.header("idempotency-key"), None, "reads carry no idempotency key");
        assert_eq!(r.header("stripe-version"), Some("2024-11-20.acacia"));
    });
}

#[test]
fn invoke_rejects_a_schema_invalid_input_before_sending() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::ok()).await;
        let client = builder(spec(), &server.url).build().unwrap();
        let err = client
            .invoke(
                "stripe.customer.create",
                json!({"email": 42, "metadata": {"source": "mobius"}}),
            )
            .await
            .unwrap_err();
        match &err {
            ClientError::InvalidInput { action, violations } => {
                assert_eq!(action, "stripe.customer.create");
                assert!(violations.iter().any(|v| v.instance_path == "/email"), "{violations:?}");
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
        assert!(err.to_string().contains("/email"), "{err}");
        assert!(err.is_local());

        let err = client
            .invoke("stripe.customer.create", json!({"emial": "ada@example.com"}))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("emial"), "an unknown field is named: {err}");

        let err = client.invoke("stripe.customer.get", json!({})).await.unwrap_err();
        assert!(err.to_string().contains("customer"), "{err}");

        let err = client.invoke("stripe.nothing.here", json!({})).await.unwrap_err();
        assert!(matches!(err, ClientError::UnknownAction { .. }), "{err:?}");

        assert!(server.requests().is_empty(), "nothing was sent");
    });
}

#[test]
fn api_version_override_must_be_supported_and_not_sunset() {
    let err = RestClient::builder(spec())
        .api_version("1999-01-01")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::UnsupportedApiVersion { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("1999-01-01") && text.contains("2024-11-20.acacia") && text.contains("2023-10-16"),
        "{text}"
    );
    assert!(!text.contains("2020-08-27"), "sunset versions are not offered: {text}");

    let err = RestClient::builder(spec())
        .api_version("2020-08-27")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::SunsetApiVersion { .. }), "{err:?}");
    assert!(err.to_string().contains("2024-11-20.acacia"), "{err}");

    let client = RestClient::builder(spec()).build().unwrap();
    assert_eq!(client.api_version(), Some("2024-11-20.acacia"));
    assert_eq!(client.base_url().as_str(), "https://api.stripe.com/");
}

#[test]
fn settings_the_spec_cannot_honour_are_refused() {
    let mut v = stripe_spec_json();
    rest_mut(&mut v).remove("account_header");
    let no_account = leak(v);
    let err = RestClient::builder(no_account).account("acct_1").build().unwrap_err();
    assert!(matches!(err, BuildError::NoAccountHeader { .. }), "{err:?}");

    let err = RestClient::builder(spec())
        .credential(Credential::basic("sk_test_12345", None))
        .build()
        .unwrap_err();
    match &err {
        BuildError::NoMatchingAuthMethod { supported, .. } => assert_eq!(supported, &["api-key", "oauth2"]),
        other => panic!("{other:?}"),
    }

    let err = RestClient::builder(spec()).base_url("not a url").build().unwrap_err();
    assert!(matches!(err, BuildError::InvalidBaseUrl { .. }), "{err:?}");

    let err = RestClient::builder(spec())
        .rate_limit(spec_core::RateLimit { rpm: 10, rph: Some(5) })
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidRateLimit(_)), "{err:?}");
}

#[test]
fn credentials_are_placed_as_the_spec_says() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::ok()).await;
        let get = |s: &'static IntegrationSpec| s.action("stripe.customer.list").unwrap();

        // OAuth access token: bearer in Authorization.
        let client = builder(spec(), &server.url)
            .credential(Credential::oauth_access_token("sk_test_oauth_token"))
            .build()
            .unwrap();
        client.request::<Value>(get(spec()), &json!({})).send().await.unwrap();

        // API key in a query parameter.
        let mut v = stripe_spec_json();
        v["supported_auth_methods"] = json!([{"type": "api-key", "query_param": "api_key"}]);
        let query_spec = leak(v);
        let client = builder(query_spec, &server.url).build().unwrap();
        client
            .request::<Value>(get(query_spec), &json!({"limit": 3}))
            .send()
            .await
            .unwrap();

        // HTTP basic with the key as user name.
        let mut v = stripe_spec_json();
        v["supported_auth_methods"] = json!([{"type": "basic", "username_only": true}]);
        let basic_spec = leak(v);
        let client = builder(basic_spec, &server.url)
            .credential(Credential::basic("sk_test_12345", None))
            .build()
            .unwrap();
        client
            .request::<Value>(get(basic_spec), &json!({}))
            .send()
            .await
            .unwrap();

        // A custom header with its own prefix.
        let mut v = stripe_spec_json();
        v["supported_auth_methods"] = json!([{"type": "header", "header_name": "X-Api-Key", "prefix": "Key "}]);
        let header_spec = leak(v);
        let client = builder(header_spec, &server.url).build().unwrap();
        client
            .request::<Value>(get(header_spec), &json!({}))
            .send()
            .await
            .unwrap();

        let reqs = server.requests();
        assert_eq!(reqs[0].header("authorization"), Some("Bearer sk_test_oauth_token"));
        assert_eq!(reqs[1].header("authorization"), None);
        assert_eq!(reqs[1].query.as_deref(), Some("limit=3&api_key=sk_test_12345"));
        // base64("sk_test_12345:")
        assert_eq!(reqs[2].header("authorization"), Some("Basic c2tfdGVzdF8xMjM0NTo="));
        assert_eq!(reqs[3].header("x-api-key"), Some("Key sk_test_12345"));
        assert_eq!(reqs[3].header("authorization"), None);
    });
}

#[test]
fn provider_errors_are_mapped_with_request_id() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| {
            Reply::json(
                402,
                json!({"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                                 "message": "Your card has insufficient funds.", "param": "payment_method",
                                 "doc_url": "https://stripe.com/docs/error-codes/card-declined"}}),
            )
            .header("Request-Id", "req_abc123")
        })
        .await;
        let client = builder(spec(), &server.url).build().unwrap();
        let err = client
            .invoke("stripe.price.create", json!({"currency": "usd", "unit_amount": 5}))
            .await
            .unwrap_err();
        let ClientError::Api(api) = &err else {
            panic!("expected an API error, got {err:?}")
        };
        assert_eq!(api.status, 402);
        assert_eq!(api.request_id.as_deref(), Some("req_abc123"));
        assert_eq!(api.attempts, 1, "402 is not retried");
        let e = api.error.as_ref().expect("the provider's error object");
        assert_eq!(e.kind.as_deref(), Some("card_error"));
        assert_eq!(e.code.as_deref(), Some("card_declined"));
        assert_eq!(e.param.as_deref(), Some("payment_method"));
        assert_eq!(e.message.as_deref(), Some("Your card has insufficient funds."));
        assert_eq!(e.raw["decline_code"], "insufficient_funds");
        let text = err.to_string();
        assert!(
            text.contains("402") && text.contains("card_declined") && text.contains("req_abc123"),
            "{text}"
        );
        assert_eq!(err.status(), Some(402));
        assert_eq!(err.request_id(), Some("req_abc123"));

        // A non-JSON error body is kept as an excerpt.
        let server = Recorder::start(|_, _| Reply {
            status: 418,
            headers: vec![],
            body: "short and stout".into(),
            delay: std::time::Duration::ZERO,
        })
        .await;
        let client = builder(spec(), &server.url).build().unwrap();
        let err = client
            .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
            .await
            .unwrap_err();
        let ClientError::Api(api) = &err else { panic!("{err:?}") };
        assert!(api.error.is_none());
        assert_eq!(api.body_excerpt.as_deref(), Some("short and stout"));
    });
}

#[test]
fn health_check_pings_the_first_list_action_for_one_item() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| {
            Reply::json(200, json!({"object": "list", "data": [], "has_more": false})).header("Request-Id", "req_h")
        })
        .await;
        let client = builder(spec(), &server.url).build().unwrap();
        let health = client.health_check().await.unwrap();
        assert_eq!(health.status, 200);
        assert_eq!(health.checked, "stripe.customer.list");
        assert_eq!(health.request_id.as_deref(), Some("req_h"));
        let r = &server.requests()[0];
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), r.query.as_deref()),
            ("GET", "/v1/customers", Some("limit=1"))
        );
        assert_eq!(r.header("authorization"), Some("Bearer sk_test_12345"));

        // Failing health check: one attempt, no retry, the error says why.
        let server = Recorder::start(|_, _| {
            Reply::json(
                401,
                json!({"error": {"type": "invalid_request_error", "message": "Unauthorized"}}),
            )
        })
        .await;
        let client = builder(spec(), &server.url).build().unwrap();
        let err = client.health_check().await.unwrap_err();
        assert_eq!(err.status(), Some(401));
        assert_eq!(server.requests().len(), 1);

        // The spec's timeout_ms bounds the check, whatever the client's own timeouts.
        let mut v = stripe_spec_json();
        v["health_check"] = json!({"method": "ping", "timeout_ms": 200});
        let quick = leak(v);
        let server = Recorder::start(|_, _| Reply::ok().delay(std::time::Duration::from_secs(30))).await;
        let client = builder(quick, &server.url).build().unwrap();
        let err = client.health_check().await.unwrap_err();
        assert!(matches!(err, ClientError::Timeout { attempts: 1, .. }), "{err:?}");
        assert_eq!(server.requests().len(), 1, "no retry");
    });
}

#[test]
fn version_placement_and_json_bodies_follow_the_spec() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::ok()).await;

        // Version in a query parameter, JSON bodies.
        let mut v = stripe_spec_json();
        v["version_policy"] = json!({"current_version": "2024-06-01", "version_query_param": "api-version",
                                     "supported_versions": [{"version": "2024-06-01", "status": "stable"}]});
        let rest = rest_mut(&mut v);
        rest.remove("api_version_header");
        rest.insert("body".into(), json!("json"));
        let json_spec = leak(v);
        let client = builder(json_spec, &server.url).build().unwrap();
        client
            .invoke(
                "stripe.customer.update",
                json!({"customer": "cus_1", "metadata": {"k": "v"}, "idempotency_key": "k1"}),
            )
            .await
            .unwrap();

        // Version as a path segment.
        let mut v = stripe_spec_json();
        v["version_policy"] = json!({"current_version": "v3", "version_in_path": true,
                                     "supported_versions": [{"version": "v3", "status": "stable"}]});
        rest_mut(&mut v).remove("api_version_header");
        let path_spec = leak(v);
        let client = builder(path_spec, &format!("{}/api", server.url)).build().unwrap();
        client
            .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
            .await
            .unwrap();

        let reqs = server.requests();
        let r = &reqs[0];
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v1/customers/cus_1"));
        assert_eq!(r.query.as_deref(), Some("api-version=2024-06-01"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(
            serde_json::from_str::<Value>(&r.body).unwrap(),
            json!({"metadata": {"k": "v"}})
        );
        assert_eq!(r.header("idempotency-key"), Some("k1"));
        assert_eq!(r.header("stripe-version"), None);

        assert_eq!(reqs[1].path, "/api/v3/v1/customers/cus_1");
        assert_eq!(reqs[1].query, None);
    });
}

#[test]
fn user_info_in_the_base_url_becomes_basic_auth_next_to_the_credential() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::json(200, json!({"id": "cus_1"}))).await;
        let url = server.url.replacen("http://", "http://user:pa%20ss@", 1);
        let client = builder(spec(), &url).build().unwrap();
        client
            .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
            .await
            .unwrap();
        let reqs = server.requests();
        let auth: Vec<&str> = reqs[0]
            .headers
            .get_all("authorization")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert_eq!(auth, ["Basic dXNlcjpwYSBzcw==", &format!("Bearer {KEY}")]);
        assert_eq!(reqs[0].path, "/v1/customers/cus_1");
    });
}
