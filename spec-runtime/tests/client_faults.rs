//! Faults from a local server: retries stay bounded, follow the spec's rules, and every attempt of a
//! mutating call carries the same idempotency key.

mod client_common;

use std::sync::OnceLock;
use std::time::Duration;

use client_common::*;
use serde_json::{Value, json};
use spec_core::IntegrationSpec;
use spec_runtime::client::{ClientError, MAX_SERVER_DELAY, TimeoutScope};

fn spec() -> &'static IntegrationSpec {
    static SPEC: OnceLock<&'static IntegrationSpec> = OnceLock::new();
    SPEC.get_or_init(|| leak(stripe_spec_json()))
}

fn price() -> Value {
    json!({"unit_amount": 1200, "currency": "usd", "product": "prod_123", "recurring": {"interval": "month"}})
}

fn keys(server: &Recorder) -> Vec<Option<String>> {
    server
        .requests()
        .iter()
        .map(|r| r.header("idempotency-key").map(str::to_owned))
        .collect()
}

fn assert_one_key(server: &Recorder, attempts: usize) {
    let keys = keys(server);
    assert_eq!(keys.len(), attempts, "attempts seen by the server");
    let first = keys[0].clone().expect("an idempotency key");
    assert!(
        keys.iter().all(|k| k.as_deref() == Some(first.as_str())),
        "same key on every attempt: {keys:?}"
    );
}

#[test]
fn a_server_error_then_success_is_retried_with_the_same_key() {
    rt().block_on(async {
        let server = Recorder::start(|i, _| {
            if i == 0 {
                Reply::json(500, json!({"error": {"type": "api_error", "message": "boom"}}))
            } else {
                Reply::json(200, json!({"id": "price_1"}))
            }
        })
        .await;
        let client = builder(spec(), &server.url).build().unwrap();
        let action = spec().action("stripe.price.create").unwrap();
        let (out, meta) = client
            .request::<Value>(action, &price())
            .send_with_meta()
            .await
            .unwrap();
        assert_eq!(out["id"], "price_1");
        assert_eq!(meta.attempts, 2);
        assert_one_key(&server, 2);
        let reqs = server.requests();
        assert_eq!(reqs[0].body, reqs[1].body, "the same body is resent");
    });
}

#[test]
fn retries_stay_bounded() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::json(503, json!({"error": {"message": "unavailable"}}))).await;
        let client = builder(spec(), &server.url).build().unwrap();
        let err = client.invoke("stripe.price.create", price()).await.unwrap_err();
        assert_eq!(err.status(), Some(503));
        assert_eq!(err.attempts(), 3, "1 attempt + max_retries (2)");
        assert_one_key(&server, 3);

        let client = builder(spec(), &server.url).max_retries(0).build().unwrap();
        let err = client.invoke("stripe.price.create", price()).await.unwrap_err();
        assert_eq!(err.attempts(), 1);
        assert_eq!(server.requests().len(), 4);
    });
}

#[test]
fn too_many_requests_waits_for_retry_after() {
    let logs = Logs::default();
    let _guard = logs.capture();
    rt().block_on(async {
        let server = Recorder::start(|i, _| {
            if i == 0 {
                Reply::json(429, json!({"error": {"type": "rate_limit_error"}})).header("Retry-After", "1")
            } else {
                Reply::json(200, json!({"id": "price_1"}))
            }
        })
        .await;
        let client = builder(spec(), &server.url).build().unwrap();
        let out = client.invoke("stripe.price.create", price()).await.unwrap();
        assert_eq!(out["id"], "price_1");
        assert_one_key(&server, 2);
    });
    let text = logs.text();
    // Backoff alone is 1–10 ms here; the provider asked for one second.
    assert!(text.contains("retry_in_ms=1000"), "{text}");
}

#[test]
fn a_retry_after_longer_than_allowed_ends_the_call() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::json(429, json!({"error": {}})).header("Retry-After", "120")).await;
        let client = builder(spec(), &server.url).build().unwrap();
        let err = client.invoke("stripe.price.create", price()).await.unwrap_err();
        let ClientError::Api(api) = &err else { panic!("{err:?}") };
        assert_eq!(api.retry_after, Some(Duration::from_secs(120)));
        assert_eq!(api.attempts, 1);
        assert_eq!(server.requests().len(), 1);
    });
}

#[test]
fn waits_from_huge_header_numbers_saturate_instead_of_overflowing() {
    let mut v = stripe_spec_json();
    rest_mut(&mut v).insert(
        "rate_limit_headers".into(),
        json!({"remaining": "X-RateLimit-Remaining", "reset": "X-RateLimit-Reset"}),
    );
    let spec = leak(v);
    rt().block_on(async {
        for (name, value) in [
            ("X-RateLimit-Reset", "18446744073709551615"),
            ("X-RateLimit-Reset", "9999999999999"),
            ("Retry-After", "99999999999999"),
            ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ] {
            let server = Recorder::start(move |_, _| {
                Reply::json(429, json!({"error": {"type": "rate_limit_error"}}))
                    .header("X-RateLimit-Remaining", "0")
                    .header(name, value)
            })
            .await;
            let client = builder(spec, &server.url).total_timeout(Duration::MAX).build().unwrap();
            let err = client
                .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
                .await
                .unwrap_err();
            let ClientError::Api(api) = &err else {
                panic!("{name}: {value}: {err:?}")
            };
            // Read as the longest wait, which exceeds what the policy honours: the call ends at once.
            assert_eq!(api.retry_after, Some(MAX_SERVER_DELAY), "{name}: {value}");
            assert_eq!((api.status, api.attempts), (429, 1), "{name}: {value}");
            assert_eq!(server.requests().len(), 1);
        }
    });
}

#[test]
fn a_wait_past_the_overall_timeout_ends_the_call_without_sleeping() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::json(503, json!({"error": {}})).header("Retry-After", "2")).await;
        let client = builder(spec(), &server.url)
            .total_timeout(Duration::from_millis(500))
            .build()
            .unwrap();
        let started = std::time::Instant::now();
        let err = client
            .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                ClientError::Timeout {
                    attempts: 1,
                    scope: TimeoutScope::Total,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(
            started.elapsed() < Duration::from_millis(400),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.requests().len(), 1);
    });
}

#[test]
fn should_retry_header_overrides_the_status() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| {
            Reply::json(503, json!({"error": {"message": "no"}})).header("Stripe-Should-Retry", "false")
        })
        .await;
        let client = builder(spec(), &server.url).build().unwrap();
        let err = client.invoke("stripe.price.create", price()).await.unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(503), 1));
        assert_eq!(server.requests().len(), 1);

        let server = Recorder::start(|i, _| {
            if i == 0 {
                Reply::json(400, json!({"error": {"message": "lock timeout"}})).header("Stripe-Should-Retry", "true")
            } else {
                Reply::ok()
            }
        })
        .await;
        let client = builder(spec(), &server.url).build().unwrap();
        client.invoke("stripe.price.create", price()).await.unwrap();
        assert_one_key(&server, 2);
    });
}

#[test]
fn client_errors_are_not_retried_but_conflicts_are() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::json(400, json!({"error": {"message": "bad"}}))).await;
        let client = builder(spec(), &server.url).build().unwrap();
        let err = client.invoke("stripe.price.create", price()).await.unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(400), 1));

        let server = Recorder::start(|i, _| {
            if i == 0 {
                Reply::json(409, json!({"error": {"type": "idempotency_error"}}))
            } else {
                Reply::ok()
            }
        })
        .await;
        let client = builder(spec(), &server.url).build().unwrap();
        client.invoke("stripe.price.create", price()).await.unwrap();
        assert_one_key(&server, 2);
    });
}

#[test]
fn only_calls_safe_to_repeat_are_retried() {
    // A spec without an idempotency header: writes cannot carry a key.
    let mut v = stripe_spec_json();
    rest_mut(&mut v).remove("idempotency_header");
    let actions = v["actions"].as_array_mut().unwrap();
    actions.push(
        json!({"id": "stripe.customer.replace", "method_name": "customer_replace", "method": "PUT",
        "path": "/v1/customers/{customer}", "mutates": true, "idempotent": true,
        "input": {"type_name": "CustomerReplace"}, "output": {"type_name": "Customer"}}),
    );
    let spec = leak(v);
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::json(500, json!({"error": {}}))).await;
        let client = builder(spec, &server.url).build().unwrap();

        let err = client.invoke("stripe.price.create", price()).await.unwrap_err();
        assert_eq!(err.attempts(), 1, "a non-idempotent write without a key is not retried");
        assert_eq!(keys(&server), [None]);

        let err = client
            .invoke("stripe.customer.replace", json!({"customer": "cus_1", "name": "Ada"}))
            .await
            .unwrap_err();
        assert_eq!(err.attempts(), 3, "a write declared idempotent is retried");

        let err = client
            .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
            .await
            .unwrap_err();
        assert_eq!(err.attempts(), 3, "a read is retried");
        assert_eq!(server.requests().len(), 7);
    });
}

#[test]
fn a_reset_connection_is_retried_with_the_same_key() {
    rt().block_on(async {
        let server = Recorder::start_with_resets(1, |_, _| Reply::json(200, json!({"id": "price_1"}))).await;
        let client = builder(spec(), &server.url).build().unwrap();
        let (out, meta) = client
            .request::<Value>(spec().action("stripe.price.create").unwrap(), &price())
            .send_with_meta()
            .await
            .unwrap();
        assert_eq!(out["id"], "price_1");
        assert_eq!(meta.attempts, 2);
        assert_one_key(&server, 2);

        // Every connection reset: bounded, reported as a connection error.
        let server = Recorder::start_with_resets(100, |_, _| Reply::ok()).await;
        let client = builder(spec(), &server.url).build().unwrap();
        let err = client.invoke("stripe.price.create", price()).await.unwrap_err();
        assert!(matches!(err, ClientError::Connection { attempts: 3, .. }), "{err:?}");
        assert_one_key(&server, 3);
    });
}

#[test]
fn a_timed_out_attempt_is_retried_with_the_same_key() {
    rt().block_on(async {
        let server = Recorder::start(|i, _| {
            let reply = Reply::json(200, json!({"id": "price_1"}));
            if i == 0 {
                reply.delay(Duration::from_secs(30))
            } else {
                reply
            }
        })
        .await;
        let client = builder(spec(), &server.url)
            .attempt_timeout(Duration::from_secs(1))
            .build()
            .unwrap();
        let out = client.invoke("stripe.price.create", price()).await.unwrap();
        assert_eq!(out["id"], "price_1");
        assert_one_key(&server, 2);
    });
}

#[test]
fn timeouts_bound_the_attempts_and_the_whole_call() {
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::ok().delay(Duration::from_secs(30))).await;
        let client = builder(spec(), &server.url)
            .attempt_timeout(Duration::from_millis(200))
            .max_retries(1)
            .build()
            .unwrap();
        let err = client.invoke("stripe.price.create", price()).await.unwrap_err();
        assert!(
            matches!(
                err,
                ClientError::Timeout {
                    attempts: 2,
                    scope: TimeoutScope::Attempt,
                    ..
                }
            ),
            "{err:?}"
        );

        let client = builder(spec(), &server.url)
            .attempt_timeout(Duration::from_secs(20))
            .total_timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let err = client
            .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                ClientError::Timeout {
                    attempts: 1,
                    scope: TimeoutScope::Total,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(server.requests().len(), 3);
    });
}

#[test]
fn a_slow_response_within_the_timeout_succeeds_first_time() {
    rt().block_on(async {
        let server =
            Recorder::start(|_, _| Reply::json(200, json!({"id": "cus_1"})).delay(Duration::from_millis(150))).await;
        let client = builder(spec(), &server.url)
            .attempt_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let (out, meta) = client
            .request::<Value>(
                spec().action("stripe.customer.get").unwrap(),
                &json!({"customer": "cus_1"}),
            )
            .send_with_meta()
            .await
            .unwrap();
        assert_eq!(out["id"], "cus_1");
        assert_eq!(meta.attempts, 1);
        assert_eq!(server.requests().len(), 1);
    });
}

#[test]
fn unbounded_timeouts_neither_overflow_nor_stop_retries() {
    rt().block_on(async {
        let server = Recorder::start(|i, _| {
            if i == 0 {
                Reply::json(503, json!({"error": {"message": "unavailable"}}))
            } else {
                Reply::json(200, json!({"id": "cus_1"}))
            }
        })
        .await;
        let client = builder(spec(), &server.url)
            .attempt_timeout(Duration::MAX)
            .total_timeout(Duration::MAX)
            .build()
            .unwrap();
        let (out, meta) = client
            .request::<Value>(
                spec().action("stripe.customer.get").unwrap(),
                &json!({"customer": "cus_1"}),
            )
            .send_with_meta()
            .await
            .unwrap();
        assert_eq!(out["id"], "cus_1");
        assert_eq!(meta.attempts, 2);
        assert_eq!(server.requests().len(), 2);
    });
}

#[test]
fn a_refused_connection_is_a_connection_error_after_bounded_retries() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    rt().block_on(async {
        let client = builder(spec(), &format!("http://127.0.0.1:{port}")).build().unwrap();
        let err = client
            .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
            .await
            .unwrap_err();
        let ClientError::Connection { attempts, message, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*attempts, 3);
        assert!(!message.contains("127.0.0.1"), "no URL in the message: {message}");
    });
}
